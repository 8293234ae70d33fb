"""What a seeker asks for (``Criteria``) and what a search answers (``SearchPage`` of ``Hit``),
and how the asked attendance splits into the in-person and the online list (finder/search/query.py
runs the search)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from finder.enums import Attendance, Fellowship

#: The distance searched when the seeker gives none.
DEFAULT_RADIUS_KM = 25.0
ATTENDABLE = frozenset({Attendance.IN_PERSON, Attendance.HYBRID, Attendance.ONLINE})
TYPE_CODE = re.compile(r"^[A-Za-z0-9-]{1,10}$")
#: Orders of results: the documented distance-then-time order, or next start throughout.
ORDERS = ("distance", "time")


@dataclass(frozen=True)
class Criteria:
    """What a seeker asks for; every field is optional.

    Times (``day``, ``time_from``/``time_to``, ``starting_within`` in minutes) are in the seeker's
    zone ``tz`` and are matched against each meeting in the meeting's own zone.
    ``attendance`` empty means in person, hybrid and online alike.
    """

    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    attendance: frozenset[Attendance] = frozenset()
    fellowships: frozenset[Fellowship] = frozenset()
    day: int | None = None
    time_from: time | None = None
    time_to: time | None = None
    starting_within: int | None = None
    types: tuple[str, ...] = ()
    region: str | None = None
    q: str = ""
    tz: str = "UTC"
    limit: int = 50
    cursor: str | None = None
    now: datetime | None = None
    order: str = "distance"

    def __post_init__(self) -> None:
        """Refuse criteria that cannot be searched (the API checks earlier, with friendlier words)."""
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together")
        if not self.attendance <= ATTENDABLE:
            raise ValueError("attendance can only be in_person, hybrid or online")
        if any(not TYPE_CODE.match(code) for code in self.types):
            raise ValueError("type codes are letters, digits and '-'")
        if self.day is not None and not 0 <= self.day <= 6:
            raise ValueError("day is 0 (Sunday) to 6 (Saturday)")
        if self.time_from is not None and self.time_from == self.time_to:
            raise ValueError("from and to must differ")
        if self.order not in ORDERS:
            raise ValueError("order is distance or time")
        if not 1 <= self.limit <= 500:
            raise ValueError("limit is 1 to 500")

    @property
    def has_origin(self) -> bool:
        """True when a point to measure distances from was given."""
        return self.latitude is not None


@dataclass
class Hit:
    """One meeting found, with its distance (None for online-only) and next start for the seeker.

    ``meeting`` is what the search's loader read (finder/search/loading.py): a ``Meeting``, or a
    row of its columns.
    """

    meeting: Any
    distance_km: float | None
    next_start: datetime


@dataclass
class SearchPage:
    """A page of hits and the cursor of the next page (None on the last page)."""

    hits: list[Hit] = field(default_factory=list)
    next: str | None = None
    now: datetime | None = None


def split_attendance(criteria: Criteria) -> tuple[frozenset[Attendance], frozenset[Attendance]]:
    """Return the attendance options of the distance-ranked list and of the online list.

    Hybrid meets both an in-person and an online seeker, unless hybrid alone is asked for; with
    no origin everything is in the online (next-start) list.
    """
    wanted = criteria.attendance or ATTENDABLE
    in_person = wanted & {Attendance.IN_PERSON, Attendance.HYBRID}
    near = (frozenset({Attendance.IN_PERSON, Attendance.HYBRID})
            if Attendance.IN_PERSON in wanted else frozenset(in_person))
    online = frozenset({Attendance.ONLINE}) if Attendance.ONLINE in wanted else frozenset()
    if not near and online:
        online |= {Attendance.HYBRID}
    if not criteria.has_origin:
        return frozenset(), near | online
    return near, online
