"""SQL building blocks for search: great-circle distance, time ranges, text, SQLite functions."""
from __future__ import annotations

import math
import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from finder.geo import EARTH_RADIUS_KM, BoundingBox
from finder.models import Meeting
from finder.search_time import DAY_MINUTES, WEEK_MINUTES, Ranges, clock

_RADIANS = math.pi / 180.0

# SQLite gains these from its math extension (3.35+, when compiled in); Python stands in otherwise.
_MATH = {"sin": math.sin, "cos": math.cos, "asin": math.asin, "sqrt": math.sqrt}


def _sqlite_lower(value: Any) -> Any:
    # SQLite's own lower() folds ASCII only; free-text search must match "CAFÉ" to "café".
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _sqlite_functions(dbapi_connection: Any, _record: Any) -> None:
    """Give every SQLite connection the maths that distance needs, and a Unicode ``lower``."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    try:
        dbapi_connection.execute("select sin(1), cos(1), asin(1), sqrt(1)").fetchone()
    except sqlite3.OperationalError:
        for name, function in _MATH.items():
            dbapi_connection.create_function(name, 1, function, deterministic=True)
    dbapi_connection.create_function("lower", 1, _sqlite_lower, deterministic=True)


def in_box(box: BoundingBox) -> ColumnElement[bool]:
    """Rows whose coordinates fall in the box: one range each on the indexed lat/lon columns."""
    longitude = sa.or_(*(Meeting.longitude.between(low, high) for low, high in box.lon_ranges))
    return sa.and_(Meeting.latitude.between(box.min_lat, box.max_lat), longitude)


def distance_km(latitude: float, longitude: float, dialect: str) -> ColumnElement[float]:
    """Haversine distance in km from a point to each row, in SQL (same formula as geo.haversine_km)."""
    half_dlat = (Meeting.latitude * _RADIANS - latitude * _RADIANS) / 2
    half_dlon = (Meeting.longitude * _RADIANS - longitude * _RADIANS) / 2
    sin_lat, sin_lon = sa.func.sin(half_dlat), sa.func.sin(half_dlon)
    a = sin_lat * sin_lat + math.cos(latitude * _RADIANS) * sa.func.cos(
        Meeting.latitude * _RADIANS
    ) * sin_lon * sin_lon
    # Clamp against rounding past 1 for antipodal points (LEAST in PostgreSQL, min() in SQLite).
    clamp = sa.func.least if dialect == "postgresql" else sa.func.min
    return 2 * EARTH_RADIUS_KM * sa.func.asin(clamp(1.0, sa.func.sqrt(a)))


def _clock_at(minutes: int) -> tuple[int, str]:
    """A minute of the week as a ``(day, "HH:MM")`` pair; the week's end is ``(7, "00:00")``."""
    return minutes // DAY_MINUTES, clock(minutes % DAY_MINUTES)


def week_range(low: int, high: int) -> ColumnElement[bool]:
    """Meetings whose local ``(day, time)`` lies in ``[low, high)`` minutes of the week."""
    start = sa.tuple_(Meeting.day, Meeting.time)
    return sa.and_(start >= _clock_at(low), start < _clock_at(high))


def day_range(low: int, high: int) -> ColumnElement[bool]:
    """Meetings whose local ``time`` lies in ``[low, high)`` minutes of the day."""
    upper = Meeting.time < clock(high) if high < DAY_MINUTES else sa.true()
    return sa.and_(Meeting.time >= clock(low), upper)


def in_window(groups: tuple[tuple[Ranges, tuple[str, ...]], ...], every_day: bool) -> ColumnElement[bool]:
    """Meetings whose local start falls in their own zone's ranges of a seeker window."""
    to_sql = day_range if every_day else week_range
    clauses = []
    for ranges, zones in groups:
        # The cheap comparison goes first so that most rows never reach the zone lookup.
        local = sa.or_(*(to_sql(low, high) for low, high in ranges)) if ranges else sa.true()
        clauses.append(sa.and_(local, Meeting.timezone.in_(zones)))
    return sa.or_(*clauses) if clauses else sa.false()


def minutes_until(zone_offset_minutes: ColumnElement[int], now_utc_week_minute: int) -> ColumnElement[int]:
    """Minutes from now (UTC minute of the week) to each row's next start, given its zone offset."""
    local = (
        Meeting.day * DAY_MINUTES
        + sa.cast(sa.func.substr(Meeting.time, 1, 2), sa.Integer) * 60
        + sa.cast(sa.func.substr(Meeting.time, 4, 2), sa.Integer)
    )
    return (local - zone_offset_minutes - now_utc_week_minute + 2 * WEEK_MINUTES) % WEEK_MINUTES


def contains_text(column: Any, pattern: str) -> ColumnElement[bool]:
    """Case-insensitive substring match on both engines (the pattern is already lower-case)."""
    return sa.func.lower(column).like(pattern, escape="\\")


def like_pattern(word: str) -> str:
    """``%word%`` with LIKE's wildcards escaped, lower-cased."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
