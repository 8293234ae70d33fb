"""The filters a search page offers from what is there: the types and regions in use near the place."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.points import bounding_box
from finder.models import Meeting
from finder.search.criteria import Criteria
from finder.search.zone_sets import data_version
from importers.types import TYPES

#: Codes that say how to attend or that a place is closed: the attendance filter covers them.
NOT_FILTERS = frozenset({"ONL", "TC", "HY"})
ATTENDED_IN_PERSON = (Attendance.IN_PERSON, Attendance.HYBRID)


@dataclass(frozen=True)
class Facets:
    """Type codes and regions worth a filter: in use in the results or within the searched radius."""

    types: tuple[str, ...]
    regions: tuple[str, ...]


def facets(criteria: Criteria, shown: Iterable[Meeting]) -> Facets:
    """The types and regions of the meetings ``shown`` and of those listed within the search's box.

    The box (the radius's bounding box, read through the position index) ignores the other
    filters, so ticking one type does not hide the rest; the chosen ones always stay offered.
    """
    codes = set(criteria.types)
    regions = {criteria.region} if criteria.region else set()
    for meeting in shown:
        codes.update(meeting.types)
        regions.add(meeting.region)
    if criteria.has_origin:
        near_codes, near_regions = _within(data_version(), criteria.latitude, criteria.longitude,
                                           criteria.radius_km)
        codes.update(near_codes)
        regions.update(near_regions)
    return Facets(tuple(sorted(code for code in codes if code in TYPES and code not in NOT_FILTERS)),
                  tuple(sorted(filter(None, regions), key=str.casefold)))


@lru_cache(maxsize=1024)
def _within(_version: tuple[object, ...], latitude: float, longitude: float,
            radius_km: float) -> tuple[frozenset[str], frozenset[str]]:
    """Type codes and regions of the meetings shown within the radius's box, kept per process
    under the data version (finder/search/zone_sets.py): a place searched again reads nothing."""
    box = bounding_box(latitude, longitude, radius_km)
    # Read from ix_meetings_facets alone: a row per region with its meetings' types as stored
    # ("|O|D|") run together, split once here rather than row by row through the column type.
    stored = sa.type_coerce(Meeting.types, sa.String)
    rows = db.session.execute(
        sa.select(Meeting.region, sa.func.aggregate_strings(stored, ""))
        .where(Meeting.latitude.between(box.min_lat, box.max_lat),
               sa.or_(*(Meeting.longitude.between(low, high) for low, high in box.lon_ranges)),
               Meeting.attendance_option.in_(ATTENDED_IN_PERSON), Meeting.is_shown)
        .group_by(Meeting.region)).all()
    return (frozenset("".join(types or "" for _, types in rows).split("|")),
            frozenset(region for region, _ in rows))
