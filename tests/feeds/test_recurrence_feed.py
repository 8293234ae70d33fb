"""Feeds of meetings that are not every week: both parsers agree with the occurrence engine.

Monthly nth and last weekdays, every other / every third week, cancelled dates (EXDATE), moved
dates (RECURRENCE-ID overrides, some into DST gaps), first and last dates (UNTIL), in every zone
the weekly feed tests use, every instant from late 2026 to the end of 2030.
"""
from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from feeds.events import FeedEvent
from feeds.ical import render_calendar
from finder.pattern import MONTHLY, WEEKS, Moved, Recurrence
from finder.recurrence import occurrences
from tests.ical import helpers
from tests.ical.lint import lint

NOW = datetime(2026, 11, 23, tzinfo=UTC)
END = datetime(2031, 1, 1, tzinfo=UTC)
ANCHOR = date(2026, 11, 20)


def patterns() -> list[tuple[str, int, str, int, Recurrence, tuple[date, ...]]]:
    """(name, day, time, minutes, pattern, plan-cancelled dates) for each zone."""
    return [
        ("first-third-monday", 1, "19:00", 60, Recurrence(kind=MONTHLY, nths=(1, 3)),
         (date(2027, 1, 4),)),
        ("last-saturday", 6, "23:30", 90, Recurrence(kind=MONTHLY, nths=(-1,)), ()),
        ("second-last-sunday-gap", 0, "02:30", 60, Recurrence(kind=MONTHLY, nths=(2, -1)), ()),
        ("first-sunday-midnight", 0, "00:00", 60,
         Recurrence(kind=MONTHLY, nths=(1,), ends=date(2029, 9, 30)), ()),
        ("other-sunday", 0, "01:30", 90,
         Recurrence(kind=WEEKS, interval=2, anchor=date(2026, 11, 29)), ()),
        ("third-wednesday", 3, "12:00", 75,
         Recurrence(kind=WEEKS, interval=3, anchor=date(2026, 12, 2), ends=date(2028, 5, 31)), ()),
        ("weekly-exceptions", 4, "19:00", 60,
         Recurrence(starts=date(2026, 12, 3), ends=date(2030, 6, 27),
                    cancelled=(date(2026, 12, 24), date(2027, 12, 23), date(2028, 12, 28)),
                    moved=(Moved(date(2027, 1, 7), "17:00", "18:30", "Annex", "2 Side St"),
                           Moved(date(2027, 4, 1), location="Hall B"))), ()),
        ("sunday-moves-into-gaps", 0, "19:00", 60,
         Recurrence(cancelled=(date(2027, 3, 28), date(2027, 4, 4)),
                    moved=(Moved(date(2027, 3, 14), "02:30", "03:30"),
                           Moved(date(2027, 10, 31), "01:30"), Moved(date(2027, 9, 5), "00:00"),
                           Moved(date(2027, 9, 26), "02:15"))), ()),
        ("first-tuesday-first-cancelled", 2, "07:00", 60,
         Recurrence(kind=MONTHLY, nths=(1,), cancelled=(date(2026, 12, 1), date(2027, 6, 1))),
         (date(2027, 2, 2),)),
    ]


def sample() -> list[FeedEvent]:
    return [
        FeedEvent(uid=f"{zone}/{name}", summary=name, day=day, time=hhmm,
                  duration=timedelta(minutes=length), timezone=zone, anchor=ANCHOR,
                  recurrence=pattern, cancelled_dates=plan_cancelled, sequence=3)
        for zone in helpers.ZONES
        for name, day, hhmm, length, pattern, plan_cancelled in patterns()
    ]


def truth(events: list[FeedEvent]) -> set[helpers.Occurrence]:
    """What the occurrence engine says (zoneinfo, fold=0)."""
    found = set()
    for event in events:
        first = datetime.combine(event.first_date, datetime.min.time(), tzinfo=UTC) \
            - timedelta(days=1)
        for occurrence in occurrences(event, max(NOW, first), END):
            if occurrence.on < event.first_date:
                continue
            status = "CANCELLED" if occurrence.on in event.cancelled_dates else event.status
            found.add(helpers.Occurrence(event.uid, helpers._utc(occurrence.start),
                                         helpers._utc(occurrence.end), status))
    return found


def require_icaljs() -> None:
    reason = helpers.icaljs_missing_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"ical.js is required in CI: {reason}")
        pytest.skip(reason)


def test_patterns_match_the_engine_in_both_parsers(tmp_path):
    events = sample()
    body = render_calendar(events, name="Plan", calendar_uid="c0ffee")
    assert lint(body) == []
    expected = truth(events)
    assert len(expected) > 11 * 300
    python = helpers.expand_python(body, NOW, END)
    assert python == expected, (f"missing {sorted(expected - python)[:4]} "
                                f"extra {sorted(python - expected)[:4]}")
    require_icaljs()
    path = tmp_path / "recurring.ics"
    path.write_bytes(body)
    icaljs = helpers.icaljs_occurrences(helpers.expand_icaljs(path, NOW, END))
    assert icaljs == expected, (f"missing {sorted(expected - icaljs)[:4]} "
                                f"extra {sorted(icaljs - expected)[:4]}")


def test_rrule_exdate_and_override_text():
    events = [e for e in sample() if e.timezone == "America/New_York"]
    text = render_calendar(events, name="Plan", calendar_uid="c").decode().replace("\r\n ", "")
    assert "RRULE:FREQ=MONTHLY;BYDAY=1MO,3MO\r\n" in text
    assert "RRULE:FREQ=MONTHLY;BYDAY=2SU,-1SU\r\n" in text
    assert "RRULE:FREQ=MONTHLY;BYDAY=-1SA\r\n" in text
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SU\r\n" in text
    assert "RRULE:FREQ=WEEKLY;UNTIL=20280601T035959Z;INTERVAL=3;BYDAY=WE\r\n" in text
    assert "EXDATE;TZID=America/New_York:20261224T190000,20271223T190000,20281228T190000" in text
    # The first Tuesday of December is cancelled: the series starts in January, no EXDATE needed.
    assert "DTSTART;TZID=America/New_York:20270105T070000" in text
    calendar = icalendar.Calendar.from_ical(text)
    moved = [e for e in calendar.walk("VEVENT")
             if str(e["UID"]).endswith("weekly-exceptions") and "RECURRENCE-ID" in e]
    assert [(e["RECURRENCE-ID"].dt.isoformat(), e["DTSTART"].dt.isoformat(), str(e["LOCATION"]))
            for e in moved] == [
        ("2027-01-07T19:00:00-05:00", "2027-01-07T17:00:00-05:00", "Annex, 2 Side St"),
        ("2027-04-01T19:00:00-04:00", "2027-04-01T19:00:00-04:00", "Hall B")]
    assert all(e["SEQUENCE"] == 3 for e in calendar.walk("VEVENT"))


def test_a_pattern_with_no_dates_left_writes_no_event():
    ended = FeedEvent(uid="x", summary="x", day=1, time="19:00", duration=timedelta(hours=1),
                      timezone="UTC", anchor=date(2027, 1, 1),
                      recurrence=Recurrence(kind=MONTHLY, nths=(1,), ends=date(2026, 12, 31)))
    body = render_calendar([ended], name="Plan", calendar_uid="c")
    assert b"BEGIN:VEVENT" not in body and b"BEGIN:VTIMEZONE" in body
