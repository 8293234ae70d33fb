"""One import of a source at a time: PostgreSQL's advisory lock, SQLite's single writer."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, select

from finder.extensions import db

#: How long an import waits for another import of the same source (``IMPORT_LOCK_WAIT``).
DEFAULT_WAIT = 300.0
POLL = 0.2


class SourceBusy(Exception):
    """Another import of the source held its lock for longer than the import may wait."""


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for the source called ``name`` (the lock exists before the row)."""
    return int.from_bytes(hashlib.sha256(b"finder-source:" + name.encode("utf-8", "replace")).digest()[:8],
                          "big", signed=True)


def lock_source(name: str, *, say: Callable[[str], None] | None = None) -> None:
    """Hold the source's lock until the transaction ends; wait up to ``IMPORT_LOCK_WAIT`` seconds.

    On PostgreSQL this is a transaction-level advisory lock, so imports of different sources
    run side by side and two imports of one source (even a new one) take turns. SQLite has one
    writer at a time anyway: a second writer waits on the busy timeout (finder/extensions.py).
    Raises SourceBusy when the wait is over; ``say`` is told once when the import starts waiting.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    wait = float(current_app.config.get("IMPORT_LOCK_WAIT", DEFAULT_WAIT))
    key = lock_key(name)
    deadline = time.monotonic() + wait
    told = False
    while not db.session.execute(select(func.pg_try_advisory_xact_lock(key))).scalar():
        if not told and say is not None:
            say(f"another import of {name!r} is running; waiting up to {wait:g} s")
            told = True
        if time.monotonic() >= deadline:
            raise SourceBusy(f"another import of {name!r} held it for over {wait:g} s; nothing was changed")
        time.sleep(POLL)
