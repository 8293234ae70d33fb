"""The start-time list of the time order: each series' next occurrence, soonest first.

Its rows are read in two parts, merged by ``(sort key, id)`` into the one stream a single
statement over both would give: those attended in person within the radius, read for each
search, and those attended online anywhere, which have no origin. Near a city the second part is
most of a page (near New York, 307 of one statement's 309 slots were online ones, of every zone),
and it is the same for the searches of one minute with the same filters, windows and attendance:
it is kept per process under the meetings' data version (zone_sets.py), as the distance order's
online list is (``_online_keys`` in query.py), and searches from every zone share it where their
windows are the same (a day or clock is the seeker's own; "starting within" is not).
"""
from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from typing import Any

from finder.enums import Attendance
from finder.search import driver
from finder.search.criteria import Criteria
from finder.search.lists import Query, starts
from finder.search.sql import SERIES_PLACE, statement
from finder.search.windows import Window
from finder.search.zone_sets import data_version

#: Rows of the online part's first read (each next read is twice as many): a first page's batch
#: fits, and a size that is not the search's own lets searches of every page size share reads.
FIRST_READ = 128

#: The first read of the rows near the seeker, where an online part is read beside it, is this
#: fraction of the batch.
NEAR_SHARE = 5

#: ``(id, sort key, source, name, time, place)``: a row of the list and its series.
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class OnlinePart:
    """What the online part of a span depends on (its key in the cache): the data version, the
    search's minute, lookback and windows, its filters and attendance, and the span."""

    version: tuple[object, ...]
    now: datetime
    lookback: int
    windows: tuple[Window, ...]
    terms: tuple[str, ...]
    params: tuple[tuple[str, Any], ...]
    attendance: frozenset[Attendance]
    low: int
    end: int


def first_of_series(query: Query, attendance: frozenset[Attendance], after: Sequence[Any] | None,
                    limit: int, enough: int, low: int, ends: Sequence[int],
                    radius: frozenset[Attendance] = frozenset()) -> list[tuple[int, None, Any]]:
    """``(id, None, sort key)`` of up to ``limit`` rows that are each their series' next occurrence
    (a series: same source, name, time and place, held on several days), after a keyset position.

    Rows start from ``low`` minutes from base, read span by span up to each of ``ends`` in turn
    (each span goes on from the last one's end) until ``enough`` are found. They are read soonest
    first, a batch at a time, and folded here: the first row read of a series is its next
    occurrence, so a first page reads the series columns of about a page of rows (ranking a
    span's rows by series in SQL read them all: ~1,000 online rows worldwide).
    """
    after_key = tuple(after) if after is not None else None
    seen: set[tuple[Any, ...]] = set()
    keys: list[tuple[int, None, Any]] = []
    # A later page reads the rows before its cursor too (about a page each): one batch holds
    # those of a second or third page, with room for series met twice.
    batch = (2 if after is None else 4) * limit + 10
    for end in ends:
        if end <= low:
            continue
        for meeting_id, sort_key, *series in _rows(query, attendance, low, end, radius, batch):
            if (key := tuple(series)) in seen:
                continue
            seen.add(key)
            if after_key is None or (sort_key, meeting_id) > after_key:
                keys.append((meeting_id, None, sort_key))
                if len(keys) == limit:
                    return keys
        if len(keys) >= enough:
            return keys
        low = end
    return keys


def _rows(query: Query, attendance: frozenset[Attendance], low: int, end: int,
          radius: frozenset[Attendance], batch: int) -> Iterator[Row]:
    """Rows starting ``low`` to ``end`` minutes from base, soonest first: those attended as in
    ``radius`` (within the radius) read in batches of ``batch`` and up, merged with the rest
    (anywhere), kept for the minute."""
    parts = []
    anywhere = attendance - radius
    if near := attendance & radius:
        sql, params = starts(query, near, low, end - low, radius)
        # Beside the online part, rows near the seeker are a few of a page (a tenth or less near
        # a city): a first read of a fifth of the batch, then twice as many each time.
        parts.append(_soonest(partial(_read, sql, params),
                              max(batch // NEAR_SHARE, 10) if anywhere else batch))
    if anywhere:
        terms, params = query.filters
        part = OnlinePart(data_version(), query.now, query.lookback, query.windows, tuple(terms),
                          tuple(params.items()), anywhere, low, end)
        parts.append(_soonest(partial(_kept, part), FIRST_READ))
    return parts[0] if len(parts) == 1 else heapq.merge(*parts, key=_position)


def _position(row: Row) -> tuple[Any, Any]:
    return row[1], row[0]


def _soonest(read: Callable[[tuple[Any, Any], int], Sequence[Row]], size: int) -> Iterator[Row]:
    """The rows ``read(after, size)`` gives, soonest first, ``size`` at a time (each next read
    twice as many), until there are no more."""
    after: tuple[Any, Any] = (-1, 0)  # before every sort key
    while True:
        rows = read(after, size)
        yield from rows
        if len(rows) < size:
            return
        after, size = (rows[-1][1], rows[-1][0]), 2 * size


@lru_cache(maxsize=256)
def _kept(part: OnlinePart, after: tuple[Any, Any], size: int) -> tuple[Row, ...]:
    """One read of an online part, kept: rows hold ids, start minutes and series, no more."""
    # The part has no origin: the criteria's other fields are in its filters and windows.
    query = Query(Criteria(), part.now, (list(part.terms), dict(part.params)), part.windows,
                  part.lookback)
    sql, params = starts(query, part.attendance, part.low, part.end - part.low, frozenset())
    return tuple(_read(sql, params, after, size))


def _read(sql: str, params: dict[str, Any], after: tuple[Any, Any], size: int) -> list[Row]:
    """The next ``size`` rows of ``sql`` (see :func:`starts`) after the ``(sort key, id)``
    position ``after``, with their series."""
    params = {**params, "from_key": after[0], "from_id": after[1], "batch": size}
    return driver.rows(statement(_series_sql(sql), params), params)


@lru_cache(maxsize=256)
def _series_sql(found: str) -> str:
    """The next ``:batch`` rows of the statement ``found`` after ``(:from_key, :from_id)``,
    soonest first, with their series: source, name, time and place (``SERIES_PLACE``, as
    'Also Tue, Thu' reads it)."""
    return ("SELECT page.id, page.sort_key, meetings.source_id, meetings.name, meetings.time, "
            f"{SERIES_PLACE} FROM (SELECT found.id, found.sort_key FROM ({found}) AS found "
            "WHERE (found.sort_key, found.id) > (:from_key, :from_id) "
            "ORDER BY found.sort_key, found.id LIMIT :batch) AS page "
            "JOIN meetings ON meetings.id = page.id ORDER BY page.sort_key, page.id")
