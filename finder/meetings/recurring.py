"""Giving a meeting a pattern that is not every week (finder/pattern.py), as a change."""
from __future__ import annotations

from datetime import datetime

from finder.models import Meeting, utcnow
from finder.pattern import Recurrence


def set_recurrence(meeting: Meeting, pattern: Recurrence | None, now: datetime | None = None) -> bool:
    """Store ``pattern`` (None or plain weekly: every week) on ``meeting``; True if it changed.

    A change bumps SEQUENCE and the change time, so calendars replace the series (RFC 5545
    §3.8.7.4). Raises ValueError when the pattern does not fit the meeting's day; the caller
    commits.
    """
    if pattern is not None and pattern.is_plain:
        pattern = None
    if pattern is not None:
        pattern.check(meeting.day)
    if pattern == meeting.recurrence:
        return False
    meeting.recurrence = pattern
    meeting.sequence = (meeting.sequence or 0) + 1
    meeting.changed_at = now or utcnow()
    return True
