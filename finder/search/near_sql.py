"""SQL of the in-person list: rows within a radius (an indexed box, then haversine's ``a``),
nearest first, after a keyset position; and ``a`` to and from kilometres."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy.sql.elements import TextClause

from finder.geo.points import EARTH_RADIUS_KM, BoundingBox
from finder.search.driver import LIST_HEAD
from finder.search.sql import LISTED, quoted, statement

_RAD = repr(math.pi / 180.0)

#: Haversine's ``a`` from the origin (``:olat``, ``:olon`` in radians, ``:coslat``) to a row,
#: ``(1 - cos dphi)/2 + cos phi1 cos phi2 (1 - cos dlambda)/2``. It grows with the great-circle
#: distance ``2 R asin(sqrt(a))``, so rows are filtered and sorted on it directly: three cosines
#: a row, no square root or arcsine until the page.
CHORD = (f"((1 - cos(meetings.latitude * {_RAD} - :olat)) / 2 + :coslat * "
         f"cos(meetings.latitude * {_RAD}) * (1 - cos(meetings.longitude * {_RAD} - :olon)) / 2)")


def near_query(sort_key: str, within: list[str], attendance: list[str],
               after: Sequence[float] | None, extra: list[str], params: dict[str, Any],
               limit: int) -> tuple[TextClause, dict[str, Any]]:
    """``(id, sort_key)`` of the in-person list and its parameters: rows ``within`` the radius,
    nearest first by ``sort_key`` (SQL that grows with the distance: haversine's ``a``, or PostGIS
    metres), then id, after a keyset position.
    """
    terms = [*within, f"meetings.attendance_option IN ({', '.join(map(quoted, attendance))})", LISTED]
    params = {**params, "page_limit": limit}
    if after is not None:
        terms.append(f"({sort_key}, meetings.id) > (:after_key, :after_id)")
        params.update(after_key=float(after[0]), after_id=int(after[1]))
    sql = (f"{LIST_HEAD}{sort_key} AS sort_key FROM meetings "
           f"WHERE {' AND '.join(terms + extra)} ORDER BY sort_key, meetings.id LIMIT :page_limit")
    return statement(sql, params), params


def within_sql(box: BoundingBox, latitude: float, longitude: float, limit_a: float | None,
               ) -> tuple[list[str], dict[str, Any]]:
    """SQL terms and parameters for rows within a radius: the indexed box, then haversine ``a``."""
    params: dict[str, Any] = {
        "olat": math.radians(latitude), "olon": math.radians(longitude),
        "coslat": math.cos(math.radians(latitude)), "min_lat": box.min_lat, "max_lat": box.max_lat}
    longitudes = []
    for index, (low, high) in enumerate(box.lon_ranges):
        params[f"west{index}"], params[f"east{index}"] = low, high
        longitudes.append(f"meetings.longitude BETWEEN :west{index} AND :east{index}")
    terms = ["meetings.latitude BETWEEN :min_lat AND :max_lat", f"({' OR '.join(longitudes)})"]
    if limit_a is not None:
        terms.append(f"{CHORD} <= :limit_a")
        params["limit_a"] = limit_a
    return terms, params


def chord_limit(radius_km: float) -> float | None:
    """The largest ``a`` within ``radius_km``; None when the radius covers the whole sphere."""
    half_angle = radius_km / (2 * EARTH_RADIUS_KM)
    return math.sin(half_angle) ** 2 if half_angle < math.pi / 2 else None


def chord_km(a: float) -> float:
    """The great-circle distance in km for haversine's ``a`` (only for the rows of a page)."""
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))
