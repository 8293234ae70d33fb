"""The SQL a block of code runs, for tests that count statements or read their text."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa


@contextmanager
def statements_run(engine: sa.Engine, holding: str = "") -> Iterator[list[str]]:
    """The text of each statement ``engine`` runs inside the block (those holding ``holding``)."""
    seen: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if holding in statement:
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)
