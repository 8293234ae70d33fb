"""Weekly meeting times as instants: the next start, and the same start in the seeker's zone."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import request

TZ_COOKIE = "tz"


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None for an empty or unknown name."""
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def seeker_zone() -> ZoneInfo | None:
    """The seeker's zone: ``?tz=``, else the one the browser reported in a cookie, else unknown."""
    return zone_or_none(request.args.get("tz")) or zone_or_none(request.cookies.get(TZ_COOKIE))


def next_start(day: int, time: str, zone: str, now: datetime | None = None) -> datetime:
    """The next start (at or after ``now``) of a weekly meeting, aware, in the meeting's own zone.

    ``day`` is 0 = Sunday as in the Meeting Guide spec; ``time`` is ``HH:MM`` local to ``zone``.
    A start that falls in a spring-forward gap is moved forward by the gap, as clocks do.
    """
    tz = ZoneInfo(zone)
    now = (now or datetime.now(UTC)).astimezone(tz)
    hour, minute = int(time[:2]), int(time[3:5])
    days_ahead = (day - (now.isoweekday() % 7)) % 7
    for extra in (0, 7):
        date = now.date() + timedelta(days=days_ahead + extra)
        local = datetime(date.year, date.month, date.day, hour, minute, tzinfo=tz)
        start = local.astimezone(UTC).astimezone(tz)  # normalises a time in a DST gap
        if start >= now:
            return start
    raise AssertionError("unreachable: a weekly time recurs within two weeks")
