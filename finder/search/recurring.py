"""Search candidates that are not every week, checked on their real dates.

The weekly SQL (finder/search/sql.py) finds every candidate by its ``day`` and ``time`` columns,
which a monthly or every-other-week meeting keeps too; only those few rows (``recurrence`` set)
are then checked here against the seeker's dated windows, so weekly search stays as it was.
A page that drops some of them would need a second query to fill up, which costs as much as the
first: so a dated search reads a few rows ahead (``read_ahead``) when any meeting has a pattern.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from finder import recurrence
from finder.models import Meeting
from finder.search.windows import Window
from finder.search.zone_sets import data_version
from finder.weekly import next_start as weekly_next_start


def real_start(meeting: Meeting, windows: tuple[Window, ...], now: datetime) -> datetime | None:
    """The meeting's next real start from ``now``, or None when it does not meet in the windows.

    A dated window (a day, "starting soon") needs an occurrence that is not cancelled and starts
    inside it; a clock-only window is matched by the weekly SQL already. A meeting with no date
    left (past its last date) matches nothing.
    """
    if meeting.recurrence is None:
        return _weekly_start(meeting.day, meeting.time, meeting.timezone, now)
    dated = [window for window in windows if not window.every_day]
    if dated:
        start, end = max(w.start for w in dated), min(w.end for w in dated)
        # One pass from now (or the window's start, if earlier) to the window's end: the first
        # occurrence in the window, and the next start from now, which is no later than it.
        found = list(recurrence.occurrences(meeting, min(start, now), end)) if start < end else []
        first = next((occurrence for occurrence in found if occurrence.start >= start), None)
        if first is None:
            return None
        if now <= first.start:
            return found[0].start
    return recurrence.next_start(meeting, now)


@lru_cache(maxsize=4096)
def _weekly_start(day: int, clock: str, zone: str, now: datetime) -> datetime:
    # Meetings of a page share zones, days and times, and a search's instant is whole minutes:
    # most of its weekly starts were worked out already, for this page or one just before.
    return weekly_next_start(day, clock, zone, now)


def read_ahead(limit: int, windows: tuple[Window, ...]) -> int:
    """How many rows the weekly SQL reads for a page of ``limit``: a few more when a dated window
    may drop meetings that are not every week that week (so one query fills the page)."""
    if all(window.every_day for window in windows) or not any_patterns():
        return limit
    # 10% of meetings not every week drop ~6% of a dated page; an eighth more covers that.
    return limit + limit // 8 + 2


def any_patterns() -> bool:
    """True when some meeting has a pattern that is not every week (``recurrence_kind`` index):
    read with the data version, once per transaction, not once per list of a search."""
    return data_version().patterns
