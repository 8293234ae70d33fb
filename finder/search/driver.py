"""A search's fixed statements run on the database driver's own cursor (issue 16).

A search runs a few statements whose SQL text is the same every time (the in-person list's
rings, the page's rows): only their parameters change. Through a SQLAlchemy ``Connection`` each
costs an execution context and a result object around the driver's call, measured at two to four
times the driver's own time for a page of 50 rows. Here each statement is compiled by SQLAlchemy
once per dialect (its SQL text, the order of its parameters, and its columns' result processors,
so values come back as the ORM would give them: enums, aware datetimes, patterns), then run on
the session's own DBAPI connection, inside the session's transaction. Only plain reads go this
way: nothing here needs the engine's events (finder/extensions.py begins a transaction before a
write, never before a read).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

from finder.extensions import db


@dataclass
class Compiled:
    """A statement's SQL for one dialect, its parameters' order (positional drivers), the values
    of the parameters it holds itself, the bind processors of its parameters, and the result
    processor of each column (set at the first run, from the driver's column types)."""

    sql: str
    order: tuple[str, ...] | None
    values: dict[str, Any]
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]
    processors: list[tuple[int, Callable[[Any], Any]]] | None = None


@lru_cache(maxsize=2048)
def compiled(statement: ClauseElement, dialect: Dialect) -> Compiled:
    """``statement`` compiled for ``dialect`` (once per statement object and dialect)."""
    done = statement.compile(dialect=dialect)
    order = tuple(done.positiontup) if done.positional and done.positiontup else None
    values = {name: bind.effective_value for name, bind in done.binds.items() if not bind.required}
    binds = tuple((name, process) for name, bind in done.binds.items()
                  if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)))
    return Compiled(done.string, order, values, binds)


#: How a list statement's SQL begins: its ids, then its sort key (finder/search/near_sql.py).
LIST_HEAD = "SELECT meetings.id AS id, "
_FROM = " \nFROM meetings"


@lru_cache(maxsize=2048)
def with_columns(columns: ClauseElement, ids: ClauseElement, dialect: Dialect) -> Compiled:
    """The list statement ``ids`` (``LIST_HEAD``, its sort key, ``FROM meetings`` and the rest)
    reading the columns of ``columns`` (a select of ``meetings``' columns alone) in place of its
    ids: rows of those columns and then the sort key, in the list's order. Each is compiled once,
    then put together as text, so a new list statement (a ring with its own filters and windows)
    costs no compiling of ``columns``. Named parameters only (PostgreSQL's psycopg)."""
    head, body = compiled(columns, dialect), compiled(ids, dialect)
    select_list, found, rest = head.sql.rpartition(_FROM)
    if head.order is not None or body.order is not None or not found or rest:
        raise ValueError("columns must select from meetings alone, on a driver with named parameters")
    if not body.sql.startswith(LIST_HEAD):
        raise ValueError(f"not a list statement: {body.sql[:60]!r}")
    return Compiled(f"{select_list}, {body.sql[len(LIST_HEAD):]}", None,
                    {**head.values, **body.values}, head.binds + body.binds)


def rows(statement: ClauseElement, params: Mapping[str, Any],
         ids: ClauseElement | None = None) -> list[tuple[Any, ...]]:
    """The rows of a plain read ``statement`` with ``params``, as tuples of processed values;
    with a list statement ``ids``, its rows with ``statement``'s columns (see :func:`with_columns`)."""
    connection = db.session.connection()
    dialect = connection.dialect
    done = compiled(statement, dialect) if ids is None else with_columns(statement, ids, dialect)
    params = {**done.values, **params} if done.values else params
    if done.binds:
        params = {**params, **{name: process(params[name]) for name, process in done.binds}}
    values: Any = params if done.order is None else [params[name] for name in done.order]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(done.sql, values)
        found = cursor.fetchall()
        if done.processors is None:
            # As Core does: each column's processor, for the type the driver says it returns.
            columns = getattr(statement, "selected_columns", None) or ()
            done.processors = [
                (index, process) for index, (column, description)
                in enumerate(zip(columns, cursor.description or (), strict=False))
                if (process := column.type.dialect_impl(dialect).result_processor(
                    dialect, description[1]))]
    finally:
        cursor.close()
    if not done.processors or not found:
        return found
    # Column by column: each processor mapped over its column, then the rows zipped back
    # (a third of the time of a Python loop over every row and processor).
    columns: list[Any] = list(zip(*found, strict=True))
    for index, process in done.processors:
        columns[index] = map(process, columns[index])
    return list(zip(*columns, strict=True))
