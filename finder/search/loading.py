"""Reading the meetings of a page of results once, by id: plain rows or ORM objects.

The search API and the search page only show columns, so each reads plain rows of the columns it
shows (named tuples read like the model: ``row.day``, ``row.is_listed``), which spares building
an object and its instrumented state for every row. ORM objects stay the default of ``search``
for callers that want the model (tests, a shell).
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Collection, Sequence
from functools import partial
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.sql.elements import TextClause

from finder.extensions import db
from finder.models import Meeting
from finder.search import driver

#: What ``search`` calls to read the meetings of a batch of ids: ``{id: meeting}``.
Loader = Callable[[list[int]], dict[int, Any]]


def meeting_objects(ids: list[int]) -> dict[int, Meeting]:
    """The meetings of ``ids`` as ORM objects, in one query."""
    if not ids:
        return {}
    found = db.session.execute(sa.select(Meeting).where(Meeting.id.in_(ids))).scalars()
    return {meeting.id: meeting for meeting in found}


class RowLoader:
    """A loader of plain rows holding the columns ``names`` (and ``id``, ``is_listed``), and the
    labelled SQL columns ``extra``; the columns named in ``raw`` come as the text stored (an
    enum's value, the ``|O|D|`` of ``types``), for a reader that wants only that text.

    The ids go in one parameter, so the SQL text never changes: compiled once, then run on the
    driver's cursor (finder/search/driver.py), and on PostgreSQL prepared once by psycopg and
    planned once by the server (an IN list of 51 parameters would be a new text each time).
    Rows come as named tuples, whose fields read several times faster than a SQLAlchemy
    ``Row``'s attributes.
    """

    def __init__(self, names: tuple[str, ...], extra: Sequence[Any] = (),
                 raw: Collection[str] = ()) -> None:
        table = Meeting.__table__
        fields = list(dict.fromkeys(("id", *names)))
        # A column typed as plain text has no result processor: no enum object made per row.
        columns = sa.select(*(sa.type_coerce(table.c[name], sa.String).label(name) if name in raw
                              else table.c[name] for name in fields),
                            Meeting.is_listed.expression.label("is_listed"), *extra)
        self._columns = columns
        #: The statement of each dialect.
        self.statements = {
            # SQLite: the ids as one JSON array, each a seek on the primary key.
            "sqlite": columns.where(table.c.id.in_(
                sa.select(sa.column("value", sa.Integer)).select_from(
                    sa.func.json_each(sa.bindparam("ids", type_=sa.String))).scalar_subquery())),
            # PostgreSQL: the ids as one array literal in text, cast by the server (psycopg's
            # dumping of a Python list cost more client time than the server's reading the rows).
            "postgresql": columns.where(table.c.id == sa.any_(
                sa.cast(sa.bindparam("ids", type_=sa.String), sa.ARRAY(sa.Integer)))),
        }
        self.shape = namedtuple(  # type: ignore[misc]
            "MeetingRow", [*fields, "is_listed", *(column.name for column in extra)])
        # ``tuple.__new__`` with the shape bound: a row each, without the Python-level ``_make``.
        self._make = partial(tuple.__new__, self.shape)

    def __call__(self, ids: list[int]) -> dict[int, Any]:
        """The rows of ``ids`` (those that exist), by id."""
        if not ids:
            return {}
        dialect = db.session.get_bind().dialect.name
        value = orjson.dumps(ids).decode()  # "[1,2]": SQLite's JSON array
        if dialect != "sqlite":
            value = f"{{{value[1:-1]}}}"  # "{1,2}": PostgreSQL's array literal
        return {row[0]: row for row in map(self._make, driver.rows(self.statements[dialect], {"ids": value}))}

    def with_keys(self, ids: TextClause, params: dict[str, Any]) -> list[tuple[Any, Any]]:
        """``(row, sort key)`` of the rows a list statement finds (``id``, ``sort_key``), in its
        order: the list reads this loader's columns itself. For a server a statement away
        (PostgreSQL), where reading the rows by id after the list costs a round trip more."""
        make = self._make
        return [(make(row[:-1]), row[-1]) for row in driver.rows(self._columns, params, ids)]

