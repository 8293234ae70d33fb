"""SQL building blocks for search: great-circle distance, time ranges, text, SQLite functions."""
from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from finder.geo import EARTH_RADIUS_KM, BoundingBox
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
    # Searches read scattered rows: memory-mapped pages spare a system call per page read.
    dbapi_connection.execute("PRAGMA mmap_size = 268435456")


def _number(value: float) -> str:
    """A number as SQL text, in parentheses so that a minus sign never makes ``--``."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return f"({value!r})"


def chord_sql(latitude: float, longitude: float) -> str:
    """Haversine's ``a`` from a point to each row: ``(1 - cos dphi)/2 + cos phi1 cos phi2 (1 - cos dlambda)/2``.

    It grows with the great-circle distance ``2 R asin(sqrt(a))``, so rows are filtered and
    sorted on it directly: three cosines a row, no square root or arcsine until the page.
    """
    lat, lon = _number(math.radians(latitude)), _number(math.radians(longitude))
    radians = _number(_RADIANS)
    return (f"((1 - cos(meetings.latitude * {radians} - {lat})) / 2 + "
            f"{_number(math.cos(math.radians(latitude)))} * cos(meetings.latitude * {radians}) * "
            f"(1 - cos(meetings.longitude * {radians} - {lon})) / 2)")


def near_sql(box: BoundingBox, chord: str, limit_a: float | None, attendance: list[str],
             after: Sequence[float] | None) -> str:
    """The in-person list's conditions: the box on the indexed columns, then ``a``.

    Everything in it is a number or a name made here, so it is plain SQL text: building the
    same with SQLAlchemy expressions costs more Python time than the query itself.
    """
    longitudes = " OR ".join(f"meetings.longitude BETWEEN {_number(low)} AND {_number(high)}"
                             for low, high in box.lon_ranges)
    terms = [f"meetings.latitude BETWEEN {_number(box.min_lat)} AND {_number(box.max_lat)}",
             f"({longitudes})",
             f"meetings.attendance_option IN ({', '.join(map(_quoted, attendance))})",
             LISTED]
    if limit_a is not None:
        terms.append(f"{chord} <= {_number(limit_a)}")
    if after is not None:
        terms.append(f"({chord}, meetings.id) > ({_number(after[0])}, {int(after[1]):d})")
    return " AND ".join(terms)


def chord_limit(radius_km: float) -> float | None:
    """The largest ``a`` within ``radius_km``; None when the radius covers the whole sphere."""
    half_angle = radius_km / (2 * EARTH_RADIUS_KM)
    return math.sin(half_angle) ** 2 if half_angle < math.pi / 2 else None


def chord_km(a: Any) -> ColumnElement[float]:
    """The great-circle distance in km for an ``a`` column (only on the rows of a page)."""
    return sa.type_coerce(2 * EARTH_RADIUS_KM * sa.func.asin(sa.func.sqrt(a)), sa.Float)


# Zone groups make forty similar conditions; built as SQLAlchemy expressions they would cost more
# Python time than the query itself, so they are SQL text. Every value in that text is made here
# (integers, "HH:MM", IANA zone names, enum values) and checked against this pattern.
_SAFE = re.compile(r"^[A-Za-z0-9/_+:-]+$")

#: Listed meetings: still in their source's feed, and not a copy of another source's listing.
LISTED = "meetings.removed_at IS NULL AND meetings.duplicate_of_id IS NULL"

#: A row's local start in minutes of the week.
LOCAL_MINUTES = (f"(meetings.day * {DAY_MINUTES} + CAST(substr(meetings.time, 1, 2) AS INTEGER) * 60"
                 " + CAST(substr(meetings.time, 4, 2) AS INTEGER))")


def _quoted(value: str) -> str:
    if not _SAFE.match(value):
        raise ValueError(f"unexpected characters in {value!r}")
    return f"'{value}'"


@lru_cache(maxsize=1024)
def zones_sql(zones: tuple[str, ...]) -> str:
    """``meetings.timezone IN (...)`` for a group of zones."""
    return f"meetings.timezone IN ({', '.join(map(_quoted, zones))})"


@lru_cache(maxsize=4096)
def local_sql(ranges: Ranges, every_day: bool) -> str:
    """Meetings whose local start lies in any of the half-open minute ranges (none: any)."""
    if not ranges:
        return "1 = 1"
    terms = []
    for low, high in ranges:
        if every_day:
            upper = f" AND meetings.time < {_quoted(clock(high))}" if high < DAY_MINUTES else ""
            terms.append(f"(meetings.time >= {_quoted(clock(low))}{upper})")
        else:
            terms.append(
                f"((meetings.day, meetings.time) >= ({low // DAY_MINUTES:d}, "
                f"{_quoted(clock(low % DAY_MINUTES))}) AND (meetings.day, meetings.time) < "
                f"({high // DAY_MINUTES:d}, {_quoted(clock(high % DAY_MINUTES))}))")
    return "(" + " OR ".join(terms) + ")"


@lru_cache(maxsize=256)
def zone_window_sql(groups: tuple[tuple[Ranges, tuple[str, ...]], ...], every_day: bool,
                    hint: str | None) -> str:
    """Meetings whose local start lies in their own zone's ranges of one seeker window.

    Near a place nearly every meeting shares one zone (``hint``): its group is tested first with
    a single lookup, and only meetings in other zones go through the other groups.
    """
    terms = [(zones, local_sql(ranges, every_day)) for ranges, zones in groups]
    first = next((term for term in terms if hint in term[0]), None)
    rest = " OR ".join(f"({local} AND {zones_sql(zones)})"
                       for zones, local in terms if (zones, local) is not first) or "1 = 0"
    if first is not None:
        rest = f"CASE WHEN {zones_sql(first[0])} THEN {first[1]} ELSE ({rest}) END"
    return f"({rest})"


def minutes_until_sql(offset: int, now_utc_week_minute: int) -> str:
    """Minutes from now (UTC minute of the week) to a row's next start, in a zone at ``offset``."""
    shift = 2 * WEEK_MINUTES - offset - now_utc_week_minute
    return f"(({LOCAL_MINUTES} + {shift:d}) % {WEEK_MINUTES})"


def starts_between(branches: list[tuple[str, list[str]]], attendance: list[str]) -> Any:
    """``(id, sort_key)`` of listed meetings, one UNION ALL branch per zone group.

    Each branch is ``(sort key SQL, [conditions])``; all share the attendance and listing test,
    which with the zone and day/time ranges makes an index seek on (attendance, zone, day, time).
    """
    listed = (f"meetings.attendance_option IN ({', '.join(map(_quoted, attendance))}) "
              f"AND {LISTED}")
    sql = " UNION ALL ".join(
        f"SELECT meetings.id AS id, {key} AS sort_key FROM meetings WHERE {listed} AND "
        + " AND ".join(conditions)
        for key, conditions in branches
    ) or "SELECT NULL AS id, NULL AS sort_key WHERE 1 = 0"
    return sa.text(sql).columns(sa.column("id", sa.Integer), sa.column("sort_key", sa.Integer))


def contains_text(column: Any, pattern: str) -> ColumnElement[bool]:
    """Case-insensitive substring match on both engines (the pattern is already lower-case)."""
    return sa.func.lower(column).like(pattern, escape="\\")


def like_pattern(word: str) -> str:
    """``%word%`` with LIKE's wildcards escaped, lower-cased."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
