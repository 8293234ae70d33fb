"""Weekly time as Meeting Guide writes it: day 0 = Sunday, ``HH:MM`` local clocks, next start, length."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from finder.enums import N_
from finder.zones import stored_zone

#: Minutes in a day and in a week; minute-of-week 0 is Sunday 00:00, as ``day`` 0 is Sunday.
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES

#: Day names by Meeting Guide day number, in English (pages translate them: finder/web/i18n.py).
DAY_NAMES = (N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
             N_("Friday"), N_("Saturday"))

#: Meeting Guide: a meeting without an end time lasts an hour.
DEFAULT_DURATION = timedelta(minutes=60)


def day_of(moment: date) -> int:
    """The Meeting Guide day number (0 = Sunday .. 6 = Saturday) of a date or datetime."""
    return moment.isoweekday() % 7  # ISO Sunday is 7


def minutes(clock: str) -> int:
    """Minutes after midnight of an ``HH:MM`` clock."""
    return int(clock[:2]) * 60 + int(clock[3:5])


def clock(total: int) -> str:
    """``HH:MM`` of a count of minutes after midnight, wrapped into one day."""
    total %= DAY_MINUTES
    return f"{total // 60:02d}:{total % 60:02d}"


def parse_clock(text: str) -> time:
    """Parse exactly ``HH:MM`` (24-hour); raise ValueError for anything else."""
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        raise ValueError(f"not an HH:MM time: {text!r}")
    return time(int(text[:2]), int(text[3:]))


def minute_of_week(local: datetime) -> int:
    """The wall-clock minute of the week of a local datetime (Sunday 00:00 is 0)."""
    return day_of(local) * DAY_MINUTES + local.hour * 60 + local.minute


def length_minutes(start: str, end: str) -> int:
    """Minutes from ``start`` to ``end``; an end at or before the start is on the next day."""
    return (minutes(end) - minutes(start)) % DAY_MINUTES


def duration(start: str, end: str | None) -> timedelta:
    """Length of a meeting; a missing end, or one equal to the start, means one hour."""
    length = length_minutes(start, end) if end else 0
    return timedelta(minutes=length) if length else DEFAULT_DURATION


def local_start(clock_text: str, zone_name: str, on: date) -> datetime:
    """The aware local start at ``clock_text`` on a date in a zone, as the wall clock reads there.

    A wall time that does not exist or exists twice is left as is (fold=0).
    """
    return datetime.combine(on, parse_clock(clock_text), tzinfo=stored_zone(zone_name))


def next_start(day: int, clock_text: str, zone_name: str, now: datetime | None = None) -> datetime:
    """The next start (at or after ``now``) of a weekly meeting, aware, in the meeting's own zone.

    ``day`` is 0 = Sunday; ``clock_text`` is ``HH:MM`` local to ``zone_name``. A start that falls
    in a spring-forward gap is moved forward by the gap, as clocks do.
    """
    tz = stored_zone(zone_name)
    now = (now or datetime.now(UTC)).astimezone(tz)
    days_ahead = (day - day_of(now)) % 7
    for extra in (0, 7):
        local = local_start(clock_text, zone_name, now.date() + timedelta(days=days_ahead + extra))
        start = local.astimezone(UTC).astimezone(tz)  # normalises a time in a DST gap
        if start >= now:
            return start
    raise AssertionError("unreachable: a weekly time recurs within two weeks")
