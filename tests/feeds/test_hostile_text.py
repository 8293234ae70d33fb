"""No value from a feed can break a calendar file or add a property of its choosing."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import recurring_ical_events
from icalendar import Calendar

from feeds.events import FeedEvent
from feeds.ical import render_calendar

HOSTILE = "https://zoom.us/j/123456789\r\nX-EVIL:1"


def event(**fields) -> FeedEvent:
    values = dict(uid="u1", summary="Line one\nLine two\r\nX-EVIL:2", day=2, time="19:00",
                  duration=timedelta(hours=1), timezone="America/New_York",
                  anchor=date(2026, 1, 1), sequence=0, last_modified=datetime(2026, 1, 1, tzinfo=UTC),
                  status="CONFIRMED", location="Hall\r\nX-EVIL:3", description="a\r\nX-EVIL:4",
                  url=HOSTILE, conference_url=HOSTILE, conference_phone="+1 555 0100 #\r\nX-EVIL:5")
    values.update(fields)
    return FeedEvent(**values)


def test_line_breaks_in_any_text_stay_inside_their_property():
    body = render_calendar([event()], name="My\r\nX-EVIL:6 plan", calendar_uid="c1")
    lines = body.decode().split("\r\n")
    assert not any(line.startswith("X-EVIL") for line in lines)
    calendar = Calendar.from_ical(body)
    (vevent,) = calendar.walk("VEVENT")
    # Not a URI: left out, not mangled. The phone keeps only the characters a tel: URI allows.
    assert "URL" not in vevent and str(vevent["CONFERENCE"]).startswith("tel:+15550100%23")
    assert str(vevent["SUMMARY"]).startswith("Line one")
    assert str(calendar["X-WR-CALNAME"]) == "My X-EVIL:6 plan"
    occurrences = recurring_ical_events.of(calendar).between(datetime(2026, 3, 1), datetime(2026, 3, 15))
    assert len(occurrences) == 2
