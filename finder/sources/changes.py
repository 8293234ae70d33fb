"""What a source's import writes: the feed's records compared with its stored rows (added,
updated, removed, unchanged), and those rows written with executemany, a chunk at a time."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from itertools import repeat
from operator import is_not
from typing import Any, NamedTuple

from sqlalchemy import Column, Row, Table, insert, update

from finder.extensions import db
from finder.models import Meeting
from importers.record import MeetingRecord

CHUNK = 2000


class Changes(NamedTuple):
    """The rows to write for one source, and how many of its meetings are unchanged.

    ``digests`` keep the feed digest of unchanged meetings up to date (nothing else is written).
    """

    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    removals: list[dict[str, Any]]
    unchanged: int
    digests: list[dict[str, Any]]


def diff(
    records: list[MeetingRecord], existing: Mapping[str, Row[Any]], *, source_id: int,
    now: datetime, unchanged: Iterable[str] = (),
) -> Changes:
    """Compare the feed's records with the source's stored rows (keyed by source key).

    ``existing`` rows carry ``id``, ``content_hash``, ``feed_digest``, ``sequence`` and
    ``removed_at``; ``unchanged`` are the keys of listed meetings whose feed rows were not read
    again (their digest matched).
    """
    left = dict(existing)  # what is not popped by a record has left the feed
    for key in unchanged:
        del left[key]
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    digests: list[dict[str, Any]] = []
    same = len(existing) - len(left)
    for record in records:
        columns = record.columns()
        digest = record.content_hash(columns)
        row = left.pop(record.source_key, None)
        if row is None:
            inserts.append(columns | {
                "source_id": source_id, "content_hash": digest, "sequence": 0,
                "created_at": now, "changed_at": now, "removed_at": None,
                "feed_digest": record.feed_digest,
            })
        elif row.content_hash != digest or row.removed_at is not None:
            updates.append(columns | {
                "id": row.id, "content_hash": digest, "sequence": row.sequence + 1,
                "changed_at": now, "removed_at": None, "feed_digest": record.feed_digest,
            })
        else:
            same += 1
            if row.feed_digest != record.feed_digest:
                digests.append({"id": row.id, "feed_digest": record.feed_digest})
    removals = [
        {"id": row.id, "removed_at": now, "changed_at": now, "sequence": row.sequence + 1}
        for row in left.values()
        if row.removed_at is None
    ]
    return Changes(inserts, updates, removals, same, digests)


def write(changes: Changes) -> None:
    """Write the changes with executemany, one statement per chunk of rows."""
    # (The ORM's bulk insert split these rows into thousands of small statements on SQLite, a
    # third of the import's time.)
    for chunk in _chunks(changes.inserts):
        insert_many(Meeting.__table__, chunk)
    for chunk in _chunks(changes.updates):
        db.session.execute(update(Meeting), chunk)
    for chunk in _chunks(changes.removals):
        db.session.execute(update(Meeting), chunk)
    for chunk in _chunks(changes.digests):
        db.session.execute(update(Meeting), chunk)


def insert_many(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, a value for every column without its own
    default in the database) with the driver's executemany, on the session's connection.

    What Core's executemany does, column by column: each column's bind processor (enums,
    dates, type codes, JSON) runs over all the rows at once, where Core builds and processes
    every row's parameters one by one (a fifth of a first import's time at 100,000 meetings).
    """
    connection = db.session.connection()
    dialect = connection.dialect
    processed: dict[str, list[Any]] = {}
    for name in rows[0]:
        values = [row[name] for row in rows]
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        processed[name] = _processed(process, values) if process else values
    # A column bound as None in every row is left out, to be NULL: the sqlite3 module binds a
    # None only after two failed attribute lookups (a dozen a meeting, 5% of a first import).
    keys = [name for name, values in processed.items()
            if any(map(is_not, values, repeat(None))) or not _null_by_default(table.c[name])]
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    columns = [processed[name] for name in (compiled.positiontup if compiled.positional else keys)]
    if compiled.positional:
        parameters: list[Any] = list(zip(*columns, strict=True))
    else:
        parameters = [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
    connection.exec_driver_sql(compiled.string, parameters)


def _null_by_default(column: Column[Any]) -> bool:
    """True when a row that leaves ``column`` out stores NULL in it."""
    return column.nullable and column.default is None and column.server_default is None


def _processed(process: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """``process`` of each value, run once per object: the rows share many (the run's one
    ``now`` twice a row, None, an enum member), and formatting a datetime costs 2 us."""
    ids = list(map(id, values))  # the objects live in ``values``: their ids stay theirs
    done = {key: process(value) for key, value in dict(zip(ids, values, strict=True)).items()}
    return list(map(done.__getitem__, ids))


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]
