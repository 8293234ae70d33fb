"""VTIMEZONE components derived from zoneinfo, in the form Outlook, ical.js and Google all read.

Forms, tried in order (ical.md §1.3, §2.3, §2.4): ``fixed`` (no offset change from
``RULE_FIRST_YEAR`` on: one STANDARD); ``rule`` (each year one change to daylight and one
back, on the same nth/last weekday and wall time: one STANDARD + one DAYLIGHT with a yearly
RRULE, the only shape Outlook understands); ``rdate`` (anything else, e.g. Chile's "Sunday
on or after the 2nd" or Morocco's Ramadan hour: every change of the scanned years as
RDATEs, one value per line, because ical.js 2.2.1 reads only the first value of an RDATE).
Changes come from our own zoneinfo scan (day steps, then bisection to the minute), not from
``Timezone.from_tzid``, whose 16+ day steps miss short excursions such as Casablanca's.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from finder.zones import zone_or_none

#: First year of the RDATE fallback; older dates of a feed are history nobody reads.
SCAN_FIRST_YEAR = 2020
#: Last year scanned; after it the last observance (or the yearly rule) carries on.
SCAN_LAST_YEAR = 2037
#: The form is chosen from this year on, so a rule change in 2022 (Mexico) or 2024
#: (Kazakhstan) still gives the Outlook-readable form for the years that matter now.
#: A constant, not today's date, so the bytes of a feed never depend on when it is built.
RULE_FIRST_YEAR = 2026

Form = Literal["fixed", "rule", "rdate"]

_DAY_MINUTES = 24 * 60
_EPOCH_ONSET = datetime(1970, 1, 1)
_ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    """One change of UTC offset: ``at`` is the first UTC minute with the new offset."""

    at: datetime
    before: timedelta
    after: timedelta
    name: str

    @property
    def onset(self) -> datetime:
        """The change as RFC 5545 writes it in an observance: local time in the old offset."""
        return (self.at + self.before).replace(tzinfo=None)


@dataclass(frozen=True)
class _Observance:
    daylight: bool
    dtstart: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rrule: dict[str, object] | None = None
    rdates: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class _Rule:
    month: int
    weekday: int  # Python's: 0=Monday
    nth: int  # 1..4, or -1 for "last"
    hour: int
    minute: int

    def onset(self, year: int) -> datetime:
        """Local onset of this rule in ``year``."""
        days = calendar.monthrange(year, self.month)[1]
        if self.nth > 0:
            first = date(year, self.month, 1).weekday()
            day = 1 + (self.weekday - first) % 7 + 7 * (self.nth - 1)
        else:
            last = date(year, self.month, days).weekday()
            day = days - (last - self.weekday) % 7
        return datetime(year, self.month, day, self.hour, self.minute)


def load_zone(tzid: str) -> ZoneInfo:
    """Look up an IANA zone by the app's one rule (``finder/zones.py``), which keeps it loaded.

    Parameters:
        tzid: IANA zone name, e.g. ``"America/New_York"``.

    Returns:
        The zone.

    Raises:
        ValueError: ``tzid`` is not a zone zoneinfo knows.
    """
    zone = zone_or_none(tzid)
    if zone is None:
        raise ValueError(f"unknown time zone {tzid!r}")
    return zone


@cache
def scan_transitions(tzid: str) -> tuple[Transition, ...]:
    """Every offset change of a zone from ``SCAN_FIRST_YEAR`` to the end of ``SCAN_LAST_YEAR``.

    Parameters:
        tzid: IANA zone name.

    Returns:
        The changes in time order, found by sampling zoneinfo once a day and bisecting
        each day whose two ends differ down to the minute.

    Raises:
        ValueError: ``tzid`` is not a zone zoneinfo knows.
    """
    zone = load_zone(tzid)

    def offset(minute: int) -> timedelta:
        utcoffset = datetime.fromtimestamp(minute * 60, zone).utcoffset()
        assert utcoffset is not None  # a ZoneInfo always knows its offset
        return utcoffset

    start = int(datetime(SCAN_FIRST_YEAR, 1, 1, tzinfo=UTC).timestamp()) // 60
    end = int(datetime(SCAN_LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp()) // 60
    found: list[Transition] = []
    low, low_offset = start, offset(start)
    while low < end:
        high = min(low + _DAY_MINUTES, end)
        high_offset = offset(high)
        if high_offset != low_offset:
            lo, hi = low, high
            while hi - lo > 1:  # invariant: offset(lo) == low_offset != offset(hi)
                mid = (lo + hi) // 2
                if offset(mid) == low_offset:
                    lo = mid
                else:
                    hi = mid
            at = datetime.fromtimestamp(hi * 60, UTC)
            found.append(Transition(at, low_offset, offset(hi), at.astimezone(zone).tzname() or ""))
            # Resume from the change itself: a second change later the same day is still seen.
            high, high_offset = hi, offset(hi)
        low, low_offset = high, high_offset
    return tuple(found)


def _rule_candidates(onset: datetime) -> set[_Rule]:
    """The nth-weekday descriptions ("2nd Sunday", "last Sunday") that fit one onset."""
    days = calendar.monthrange(onset.year, onset.month)[1]
    nths = set()
    if onset.day <= 28:
        nths.add((onset.day - 1) // 7 + 1)
    if onset.day + 7 > days:
        nths.add(-1)
    return {_Rule(onset.month, onset.weekday(), n, onset.hour, onset.minute) for n in nths}


def _yearly_rule(changes: list[Transition], years: range) -> _Rule | None:
    """The single yearly rule that produced exactly ``changes`` over ``years``, if any."""
    if len(changes) != len(years) or [t.onset.year for t in changes] != list(years):
        return None
    if len({(t.before, t.after) for t in changes}) != 1:
        return None
    fitting = set.intersection(*(_rule_candidates(t.onset) for t in changes))
    if not fitting:
        return None
    rule = min(fitting, key=lambda r: (r.nth < 0, r.nth))  # "2SU" reads better than "-1SU"
    # Belt and braces: the rule must give back every scanned UTC instant.
    if any(rule.onset(t.onset.year) - t.before != t.at.replace(tzinfo=None) for t in changes):
        return None
    return rule


def _byday(rule: _Rule) -> str:
    return f"{rule.nth}{_ICAL_WEEKDAYS[rule.weekday]}"


def _rule_form(recent: list[Transition]) -> tuple[_Observance, ...] | None:
    years = range(RULE_FIRST_YEAR, SCAN_LAST_YEAR + 1)
    to_daylight = [t for t in recent if t.after > t.before]
    to_standard = [t for t in recent if t.after < t.before]
    dst_rule = _yearly_rule(to_daylight, years)
    std_rule = _yearly_rule(to_standard, years)
    if dst_rule is None or std_rule is None:
        return None
    standard, daylight = to_daylight[0].before, to_daylight[0].after
    if (to_standard[0].before, to_standard[0].after) != (daylight, standard):
        return None
    return tuple(
        _Observance(
            daylight=is_daylight,
            dtstart=rule.onset(1970),  # vzic/Google style: a rule start every client accepts
            offset_from=changes[0].before,
            offset_to=changes[0].after,
            name=changes[0].name,
            rrule={"FREQ": "YEARLY", "BYMONTH": rule.month, "BYDAY": _byday(rule)},
        )
        for is_daylight, rule, changes in (
            (False, std_rule, to_standard),
            (True, dst_rule, to_daylight),
        )
    )


def _rdate_form(tzid: str, changes: tuple[Transition, ...]) -> tuple[_Observance, ...]:
    # Keep the longest tail that swings between just two offsets, so the zone fits in
    # one STANDARD plus one DAYLIGHT (Outlook falls back to UTC on more).
    first = len(changes) - 1
    while (
        first > 0
        and len({changes[first - 1].before, *(t.after for t in changes[first - 1 :])}) <= 2
    ):
        first -= 1
    tail = changes[first:]
    initial = tail[0].before
    other = tail[0].after
    observances = []
    for offset, from_offset in sorted(((initial, other), (other, initial))):
        onsets = tuple(t.onset for t in tail if t.after == offset)
        names = [t.name for t in tail if t.after == offset]
        if offset == initial:
            # The offset in force when the scan starts, stated from the epoch on so that
            # dates before the scan still resolve to something sensible.
            start, rdates = _EPOCH_ONSET, onsets
            before = (tail[0].at - timedelta(minutes=1)).astimezone(load_zone(tzid))
            name = before.tzname() or ""
        else:
            start, rdates = onsets[0], onsets[1:]
            name = names[0]
        observances.append(
            _Observance(
                daylight=offset > from_offset,
                dtstart=start,
                offset_from=from_offset,
                offset_to=offset,
                name=name,
                rdates=rdates,
            )
        )
    return tuple(observances)


@cache
def _observances(tzid: str) -> tuple[Form, tuple[_Observance, ...]]:
    changes = scan_transitions(tzid)
    recent = [t for t in changes if t.onset.year >= RULE_FIRST_YEAR]
    if not recent:
        at = datetime(RULE_FIRST_YEAR, 1, 1, tzinfo=UTC).astimezone(load_zone(tzid))
        offset = at.utcoffset() or timedelta(0)
        return "fixed", (_Observance(False, _EPOCH_ONSET, offset, offset, at.tzname() or ""),)
    rule = _rule_form(recent)
    if rule is not None:
        return "rule", rule
    return "rdate", _rdate_form(tzid, changes)


def vtimezone_form(tzid: str) -> Form:
    """Which of the three forms ``vtimezone`` uses for a zone.

    Parameters:
        tzid: IANA zone name.

    Returns:
        ``"fixed"``, ``"rule"`` or ``"rdate"`` (see the module docstring).

    Raises:
        ValueError: ``tzid`` is not a zone zoneinfo knows.
    """
    return _observances(tzid)[0]


def vtimezone(tzid: str) -> Timezone:
    """Build the VTIMEZONE for an IANA zone (the zone scan is cached per zone).

    Parameters:
        tzid: IANA zone name; it becomes the TZID verbatim.

    Returns:
        A new ``icalendar.Timezone`` with at most one STANDARD and one DAYLIGHT; a fresh
        object on every call, so callers may attach it to any calendar.

    Raises:
        ValueError: ``tzid`` is not a zone zoneinfo knows.
    """
    component = Timezone()
    component.add("TZID", tzid)
    for observance in _observances(tzid)[1]:
        sub = TimezoneDaylight() if observance.daylight else TimezoneStandard()
        sub.add("DTSTART", observance.dtstart)
        sub.add("TZOFFSETFROM", observance.offset_from)
        sub.add("TZOFFSETTO", observance.offset_to)
        if observance.name:
            sub.add("TZNAME", observance.name)
        if observance.rrule is not None:
            sub.add("RRULE", observance.rrule)
        for rdate in observance.rdates:
            sub.add("RDATE", rdate)  # one property per value: see the module docstring
        component.add_component(sub)
    return component
