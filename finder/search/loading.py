"""Reading the meetings of a page of results once, by id: plain rows or ORM objects.

The search API and the search page only show columns, so each reads plain rows of the columns it
shows (named tuples read like the model: ``row.day``, ``row.is_listed``), which spares building
an object and its instrumented state for every row. ORM objects stay the default of ``search``
for callers that want the model (tests, a shell).
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from finder.extensions import db
from finder.models import Meeting

#: What ``search`` calls to read the meetings of a batch of ids: ``{id: meeting}``.
Loader = Callable[[list[int]], dict[int, Any]]


def meeting_objects(ids: list[int]) -> dict[int, Meeting]:
    """The meetings of ``ids`` as ORM objects, in one query."""
    if not ids:
        return {}
    found = db.session.execute(sa.select(Meeting).where(Meeting.id.in_(ids))).scalars()
    return {meeting.id: meeting for meeting in found}


def row_loader(names: tuple[str, ...], extra: Sequence[Any] = ()) -> Loader:
    """A loader of plain rows holding the columns ``names`` (and ``id``, ``is_listed``), and the
    labelled SQL columns ``extra``.

    The statement is made once, with the ids as one expanding parameter, so SQLAlchemy finds its
    compiled form without building a query each time. Rows come as named tuples, whose fields
    read several times faster than a SQLAlchemy ``Row``'s attributes.
    """
    table = Meeting.__table__
    fields = list(dict.fromkeys(("id", *names)))
    columns = sa.select(*(table.c[name] for name in fields),
                        Meeting.is_listed.expression.label("is_listed"), *extra)
    by_list = columns.where(table.c.id.in_(sa.bindparam("ids", expanding=True)))
    # PostgreSQL takes the ids as one array: the SQL text never changes, so psycopg prepares it
    # once and the server plans it once (an IN list of 51 parameters is a new text each time).
    by_array = columns.where(table.c.id == sa.any_(sa.bindparam("ids", type_=sa.ARRAY(sa.Integer))))
    shape = namedtuple("MeetingRow", [*fields, "is_listed", *(column.name for column in extra)])

    def rows(ids: list[int]) -> dict[int, Any]:
        if not ids:
            return {}
        # On the session's connection: Core rows, without the ORM's result machinery.
        connection = db.session.connection()
        statement = by_array if connection.dialect.name == "postgresql" else by_list
        found = connection.execute(statement, {"ids": ids}).all()
        return {row[0]: shape._make(row) for row in found}

    return rows
