"""Seeker time windows, turned into each meeting zone's local weekday and clock ranges.

A meeting is stored in its own local ``day``/``time`` and IANA zone. A seeker's window ("Tuesday
18:00-21:00 here", "in the next hour") is a span of real instants; in each meeting zone it covers a
span of local wall-clock minutes of the week, which depends on that zone's UTC offsets at the
window's two ends (so daylight saving is honoured). Zones that share both offsets share the ranges,
so a query needs one condition per offset pair (about forty), not one per zone.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from finder.weekly import DAY_MINUTES, WEEK_MINUTES, day_of, minute_of_week
from finder.zones import known_zones, zoneinfo


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open span ``[start, end)`` of real instants (aware, UTC).

    With ``every_day`` only the clock times count: the span is repeated on each day of the week
    (``from``/``to`` given without a ``day``), using the offsets of the span's own date.
    """

    start: datetime
    end: datetime
    every_day: bool = False


#: ``(low, high)`` half-open minute ranges: minutes of the week, or of the day for every-day windows.
Ranges = tuple[tuple[int, int], ...]


def floor_minute(moment: datetime) -> datetime:
    """Drop seconds: meeting times have minute resolution."""
    return moment.replace(second=0, microsecond=0)


def _at(day: date, clock_time: time, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of a wall-clock time on a date in a zone; a skipped time reads as before."""
    return datetime.combine(day, clock_time, tzinfo=zone).astimezone(UTC)


def seeker_window(
    now: datetime,
    zone: ZoneInfo,
    *,
    day: int | None = None,
    time_from: time | None = None,
    time_to: time | None = None,
) -> Window | None:
    """Return the window a seeker means by a day and/or clock times, or None for no time filter.

    ``day`` is the next such day in the seeker's zone (today counts). ``time_to`` at or before
    ``time_from`` runs past midnight into the next day (so Saturday 22:00-02:00 ends on Sunday).
    A missing ``time_from`` is midnight, a missing ``time_to`` the next midnight.
    """
    if day is None and time_from is None and time_to is None:
        return None
    today = now.astimezone(zone).date()
    on = today + timedelta(days=(day - day_of(today)) % 7) if day is not None else today
    start_clock = time_from or time(0, 0)
    start = _at(on, start_clock, zone)
    if time_to is None or time_to <= start_clock:
        end = _at(on + timedelta(days=1), time_to or time(0, 0), zone)
    else:
        end = _at(on, time_to, zone)
    return Window(start, end, every_day=day is None)


def soon_window(now: datetime, minutes: int) -> Window:
    """Return the window of meetings starting within ``minutes`` of ``now`` (both ends included)."""
    start = floor_minute(now.astimezone(UTC))
    return Window(start, start + timedelta(minutes=minutes + 1))


def _offset_minutes(name: str, moment: datetime) -> int:
    offset = moment.astimezone(zoneinfo(name)).utcoffset()  # the offset at that instant
    return int(offset.total_seconds() // 60) if offset is not None else 0


def zone_ranges(window: Window) -> tuple[tuple[Ranges, tuple[str, ...]], ...]:
    """Group every zone by the local ranges the window covers there: ``((ranges, zones), ...)``.

    Ranges are minutes of the week, or minutes of the day for an every-day window. An empty
    ``ranges`` means "no restriction" (the window covers the whole week or day there).
    """
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return _zone_ranges(window, hour if _within_clocks(window, hour) else None)


def _within_clocks(window: Window, hour: datetime) -> bool:
    """True when both ends of ``window`` are whole minutes within the clocks of ``hour`` (its
    ranges in a zone are then its clock's, see :func:`zone_groups`)."""
    return all(0 <= (minutes := (moment - hour) / timedelta(minutes=1)) < _CLOCK_SPAN
               and minutes.is_integer() for moment in (window.start, window.end))


@lru_cache(maxsize=256)
def _zone_ranges(window: Window, hour: datetime | None,
                 ) -> tuple[tuple[Ranges, tuple[str, ...]], ...]:
    # Within the hour's clocks (most seekers' windows: a day and clock in the coming week) each
    # of the ~50 clocks gives the offsets of all its zones; otherwise each of ~600 zones is asked
    # (2-3 ms a new window, a third of a filtered search's time at 250k).
    groups: dict[tuple[int, int], list[str]] = {}
    if hour is not None:
        start, end = ((moment - hour) // timedelta(minutes=1) for moment in (window.start, window.end))
        for clock, zones in _clocks(hour):
            key = (_clock_at(clock, start)[0], _clock_at(clock, end)[0])
            groups.setdefault(key, []).extend(zones)
    else:
        for zone in known_zones():
            key = (_offset_minutes(zone, window.start), _offset_minutes(zone, window.end))
            groups.setdefault(key, []).append(zone)
    return tuple((ranges, tuple(sorted(zones))) for offsets, zones in sorted(groups.items())
                 if (ranges := _local_ranges(window, *offsets)) is not None)


def _local_ranges(window: Window, start_offset: int, end_offset: int) -> Ranges | None:
    """The ranges a window covers in a zone at these UTC offsets at its two ends, or None: a
    window inside a skipped (spring-forward) hour holds no local time."""
    local_start = window.start.replace(tzinfo=None) + timedelta(minutes=start_offset)
    local_end = window.end.replace(tzinfo=None) + timedelta(minutes=end_offset)
    span = int((local_end - local_start).total_seconds() // 60)
    if span <= 0:
        return None
    period = DAY_MINUTES if window.every_day else WEEK_MINUTES
    return _split(minute_of_week(local_start) % period, span, period)


def _split(low: int, span: int, period: int) -> Ranges:
    """Split ``[low, low + span)`` at the end of the period (Saturday -> Sunday, or midnight)."""
    if span >= period:
        return ()
    high = low + span
    if high <= period:
        return ((low, high),)
    return ((low, period), (0, high - period))


@dataclass(frozen=True, slots=True)
class ZoneGroup:
    """Zones that agree on the UTC offset now and on the local ranges of every window."""

    zones: tuple[str, ...]
    offset: int  # minutes east of UTC at the search instant
    ranges: tuple[Ranges, ...]  # per window; () means unrestricted
    change: tuple[int, int] | None = None  # minutes from now to a clock change, offset after it


#: How far ahead of an hour's start its zone clocks look: a week from any minute of the hour.
_CLOCK_SPAN = WEEK_MINUTES + 60


#: A zone's clock over an hour's span: ``(offset at the hour, minutes from the hour to its clock
#: change or None, offset after the change)``.
Clock = tuple[int, int | None, int]


@lru_cache(maxsize=4)
def _clocks(hour: datetime) -> tuple[tuple[Clock, tuple[str, ...]], ...]:
    """The zones that share a clock from the start of an hour to a week after its end:
    ``((clock, zones), ...)``, in the order of their first zone (zones in known_zones order).

    Zones change their clocks months apart, so this span holds at most one change; it is found
    to the minute by bisection. Made once an hour, not per search minute (~600 zones, 1.5 ms);
    a search minute then reads each of the ~50 clocks, not each zone.
    """
    shared: dict[Clock, list[str]] = {}
    for zone in known_zones():
        offset = _offset_minutes(zone, hour)
        after = _offset_minutes(zone, hour + timedelta(minutes=_CLOCK_SPAN))
        change = None
        if after != offset:
            low, high = 0, _CLOCK_SPAN  # the offset at ``low`` is the hour's; at ``high`` it is not
            while high - low > 1:
                middle = (low + high) // 2
                if _offset_minutes(zone, hour + timedelta(minutes=middle)) == offset:
                    low = middle
                else:
                    high = middle
            change = high
        shared.setdefault((offset, change, after), []).append(zone)
    return tuple((clock, tuple(zones)) for clock, zones in shared.items())


def _clock_at(clock: Clock, minute: int) -> tuple[int, tuple[int, int] | None]:
    """A zone's offset ``minute`` minutes into its clock's hour, and its clock change in the
    week from then: ``(minutes to it, offset after)``, or None."""
    offset, change, after = clock
    if change is None:
        return offset, None
    if minute >= change:
        return after, None
    return offset, ((change - minute, after) if change <= minute + WEEK_MINUTES else None)


@lru_cache(maxsize=256)
def zone_groups(now: datetime, windows: tuple[Window, ...]) -> tuple[ZoneGroup, ...]:
    """Group every zone by its offset now, its clock change this week and its ranges of each
    window (about forty groups).

    Zones where some window holds no local time are left out: nothing there can match.
    """
    hour = now.replace(minute=0)
    minute = (now - hour) // timedelta(minutes=1)
    # Windows within the hour's clocks (a "starting within" window: a new one every minute) have
    # the same ranges in every zone of a clock; others go through zone_ranges.
    ends = [[(moment - hour) / timedelta(minutes=1) for moment in (window.start, window.end)]
            for window in windows]
    by_clock = all(_within_clocks(window, hour) for window in windows)
    per_window = [] if by_clock else [
        {zone: ranges for ranges, zones in zone_ranges(window) for zone in zones} for window in windows]
    groups: dict[tuple[Any, ...], list[str]] = {}
    for clock, zones in _clocks(hour):
        offset, change = _clock_at(clock, minute)
        if by_clock:
            ranges = tuple(_local_ranges(window, _clock_at(clock, int(start))[0],
                                         _clock_at(clock, int(end))[0])
                           for window, (start, end) in zip(windows, ends, strict=True))
            parts = [] if None in ranges else [(ranges, zones)]
        else:
            parts = _by_ranges(zones, per_window)
        for ranges, kept in parts:
            groups.setdefault((offset, ranges, change), []).extend(kept)
    # Zones of several clocks may share a group now: each group's zones sorted, the groups in the
    # order of their first zone, as reading the zones one by one makes them.
    found = sorted((sorted(zones), key) for key, zones in groups.items())
    return tuple(ZoneGroup(tuple(zones), offset, ranges, change)
                 for zones, (offset, ranges, change) in found)


def _by_ranges(zones: tuple[str, ...], per_window: list[dict[str, Ranges]],
               ) -> Iterable[tuple[tuple[Ranges, ...], Sequence[str]]]:
    """Zones split by their ranges of each window; those where a window holds no local time left
    out."""
    split: dict[tuple[Ranges, ...], list[str]] = {}
    for zone in zones:
        ranges = tuple(mapping.get(zone) for mapping in per_window)
        if None not in ranges:
            split.setdefault(ranges, []).append(zone)
    return split.items()


def key_ranges(now: datetime, offset: int, low: int, span: int) -> Ranges:
    """Local week ranges, in a zone at ``offset``, of starts ``low`` to ``low + span`` minutes from now."""
    start = (minute_of_week(now.astimezone(UTC)) + offset + low) % WEEK_MINUTES
    return _split(start, span, WEEK_MINUTES)


def _intersect(first: Ranges, second: Ranges) -> Ranges:
    """The minutes in both of two sets of half-open ranges (each sorted and disjoint)."""
    both = [(max(a, c), min(b, d)) for a, b in first for c, d in second if max(a, c) < min(b, d)]
    return tuple(sorted(both))


def _week_ranges(ranges: Ranges, every_day: bool) -> Ranges:
    """A window's ranges as minutes of the week (an every-day window's, on each of the 7 days)."""
    if not every_day:
        return tuple(sorted(ranges))
    return tuple((day * DAY_MINUTES + low, day * DAY_MINUTES + high)
                 for day in range(7) for low, high in sorted(ranges))


#: ``(offset, day, low, high)``: local starts on ``day`` from minute ``low`` to before ``high``
#: of the day, in a stretch of time when the zone's UTC offset is ``offset``.
Slot = tuple[int, int, int, int]


def _stretches(group: ZoneGroup, low: int, high: int) -> list[tuple[int, int, int]]:
    """``(offset, low, high)``: the minutes from now ``low`` to ``high``, split at the clock change.

    Local times skipped by a spring-forward change stay with the earlier offset (they start
    that much after the change, as ``finder.weekly.next_start`` reads them); times repeated by a
    fall-back change are taken once, at their first pass, as ``next_start`` does too.
    """
    if group.change is None:
        return [(group.offset, low, high)]
    at, after = group.change
    before = group.offset
    return [(before, low, min(high, at + max(0, after - before))),
            (after, max(low, at + max(0, before - after)), high)]


def group_slots(now: datetime, group: ZoneGroup, windows: tuple[Window, ...], low: int,
                span: int) -> tuple[Slot, ...]:
    """The local slots of a zone group's meetings that start ``low`` to ``low + span`` minutes
    from ``now`` and lie in every window: each an index seek on (zone, day, time), with the
    offset that turns its local times into minutes from now."""
    slots = []
    for offset, start_key, end_key in _stretches(group, low, low + span):
        if end_key <= start_key:
            continue
        allowed = key_ranges(now, offset, start_key, end_key - start_key) or ((0, WEEK_MINUTES),)
        for ranges, window in zip(group.ranges, windows, strict=True):
            if ranges:
                allowed = _intersect(allowed, _week_ranges(ranges, window.every_day))
        for start, end in allowed:
            while start < end:  # one slot per local day: the index is on day, then time
                day = start // DAY_MINUTES
                stop = min(end, (day + 1) * DAY_MINUTES)
                slots.append((offset, day, start - day * DAY_MINUTES, stop - day * DAY_MINUTES))
                start = stop
    return tuple(slots)


@lru_cache(maxsize=256)
def start_slots(now: datetime, windows: tuple[Window, ...], low: int, span: int,
                ) -> tuple[tuple[tuple[str, ...], Slot], ...]:
    """``(zones, slot)`` of every zone group's slots for the online list: each slot is sought in
    each of its zones.

    The slots of every zone and local day make one statement whatever the zones, joined to a
    row per zone and slot, with each row's offset giving the minutes until a meeting's next start.
    """
    return tuple((group.zones, slot)
                 for group in zone_groups(now, windows)
                 for slot in group_slots(now, group, windows, low, span))
