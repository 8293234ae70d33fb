"""One meeting as a calendar feed shows it: its fields, checked, and the dates it meets on.

``feeds.ical`` renders these as iCalendar; this module holds the event and its own rules, so that
a wrong value is refused when the event is made, before any feed is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from feeds.vtimezone import load_zone
from finder.pattern import Recurrence
from finder.recurrence import dates as pattern_dates
from finder.weekly import clock, local_start, minutes

STATUSES = frozenset({"CONFIRMED", "CANCELLED", "TENTATIVE"})
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


@dataclass(frozen=True)
class FeedEvent:
    """One weekly meeting as the feed shows it; fields follow Meeting Guide where they can."""

    uid: str
    summary: str
    day: int  # 0=Sunday .. 6=Saturday (Meeting Guide)
    time: str  # "HH:MM" local wall time in `timezone`
    duration: timedelta
    timezone: str  # IANA name
    anchor: date  # DTSTART is the first date on/after this whose weekday is `day`
    sequence: int = 0
    last_modified: datetime | None = None  # aware; also used as DTSTAMP
    status: str = "CONFIRMED"
    location: str | None = None
    geo: tuple[float, float] | None = None
    description: str | None = None
    url: str | None = None
    conference_url: str | None = None
    conference_phone: str | None = None
    alarm_minutes: int | None = None
    cancelled_dates: tuple[date, ...] = ()
    recurrence: Recurrence | None = None  # None: every week

    def __post_init__(self) -> None:
        """Reject values that would give an invalid or misleading feed.

        Raises:
            ValueError: a field is out of range; the message names it.
        """
        if not self.uid or any(c in self.uid for c in "\r\n"):
            raise ValueError("uid must be a non-empty single line")
        if not 0 <= self.day <= 6:
            raise ValueError(f"day must be 0 (Sunday) .. 6 (Saturday), not {self.day!r}")
        if not _TIME.fullmatch(self.time):
            raise ValueError(f"time must be HH:MM, not {self.time!r}")
        if self.duration <= timedelta(0):
            raise ValueError("duration must be positive")
        load_zone(self.timezone)
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {sorted(STATUSES)}, not {self.status!r}")
        if self.last_modified is not None and self.last_modified.utcoffset() is None:
            raise ValueError("last_modified must be timezone-aware")
        if self.sequence < 0:
            raise ValueError("sequence must not be negative")
        if self.alarm_minutes is not None and self.alarm_minutes < 0:
            raise ValueError("alarm_minutes must not be negative")
        if self.geo is not None and not (-90 <= self.geo[0] <= 90 and -180 <= self.geo[1] <= 180):
            raise ValueError(f"geo out of range: {self.geo!r}")
        if self.recurrence is not None:
            self.recurrence.check(self.day)
        first = self.first_date
        for cancelled in self.cancelled_dates:
            # A RECURRENCE-ID that hits no occurrence is undefined behaviour in clients.
            if first is None or not self.meets_on(cancelled) or cancelled < first:
                raise ValueError(f"cancelled date {cancelled} is not an occurrence of {self.uid}")

    @property
    def end_time(self) -> str:
        """The local end clock (what the occurrence engine reads with ``time``)."""
        return clock(minutes(self.time) + int(self.duration.total_seconds() // 60))

    def meets_on(self, on: date) -> bool:
        """True when the pattern has a meeting on local date ``on`` (cancelled or not)."""
        return (self.recurrence or Recurrence()).meets_on(self.day, on)

    @property
    def first_date(self) -> date | None:
        """The local date of the first occurrence on or after ``anchor`` that the pattern does
        not cancel (DTSTART), or None when there is none."""
        pattern = self.recurrence or Recurrence()
        first = max(self.anchor, pattern.starts or self.anchor)
        last = pattern.ends or first + timedelta(days=800)
        return next((on for on in pattern_dates(self, first, last)
                     if on not in pattern.cancelled), None)

    def local_start(self, on: date) -> datetime:
        """The meeting's aware local start on a given date (as written in DTSTART/RECURRENCE-ID).

        Parameters:
            on: the local date.

        Returns:
            ``on`` at ``time`` in ``timezone``; a wall time that does not exist or exists
            twice is left as is, and clients read it per RFC 5545 §3.3.5 (fold=0).
        """
        return local_start(self.time, self.timezone, on)
