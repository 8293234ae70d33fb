"""Search candidates that are not every week, checked on their real dates.

The weekly SQL (finder/search/sql.py) finds every candidate by its ``day`` and ``time`` columns,
which a monthly or every-other-week meeting keeps too; only those few rows (``recurrence`` set)
are then checked here against the seeker's dated windows, so weekly search stays as it was.
"""
from __future__ import annotations

from datetime import datetime

from finder import recurrence
from finder.models import Meeting
from finder.search.windows import Window
from finder.weekly import next_start as weekly_next_start


def real_start(meeting: Meeting, windows: tuple[Window, ...], now: datetime) -> datetime | None:
    """The meeting's next real start from ``now``, or None when it does not meet in the windows.

    A dated window (a day, "starting soon") needs an occurrence that is not cancelled and starts
    inside it; a clock-only window is matched by the weekly SQL already. A meeting with no date
    left (past its last date) matches nothing.
    """
    if meeting.recurrence is None:
        return weekly_next_start(meeting.day, meeting.time, meeting.timezone, now)
    dated = [window for window in windows if not window.every_day]
    if dated:
        start, end = max(w.start for w in dated), min(w.end for w in dated)
        found = next(recurrence.occurrences(meeting, start, end), None) if start < end else None
        if found is None:
            return None
        if start <= now <= found.start:  # "starting soon": the first one in it is the next one
            return found.start
    return recurrence.next_start(meeting, now)
