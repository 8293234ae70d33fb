"""The time zones that hold meetings, so that the start-time list seeks only there (issue 16).

The start-time list (finder/search/lists.py) seeks each zone's local slots; of the world's ~600
zones, half hold no online meeting, and near a place one or two hold in-person ones. The zones are
read from every row, listed or not (a removed meeting or a copy that comes back is then already
counted: a superset is always right), and kept per process under a data version: the highest
meeting id and ``changed_at`` (both indexed). Every way a meeting is written (import, moderation,
a submission, a pattern's dates) moves ``changed_at``. A process reads the version at most once
every ``VERSION_SECONDS`` (a statement less for most searches, a round trip on PostgreSQL), and
again at once after a write of its own: a write in another process is seen by every other within
that second. A writer that commits after another whose ``changed_at`` is later leaves the version
unmoved; the sets are read again every ``TRUSTED_SECONDS`` for it.
"""
from __future__ import annotations

import math
import time
from functools import lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.points import BoundingBox
from finder.search import driver

#: How long a zone set is trusted while the data version holds.
TRUSTED_SECONDS = 60.0
#: How long a process trusts the data version it read, unless it writes (see the module's text).
VERSION_SECONDS = 1.0
#: Boxes are widened to this grid (degrees), so that searches from nearby points share a set.
GRID = 10

_VERSION = sa.text(
    "SELECT (SELECT max(id) FROM meetings), (SELECT max(changed_at) FROM meetings), "
    "EXISTS (SELECT 1 FROM meetings WHERE recurrence_kind IS NOT NULL)")
#: The zones holding meetings of an option, on the start-time index (attendance_option, timezone,
#: ...). SQLite seeks from one zone to the next for a DISTINCT on an index's prefix; PostgreSQL
#: reads every entry of the option instead (6 ms for online meetings at 250,000, 120 ms for
#: in-person ones, by a scan of the table), so there the seek from zone to zone is spelt out:
#: one index probe per zone, ~2 ms.
_ANYWHERE = {
    "sqlite": sa.text("SELECT DISTINCT timezone FROM meetings WHERE attendance_option = :option"),
    "postgresql": sa.text(
        "WITH RECURSIVE zones(timezone) AS ("
        "SELECT min(timezone) FROM meetings WHERE attendance_option = :option "
        "UNION ALL SELECT (SELECT min(later.timezone) FROM meetings AS later "
        "WHERE later.attendance_option = :option AND later.timezone > zones.timezone) "
        "FROM zones WHERE zones.timezone IS NOT NULL) "
        "SELECT timezone FROM zones WHERE timezone IS NOT NULL"),
}

#: ``(west, east)`` ranges of longitude and a latitude band, widened to ``GRID``.
Box = tuple[float, float, tuple[tuple[float, float], ...]]


def zones_by_option(attendance: frozenset[Attendance], radius: frozenset[Attendance],
                    box: BoundingBox | None) -> tuple[tuple[str, frozenset[str]], ...]:
    """``(attendance option, zones)`` for each option: zones holding meetings of it anywhere,
    or, for options in ``radius``, holding meetings of them within ``box``."""
    version = data_version()
    near = tuple(sorted(option.value for option in attendance & radius))
    inside = _zones_within(version, near, _widened(box)) if near and box is not None else None
    return tuple((option.value, inside if inside is not None and option in radius
                  else _zones_anywhere(version, option.value))
                 for option in sorted(attendance, key=lambda option: option.value))


def zones_near(attendance: frozenset[Attendance], box: BoundingBox) -> frozenset[str]:
    """The zones holding meetings of ``attendance`` within ``box`` (widened to the grid)."""
    return _zones_within(data_version(), tuple(sorted(option.value for option in attendance)),
                         _widened(box))


class DataVersion(NamedTuple):
    """The meetings' data version (see :func:`data_version`)."""

    #: The engine itself (kept alive by the caches that hold it): a version is one database's.
    engine: object
    highest_id: int | None
    changed_at: object
    #: Whether some meeting has a pattern that is not every week (``recurrence_kind`` set): read
    #: here, in the same statement, as each dated search asks it (finder/search/recurring.py).
    patterns: bool
    period: int


def data_version() -> DataVersion:
    """The meetings' data version, a cache key for what is read from them (the zone sets, the
    search page's filters): the database, the highest id and ``changed_at``, whether any meeting
    is not every week, and the current ``TRUSTED_SECONDS`` period. One per transaction (a page
    asks for it several times), read at most once every ``VERSION_SECONDS`` by the process, and
    again after the session writes."""
    info = db.session.info
    if _VERSION_KEY not in info:
        # Begun with the session's transaction, which ends it (``_forget_version``) even when
        # the version comes from the process and no statement runs.
        engine = db.session.connection().engine
        now = time.monotonic()
        held = _held[0]
        if held is None or held[1].engine is not engine or now - held[0] >= VERSION_SECONDS:
            # On the driver's cursor: a Core result around one row cost more than the statement.
            ((highest_id, changed_at, patterns),) = driver.rows(_VERSION, {})
            held = _held[0] = now, DataVersion(
                engine, highest_id, changed_at, bool(patterns), int(now // TRUSTED_SECONDS))
        info[_VERSION_KEY] = held[1]
    return info[_VERSION_KEY]


_VERSION_KEY = "finder.data_version"
#: The last version this process read and when (``time.monotonic``): one, of the one database a
#: served process uses (another engine's search reads its own again).
_held: list[tuple[float, DataVersion] | None] = [None]


@sa.event.listens_for(Session, "after_flush")
@sa.event.listens_for(Session, "after_commit")
def _written(session: Session, *_: Any) -> None:
    """A write in this process (a flush, or a commit, which may hold writes without a flush):
    the version is read again by its next transaction and every other of the process."""
    session.info.pop(_VERSION_KEY, None)
    _held[0] = None


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_version(session: Session, *_: Any) -> None:
    """The end of the transaction the version was taken in: the next one takes it again."""
    session.info.pop(_VERSION_KEY, None)


@lru_cache(maxsize=64)
def _zones_anywhere(_version: tuple[object, ...], option: str) -> frozenset[str]:
    connection = db.session.connection()
    statement = _ANYWHERE.get(connection.dialect.name, _ANYWHERE["sqlite"])
    return frozenset(connection.execute(statement, {"option": option}).scalars())


@lru_cache(maxsize=1024)
def _zones_within(_version: tuple[object, ...], options: tuple[str, ...], box: Box) -> frozenset[str]:
    # On the covering index of the radius prefilter: a latitude band, no table row read.
    min_lat, max_lat, lon_ranges = box
    params: dict[str, object] = {"min_lat": min_lat, "max_lat": max_lat}
    longitudes = []
    for index, (west, east) in enumerate(lon_ranges):
        params[f"west{index}"], params[f"east{index}"] = west, east
        longitudes.append(f"meetings.longitude BETWEEN :west{index} AND :east{index}")
    for index, option in enumerate(options):
        params[f"option{index}"] = option
    sql = ("SELECT DISTINCT meetings.timezone FROM meetings WHERE meetings.latitude BETWEEN "
           f":min_lat AND :max_lat AND ({' OR '.join(longitudes)}) AND meetings.attendance_option "
           f"IN ({', '.join(f':option{index}' for index in range(len(options)))})")
    return frozenset(db.session.connection().execute(sa.text(sql), params).scalars())


def _widened(box: BoundingBox | None) -> Box | None:
    """The box grown outward to the grid (never shrunk by rounding)."""
    if box is None:
        return None
    return (_down(box.min_lat), _up(box.max_lat),
            tuple((_down(west), _up(east)) for west, east in box.lon_ranges))


def _down(value: float) -> float:
    return min(value, math.floor(value * GRID) / GRID)


def _up(value: float) -> float:
    return max(value, math.ceil(value * GRID) / GRID)
