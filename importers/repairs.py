"""What real feeds get wrong that a reader would notice: repaired where unambiguous, else warned.

Each check returns its value and its warnings, like the steps in ``importers/steps.py``; a
``Tally`` warning is one the report counts instead of listing meeting by meeting.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from finder.weekly import minutes
from importers.record import Issue

# A weekly meeting that ends past midnight is plausible up to this long (a late meeting, a
# marathon); beyond it, an end before the start is a typo (12:15 -> 01:15 meant 13:15).
LONGEST_PAST_MIDNIGHT = 6 * 60

# "What'S", "Men'S": another system's title-casing (a capital S closing a word after an
# apostrophe). Only this one pattern; every other casing is the feed's own.
_APOSTROPHE_S = re.compile(r"(?<=\w)(['’])S\b")
NAME_REPAIRED = "names repaired: a capital S after an apostrophe (What'S -> What's)"


class Tally(Issue):
    """A change made alike to many meetings: the report gives its reason once, with a count."""


def name_check(name: str | None) -> tuple[str | None, list[Issue]]:
    """The name with upstream title-casing's apostrophe-S undone, and a tally if it was."""
    if not name or ("'S" not in name and "’S" not in name):
        return name, []
    repaired = _APOSTROPHE_S.sub(r"\1s", name)
    return (repaired, [Tally(None, NAME_REPAIRED)]) if repaired != name else (name, [])


def open_closed_check(codes: Iterable[str], name: str) -> tuple[list[str], list[str]]:
    """Closed wins over Open (as TSML does), said out loud: the meeting is named in the warning."""
    kept = list(codes)
    if "O" in kept and "C" in kept:
        kept.remove("O")
        return kept, [f"{name!r} is listed both Open and Closed: Closed (the stricter) kept"]
    return kept, []


def end_check(start: str, end: str | None, name: str) -> tuple[str | None, list[str]]:
    """The end time, or None when it would make an implausibly long meeting past midnight."""
    if end is None or minutes(end) >= minutes(start):
        return end, []
    length = minutes(end) - minutes(start) + 24 * 60
    if length <= LONGEST_PAST_MIDNIGHT:
        return end, []
    hours, rest = divmod(length, 60)
    return None, [f"{name!r} ends at {end}, before its start {start}: read past midnight that is "
                  f"{hours} h {rest:02d} min; end time dropped"]


def stated_place(held_in_place: bool, point: object, postcode: str | None, codes: Iterable[str]
                 ) -> bool:
    """True when the feed says the meeting meets in a place it locates only roughly.

    A position or a postal code is enough to find it (a park, an address given on request),
    unless the place is flagged closed (``TC``).
    """
    return held_in_place and bool(point or postcode) and "TC" not in codes
