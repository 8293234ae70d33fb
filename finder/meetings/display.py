"""How a meeting's time is shown: in its own zone, and in the seeker's where the two differ."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_day_names
from flask_babel import format_date, get_locale, gettext, pgettext

from finder import recurrence
from finder.models import Meeting
from finder.web.i18n import day_name, language
from finder.web.units import clock, uses_miles
from finder.weekly import next_start, parse_clock
from finder.zones import stored_zone, zoneinfo


@dataclass(frozen=True)
class When:
    """A meeting's weekly time in its own zone, and its next start in the seeker's zone."""

    local: str
    zone: str
    next_local: datetime
    seeker: str | None
    seeker_zone: str | None
    zone_known: bool

    @property
    def next_shown(self) -> datetime:
        """The next start in the seeker's zone where it differs, else in the meeting's own."""
        return self.next_local.astimezone(zoneinfo(self.seeker_zone)) if self.seeker_zone else self.next_local


def when(meeting: Meeting, zone: ZoneInfo | None, now: datetime | None = None,
         start: datetime | None = None) -> When:
    """How to show a meeting's time: its own, and the seeker's where the two zones differ.

    ``start`` is the next start when the caller already has it (the search computes it).
    """
    start = (start.astimezone(stored_zone(meeting.timezone)) if start is not None
             else recurrence.next_start(meeting, now)
             or next_start(meeting.day, meeting.time, meeting.timezone, now))
    # The weekly time on the reader's clock (12-hour for en-US); the day is the listing's own.
    local = f"{day_name(meeting.day)} {clock(datetime.combine(start.date(), parse_clock(meeting.time)))}"
    if meeting.recurrence is not None:  # not every week: the pattern in words
        local = recurrence.describe(meeting, gettext, pgettext)
    if meeting.end_time:
        local += f"–{clock(datetime.combine(start.date(), parse_clock(meeting.end_time)))}"
    seeker = None
    if zone is not None and clocks_differ(start, zone):
        there = start.astimezone(zone)
        seeker = _weekday_clock(there.weekday(), there.hour, there.minute, uses_miles(), language())
    return When(local, meeting.timezone, start, seeker, str(zone) if seeker else None, zone is not None)


def clocks_differ(start: datetime, zone: ZoneInfo) -> bool:
    """True when the clock in ``zone`` reads otherwise than ``start``'s own at that instant: the
    pages then show a meeting's time in both."""
    return start.astimezone(zone).utcoffset() != start.utcoffset()


def weekly_time(days: list[Meeting]) -> str:
    """The weekdays and start of one meeting held on ``days``, on the reader's clock, in its own
    zone ("Monday 7:30 PM", "Mon, Wed, Fri 7:30 PM")."""
    start = clock(datetime.combine(datetime(2000, 1, 1), parse_clock(days[0].time)))
    if len(days) == 1:
        return f"{day_name(days[0].day)} {start}"
    short = get_day_names("abbreviated", locale=str(get_locale() or "en"))
    # Babel counts days from Monday (0); Meeting Guide from Sunday (0).
    return f"{', '.join(short[(one.day - 1) % 7] for one in days)} {start}"


@lru_cache(maxsize=4096)
def _weekday_clock(weekday: int, hour: int, minute: int, twelve_hour: bool, locale: str) -> str:
    # "Tuesday 7:00 PM" depends on the weekday and the time alone: format each once per language
    # (1 January 2024 was a Monday, Python's weekday 0).
    moment = datetime(2024, 1, 1 + weekday, hour, minute)
    return babel_format_datetime(moment, "EEEE h:mm a" if twelve_hour else "EEEE HH:mm", locale=locale)


@dataclass(frozen=True)
class Date:
    """One of a not-every-week meeting's next dates, as its page lists it (local time)."""

    start: datetime
    text: str
    cancelled: bool


def next_dates(meeting: Meeting, now: datetime | None = None) -> list[Date]:
    """The next dates of a meeting in its own zone: three of a weekly one, six of one that is not
    every week ("no meeting on 24 December" for a cancelled one)."""
    count = 3 if meeting.recurrence is None else 6
    dates = []
    for one in recurrence.upcoming(meeting, now or datetime.now(UTC), count):
        day = format_date(one.start.date(), gettext("d MMMM"))
        if one.cancelled:
            text = gettext("No meeting on %(date)s", date=day)
        else:
            text = f"{format_date(one.start.date(), 'full')}, {clock(one.start)}"
            place = ", ".join(p for p in (one.moved.location, one.moved.formatted_address) if p) \
                if one.moved else ""
            if place:
                text += " · " + gettext("at %(place)s", place=place)
        dates.append(Date(one.start, text, one.cancelled))
    return dates
