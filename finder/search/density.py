"""How many listed in-person and hybrid meetings lie around a point: sizes the first ring of the
in-person list (finder/search/query.py), so that most searches read one ring.

A per-process grid counts the rows of each attendance option per cell of ``1 / CELLS_PER_DEGREE``
degrees (one GROUP BY, read at the first search), from one row in ``SAMPLE`` of a large table: at
250,000 meetings, grouping every row cost SQLite ~0.45 s (sorting them), one in 8 ~0.1 s. It only
sizes rings, never decides a result, so it is kept well past a change of the data: density moves
slowly, and a stale count costs at worst a ring more or a wider one. After ``REFRESH_SECONDS`` it
is read again, if the meetings' data version has moved.
"""
from __future__ import annotations

import math
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.points import BoundingBox
from finder.search.criteria import Criteria
from finder.search.sql import LISTED
from finder.search.zone_sets import data_version

#: Grid cells per degree (a cell is ~11 km north to south).
CELLS_PER_DEGREE = 10
#: Coarse cells (for the rows within a whole radius) are this many grid cells a side.
COARSE = 10
#: Above ``SAMPLE_ABOVE`` meetings (by the highest id), the grid counts the rows whose id is a
#: multiple of ``SAMPLE`` and scales them up; below, every row (a sample would miss a small place).
SAMPLE = 8
SAMPLE_ABOVE = 50_000
#: How long a grid is kept whatever the data does, before the data version is asked.
REFRESH_SECONDS = 600.0
#: Kilometres per degree of latitude.
KM_PER_DEGREE = 111.2

_OPTIONS = (Attendance.IN_PERSON.value, Attendance.HYBRID.value)


@dataclass
class Grid:
    """Rows per option and cell (fine and coarse), the data version they were read at, and when
    that version was last confirmed."""

    fine: dict[str, dict[tuple[int, int], int]]
    coarse: dict[str, dict[tuple[int, int], int]]
    version: tuple[object, ...]
    checked: float = field(default_factory=time.monotonic)


_grids: weakref.WeakKeyDictionary[Engine, Grid] = weakref.WeakKeyDictionary()


def rows_per_km2(latitude: float, longitude: float, attendance: Iterable[Attendance]) -> float:
    """Listed rows of ``attendance`` per square km at a point: the cells' counts interpolated
    between their centres (bilinear), so a point near a cell's edge sees its neighbours too."""
    fine = _grid().fine
    counts = [fine[option.value] for option in attendance if option.value in fine]
    row = latitude * CELLS_PER_DEGREE - 0.5
    column = longitude * CELLS_PER_DEGREE - 0.5
    low_row, low_column = math.floor(row), math.floor(column)
    north, east = row - low_row, column - low_column
    total = 0.0
    for step_row, row_weight in ((0, 1 - north), (1, north)):
        for step_column, column_weight in ((0, 1 - east), (1, east)):
            cell = (low_row + step_row, _wrapped(low_column + step_column))
            total += row_weight * column_weight * sum(count.get(cell, 0) for count in counts)
    side = KM_PER_DEGREE / CELLS_PER_DEGREE
    return total / (side * side * max(math.cos(math.radians(latitude)), 0.01))


def rows_within(box: BoundingBox, attendance: Iterable[Attendance]) -> int:
    """An upper bound of the listed rows of ``attendance`` in ``box``: those of every coarse cell
    it touches."""
    coarse = _grid().coarse
    counts = [coarse[option.value] for option in attendance if option.value in coarse]
    per = CELLS_PER_DEGREE / COARSE
    rows = range(math.floor(box.min_lat * per), math.floor(box.max_lat * per) + 1)
    total = 0
    for west, east in box.lon_ranges:
        columns = range(math.floor(west * per), math.floor(east * per) + 1)
        for count in counts:
            if len(rows) * len(columns) <= len(count):
                total += sum(count.get((row, column), 0) for row in rows for column in columns)
            else:  # a box wider than the cells that hold rows: go through those
                total += sum(value for (row, column), value in count.items()
                             if row in rows and column in columns)
    return total


def share(criteria: Criteria) -> float:
    """A rough share of the rows that the seeker's day and clock filters keep (the others are
    left to the rings' growth, which sizes the next ring by the rows the last one found)."""
    kept = 1.0
    if criteria.day is not None:
        kept /= 7
    if criteria.time_from is not None or criteria.time_to is not None:
        kept /= 2
    return kept


def _grid() -> Grid:
    """This engine's grid, read at its first use and again when stale (see the module's text)."""
    engine = db.engine
    grid = _grids.get(engine)
    if grid is not None and time.monotonic() - grid.checked < REFRESH_SECONDS:
        return grid
    current = data_version()
    version = current.highest_id, current.changed_at
    if grid is not None and grid.version == version:
        grid.checked = time.monotonic()
        return grid
    _grids[engine] = grid = _read(version)
    return grid


def _read(version: tuple[object, ...]) -> Grid:
    """Count the listed in-person and hybrid rows per cell (of a large table, a sample), in one
    statement."""
    dialect = db.engine.dialect.name
    # Cells count from the south pole and the antimeridian, so every index is >= 0: SQLite's
    # CAST then truncates as floor does; PostgreSQL's CAST rounds, hence its floor().
    cell = ("floor(({column} + {shift}) * {per})::integer" if dialect == "postgresql"
            else "CAST(({column} + {shift}) * {per} AS INTEGER)")
    row = cell.format(column="meetings.latitude", shift=90, per=CELLS_PER_DEGREE)
    column = cell.format(column="meetings.longitude", shift=180, per=CELLS_PER_DEGREE)
    options = ", ".join(f"'{option}'" for option in _OPTIONS)
    sample = SAMPLE if (version[0] or 0) > SAMPLE_ABOVE else 1
    sql = (f"SELECT meetings.attendance_option, {row}, {column}, count(*) FROM meetings "
           f"WHERE meetings.latitude IS NOT NULL AND meetings.longitude IS NOT NULL "
           f"AND meetings.attendance_option IN ({options}) AND {LISTED} "
           f"AND meetings.id % {sample} = 0 GROUP BY 1, 2, 3")
    fine: dict[str, dict[tuple[int, int], int]] = {option: {} for option in _OPTIONS}
    coarse: dict[str, dict[tuple[int, int], int]] = {option: {} for option in _OPTIONS}
    south, west = 90 * CELLS_PER_DEGREE, 180 * CELLS_PER_DEGREE
    for option, row_index, column_index, sampled in db.session.connection().execute(sa.text(sql)):
        count = sampled * sample
        cell_key = (row_index - south, column_index - west)
        fine[option][cell_key] = count
        wide = (cell_key[0] // COARSE, cell_key[1] // COARSE)
        coarse[option][wide] = coarse[option].get(wide, 0) + count
    return Grid(fine, coarse, version)


def _wrapped(column: int) -> int:
    """A fine column across the antimeridian, as the grid numbers it."""
    half = 180 * CELLS_PER_DEGREE
    return (column + half) % (2 * half) - half

