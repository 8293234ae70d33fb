"""SQL building blocks for search: SQLite functions, statements made once, filters, time ranges
in each zone, start slots (the in-person list's distance SQL is in near_sql.py)."""
from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import TextClause

from finder.models import Meeting
from finder.search.windows import Ranges, Window, zone_ranges
from finder.weekly import DAY_MINUTES, WEEK_MINUTES, clock, minutes

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
    dbapi_connection.create_function("finder_in_window", 4, in_window, deterministic=True)
    # Searches read scattered rows: memory-mapped pages spare a system call per page read.
    dbapi_connection.execute("PRAGMA mmap_size = 268435456")


def statement(sql: str, params: dict[str, Any]) -> TextClause:
    """``sql`` as a statement to execute with ``params`` (values of the same types every time).

    One object per text: SQLAlchemy then finds its compiled form by a cache key made once, and
    building a search's SQL costs a few string joins. Parameters are typed as their values are,
    as ``bindparams(**params)`` would (PostgreSQL gets the same casts).
    """
    return _statement(sql, tuple((name, type(value)) for name, value in params.items()))


@lru_cache(maxsize=2048)
def _statement(sql: str, kinds: tuple[tuple[str, type], ...]) -> TextClause:
    return sa.text(sql).bindparams(*(sa.bindparam(name, type_=sa.bindparam(None, kind()).type)
                                     for name, kind in kinds))



#: A row's length in minutes: to its end time (past midnight wraps), else Meeting Guide's hour.
LENGTH_MINUTES = (
    "COALESCE(NULLIF((CAST(substr(meetings.end_time, 1, 2) AS INTEGER) * 60"
    " + CAST(substr(meetings.end_time, 4, 2) AS INTEGER)"
    " - CAST(substr(meetings.time, 1, 2) AS INTEGER) * 60"
    " - CAST(substr(meetings.time, 4, 2) AS INTEGER) + 1440) % 1440, 0), 60)")


def not_ended_sql(lookback: int, sort_key: str) -> str:
    """Rows of ``meetings`` (``sort_key``: minutes from ``lookback`` minutes ago to their start)
    that start from now on, or started since then and have not yet ended."""
    return f"({sort_key} >= {lookback:d} OR {lookback:d} - {sort_key} < {LENGTH_MINUTES})"


def filters_sql(fellowships: list[str], types: tuple[str, ...], words: list[str],
                region: str | None = None) -> tuple[list[str], dict[str, Any]]:
    """The seeker's filters on a meeting's own columns as SQL text and parameters.

    Type codes match the ``|O|D|`` storage with LIKE; a region (as its source names it) matches
    exactly; words match any of the text columns,
    case-insensitively on both engines.
    """
    terms: list[str] = []
    params: dict[str, Any] = {}
    if fellowships:
        terms.append(f"meetings.fellowship IN ({', '.join(map(quoted, fellowships))})")
    for index, code in enumerate(types):
        params[f"type{index}"] = f"%|{code}|%"
        terms.append(f"meetings.types LIKE :type{index}")
    if region:
        params["region"] = region
        terms.append("meetings.region = :region")
    for index, word in enumerate(words):
        params[f"word{index}"] = like_pattern(word)
        terms.append("(" + " OR ".join(
            f"lower(meetings.{column}) LIKE :word{index} ESCAPE '\\'"
            for column in ("name", "location", "formatted_address", "notes", '"group"')) + ")")
    return terms, params


# Zone groups make forty similar conditions; built as SQLAlchemy expressions they would cost more
# Python time than the query itself, so they are SQL text. Every value in that text is made here
# (integers, "HH:MM", IANA zone names, enum values) and checked against this pattern.
_SAFE = re.compile(r"^[A-Za-z0-9/_+:.-]+$")

#: Listed meetings: still in their source's feed, and not a copy of another source's listing.
# The model's rule, written out once as SQL text for the hand-built queries below.
LISTED = str(Meeting.is_shown.expression.compile(compile_kwargs={"literal_binds": True}))

#: A row's local start in minutes of the week.
LOCAL_MINUTES = (f"(meetings.day * {DAY_MINUTES} + CAST(substr(meetings.time, 1, 2) AS INTEGER) * 60"
                 " + CAST(substr(meetings.time, 4, 2) AS INTEGER))")


def quoted(value: str) -> str:
    """A value checked against ``_SAFE``, as an SQL string literal."""
    if not _SAFE.match(value):
        raise ValueError(f"unexpected characters in {value!r}")
    return f"'{value}'"


@lru_cache(maxsize=1024)
def zones_sql(zones: tuple[str, ...]) -> str:
    """``meetings.timezone IN (...)`` for a group of zones."""
    return f"meetings.timezone IN ({', '.join(map(quoted, zones))})"


@lru_cache(maxsize=4096)
def local_sql(ranges: Ranges, every_day: bool) -> str:
    """Meetings whose local start lies in any of the half-open minute ranges (none: any)."""
    if not ranges:
        return "1 = 1"
    terms = []
    for low, high in ranges:
        if every_day:
            upper = f" AND meetings.time < {quoted(clock(high))}" if high < DAY_MINUTES else ""
            terms.append(f"(meetings.time >= {quoted(clock(low))}{upper})")
        else:
            terms.append(
                f"((meetings.day, meetings.time) >= ({low // DAY_MINUTES:d}, "
                f"{quoted(clock(low % DAY_MINUTES))}) AND (meetings.day, meetings.time) < "
                f"({high // DAY_MINUTES:d}, {quoted(clock(high % DAY_MINUTES))}))")
    return "(" + " OR ".join(terms) + ")"


@lru_cache(maxsize=256)
def window_key(window: Window) -> str:
    """A window as text that :func:`in_window` can turn back into the window."""
    return f"{window.start.isoformat()}/{window.end.isoformat()}/{int(window.every_day)}"


@lru_cache(maxsize=64)
def _zones_of(key: str) -> tuple[dict[str, Ranges], bool]:
    start, end, every_day = key.split("/")
    window = Window(datetime.fromisoformat(start), datetime.fromisoformat(end), every_day == "1")
    return ({zone: ranges for ranges, zones in zone_ranges(window) for zone in zones},
            window.every_day)


def in_window(key: str, zone: str, day: int, start: str) -> int:
    """SQLite function: 1 if a meeting's local start lies in its zone's ranges of the window."""
    by_zone, every_day = _zones_of(key)
    ranges = by_zone.get(zone)
    if ranges is None:
        return 0
    at = minutes(start) + (0 if every_day else day * DAY_MINUTES)
    return int(not ranges or any(low <= at < high for low, high in ranges))


@lru_cache(maxsize=256)
def zone_window_sql(window: Window, hint: str | None, dialect: str,
                    only: frozenset[str] | None = None) -> str:
    """Meetings whose local start lies in their own zone's ranges of one seeker window.

    Near a place nearly every meeting shares one zone (``hint``): its group is tested first with
    a single lookup. Meetings in other zones go through every group: in PostgreSQL as hashed
    IN lists; in SQLite through :func:`in_window`, which spares building forty lookup tables
    for each query. With ``only``, zones outside it are left out (the rows tested are in it).
    """
    terms = [(zones, local_sql(ranges, window.every_day)) for ranges, zones in zone_ranges(window)]
    if only is not None:
        terms = [(kept, local) for zones, local in terms
                 if (kept := tuple(zone for zone in zones if zone in only))]
    first = next((term for term in terms if hint in term[0]), None)
    if dialect == "sqlite":
        rest = (f"finder_in_window({quoted(window_key(window))}, meetings.timezone, "
                "meetings.day, meetings.time) = 1")
    else:
        rest = " OR ".join(f"({local} AND {zones_sql(zones)})"
                           for term in terms if term is not first
                           for zones, local in [term]) or "1 = 0"
    if first is not None:
        rest = f"CASE WHEN {zones_sql(first[0])} THEN {first[1]} ELSE ({rest}) END"
    return f"({rest})"


#: The slots as a table, from the one parameter that carries them. On SQLite, ``{whole}`` may be
#: ``LIMIT -1`` (no limit), which keeps the subquery from being flattened into the join: each
#: slot's JSON is then parsed once, not again for every meeting row whose sort key reads its offset.
_SLOTS = {
    "postgresql": ("unnest(CAST(:zones AS text[]), CAST(:offsets AS integer[]), "
                   "CAST(:days AS integer[]), CAST(:lows AS text[]), CAST(:highs AS text[]), "
                   "CAST(:options AS text[])) AS slot(zone, off, day, low, high, option)"),
    "sqlite": ("(SELECT value ->> 0 AS zone, value ->> 1 AS off, value ->> 2 AS day, "
               "value ->> 3 AS low, value ->> 4 AS high, value ->> 5 AS option "
               "FROM json_each(:slots){whole}) AS slot"),
}


#: Minutes of the day as ``HH:MM``, the end of the day as ``24:00`` (after every start): read,
#: not formatted, for each of a statement's ~600 slot rows.
_CLOCKS = tuple(f"{total // 60:02d}:{total % 60:02d}" for total in range(DAY_MINUTES + 1))


def slot_params(slots: tuple[tuple[tuple[str, ...], int, int, int, int, str], ...], dialect: str,
                ) -> dict[str, Any]:
    """``(zones, offset, day, low, high, attendance option)`` slots as the parameters of
    :func:`starts_query`: a row for each zone of each slot."""
    rows = [(zone, offset, day, _CLOCKS[low], _CLOCKS[high], option)
            for zones, offset, day, low, high, option in slots for zone in zones]
    if dialect != "postgresql":
        return {"slots": json.dumps(rows)}
    columns = [list(column) for column in zip(*rows, strict=True)] or [[]] * 6
    return dict(zip(("zones", "offsets", "days", "lows", "highs", "options"), columns, strict=True))


#: Where a series is held, as ``rows.series_key`` reads it: the address, else the conference URL
#: (an empty one counts as none).
SERIES_PLACE = ("COALESCE(NULLIF(meetings.formatted_address, ''), "
                "NULLIF(meetings.conference_url, ''), '')")


def starts_query(slots: dict[str, Any], now_utc_week_minute: int, dialect: str,
                 where: Sequence[str] = (), params: dict[str, Any] | None = None,
                 lookback: int = 0, ended: bool = False) -> tuple[str, dict[str, Any]]:
    """``(id, sort_key)`` of listed meetings in any of the slots: one statement's SQL and parameters.

    ``slots`` are the parameters of :func:`slot_params` (arrays on PostgreSQL, JSON on SQLite),
    so the SQL text is the same for every search: both engines plan it once. Each slot row is an
    index seek on (attendance, zone, day, time); its offset turns a meeting's local start into
    minutes from now, the sort key. ``where`` (with ``params``) is tested on the row the seek
    found. With ``lookback`` (sort keys counting from that many minutes before now), rows that
    started before now count only if they have not ended; with ``ended`` too, only those that
    have, at their next start a week on (sort key plus a week).
    """
    key = f"(({LOCAL_MINUTES} - slot.off + CAST(:shift AS INTEGER)) % {WEEK_MINUTES})"
    live = [not_ended_sql(lookback, key)] if lookback else []
    if ended:
        live = [f"NOT {live[0]}"]
        key = f"({key} + {WEEK_MINUTES})"
    seek = " AND ".join(["meetings.attendance_option = slot.option", "meetings.timezone = slot.zone",
                         "meetings.day = slot.day", "meetings.time >= slot.low",
                         "meetings.time < slot.high", LISTED, *where, *live])
    if dialect == "postgresql":
        # LATERAL (kept whole by OFFSET 0) makes the seeks a nested loop; as a plain join the
        # planner would rather sort every online meeting for a merge join.
        rows = ("CROSS JOIN LATERAL (SELECT meetings.id, meetings.day, meetings.time FROM meetings "
                f"WHERE {seek} OFFSET 0) AS meetings")
    else:
        # CROSS JOIN keeps SQLite's join order: the slot rows outside, index seeks inside.
        rows = f"CROSS JOIN meetings WHERE {seek}"
    # With the not-ended test a row reads its slot's offset three times: parsing it once a slot
    # saves 0.3 ms on a search page; a row of the plain list reads it once, cheaper flattened.
    slots_table = _SLOTS[dialect].format(whole=" LIMIT -1" if lookback else "")
    sql = f"SELECT meetings.id AS id, {key} AS sort_key FROM {slots_table} {rows}"
    return sql, {**slots, **(params or {}), "shift": 2 * WEEK_MINUTES - now_utc_week_minute}


def like_pattern(word: str) -> str:
    """``%word%`` with LIKE's wildcards escaped, lower-cased."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
