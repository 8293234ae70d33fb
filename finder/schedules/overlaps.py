"""Picks of a schedule that overlap in absolute time, each meeting read in its own zone."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Protocol

from finder import recurrence

#: Plans compare the real dates of the coming eight weeks (monthly meetings, cancelled dates).
HORIZON_DAYS = 56


class WeeklySlot(Protocol):
    """What overlap detection reads from a meeting (Meeting Guide fields; a ``recurrence``
    pattern too, when it has one)."""

    id: int
    day: int
    time: str
    end_time: str | None
    timezone: str


def occurrences(slot: WeeklySlot, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """UTC (start, end) of each real occurrence (not cancelled) that overlaps [start, end)."""
    found = recurrence.occurrences(slot, start - timedelta(days=1), end)  # type: ignore[arg-type]
    return [(o.start.astimezone(UTC), o.end.astimezone(UTC)) for o in found if o.end > start]


def overlapping_pairs(
    slots: Iterable[WeeklySlot], now: datetime, days: int = HORIZON_DAYS
) -> list[tuple[int, int]]:
    """Id pairs ``(a, b)``, ``a < b``, of meetings that overlap at some point in the coming
    eight weeks, on their real dates.

    Compared in UTC, so an online meeting in another zone clashes only if it really does.
    """
    window_end = now + timedelta(days=days)
    spans = {slot.id: occurrences(slot, now, window_end) for slot in slots}
    pairs = []
    for a, b in combinations(sorted(spans), 2):
        if any(s1 < e2 and s2 < e1 for s1, e1 in spans[a] for s2, e2 in spans[b]):
            pairs.append((a, b))
    return pairs
