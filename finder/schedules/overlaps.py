"""Picks of a schedule that overlap in absolute time, each meeting read in its own zone."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from typing import Protocol

from finder.weekly import day_of, duration, local_start
from finder.zones import stored_zone


class WeeklySlot(Protocol):
    """What overlap detection reads from a meeting (Meeting Guide fields)."""

    id: int
    day: int
    time: str
    end_time: str | None
    timezone: str


def occurrences(slot: WeeklySlot, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """UTC (start, end) of each weekly occurrence that overlaps [start, end)."""
    length = duration(slot.time, slot.end_time)
    local_day: date = (start - length).astimezone(stored_zone(slot.timezone)).date() - timedelta(days=1)
    local_day += timedelta(days=(slot.day - day_of(local_day)) % 7)
    found = []
    while True:
        begin = local_start(slot.time, slot.timezone, local_day).astimezone(UTC)
        if begin >= end:
            return found
        if begin + length > start:
            found.append((begin, begin + length))
        local_day += timedelta(weeks=1)


def overlapping_pairs(
    slots: Iterable[WeeklySlot], now: datetime, days: int = 7
) -> list[tuple[int, int]]:
    """Id pairs ``(a, b)``, ``a < b``, of meetings that overlap at some point in the coming week.

    Compared in UTC, so an online meeting in another zone clashes only if it really does.
    """
    window_end = now + timedelta(days=days)
    spans = {slot.id: occurrences(slot, now, window_end) for slot in slots}
    pairs = []
    for a, b in combinations(sorted(spans), 2):
        if any(s1 < e2 and s2 < e1 for s1, e1 in spans[a] for s2, e2 in spans[b]):
            pairs.append((a, b))
    return pairs
