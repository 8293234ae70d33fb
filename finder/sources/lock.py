"""One import of a source at a time: PostgreSQL's advisory lock, SQLite's single writer."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from finder.extensions import SQLITE_BUSY_MS, db

#: How long an import waits for another import of the same source (``IMPORT_LOCK_WAIT``).
DEFAULT_WAIT = 300.0
POLL = 0.2
#: How long one try at SQLite's write lock waits before the import says it is waiting.
SQLITE_TRY_MS = 500
# A write that changes nothing but takes SQLite's write lock, as any writer's first statement does.
SQLITE_WRITE_PROBE = text("UPDATE sources SET id = id WHERE 0 = 1")


class SourceBusy(Exception):
    """Another import of the source held its lock for longer than the import may wait."""


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for the source called ``name`` (the lock exists before the row)."""
    return int.from_bytes(hashlib.sha256(b"finder-source:" + name.encode("utf-8", "replace")).digest()[:8],
                          "big", signed=True)


def lock_source(name: str, *, say: Callable[[str], None] | None = None) -> None:
    """Wait up to ``IMPORT_LOCK_WAIT`` seconds for the right to import the source ``name``.

    On PostgreSQL this takes a transaction-level advisory lock, held until the transaction
    ends, so imports of different sources run side by side and two imports of one source
    (even a new one) take turns. SQLite has one writer at a time: the import waits until no
    other writer holds the database (a web write takes a moment; another import may take
    minutes), then goes on, its writes waiting only the short busy timeout. Raises SourceBusy
    when the wait is over; ``say`` is told once when the import starts waiting.
    """
    wait = float(current_app.config.get("IMPORT_LOCK_WAIT", DEFAULT_WAIT))
    waiting = _Waiting(wait, say)
    if db.session.get_bind().dialect.name == "postgresql":
        key = lock_key(name)
        while not db.session.execute(select(func.pg_try_advisory_xact_lock(key))).scalar():
            waiting.tick(f"another import of {name!r} is running",
                         f"another import of {name!r} held it for over {wait:g} s; nothing was changed")
    elif db.session.get_bind().dialect.name == "sqlite":
        while not _sqlite_writer_free():
            waiting.tick("another import is writing to the database",
                         f"the database was busy with another import for over {wait:g} s; nothing was changed")


class _Waiting:
    """A wait with a deadline that is announced once."""

    def __init__(self, wait: float, say: Callable[[str], None] | None) -> None:
        self.wait, self.say, self.told = wait, say, False
        self.deadline = time.monotonic() + wait

    def tick(self, why: str, gave_up: str) -> None:
        """Say why we wait (the first time), give up past the deadline, else pause a moment."""
        if not self.told and self.say is not None:
            self.say(f"{why}; waiting up to {self.wait:g} s")
            self.told = True
        if time.monotonic() >= self.deadline:
            raise SourceBusy(gave_up)
        time.sleep(POLL)


def _sqlite_writer_free() -> bool:
    """True if this session could take SQLite's write lock within ``SQLITE_TRY_MS``.

    The session must hold no unsaved changes: it is rolled back, which also ends a read
    transaction whose snapshot would never be allowed to write after another writer's commit.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        return True  # the caller has already written: its own writes wait on the busy timeout
    db.session.rollback()
    connection = db.session.connection()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_TRY_MS}")
    try:
        connection.execute(SQLITE_WRITE_PROBE)
        return True
    except OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        return False
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        db.session.rollback()  # the write lock is let go: the import's own writes take it again
