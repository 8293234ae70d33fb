"""Bringing the database schema up to date through the migrations."""
from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from finder.extensions import MIGRATIONS_DIR, db, init_migrate

_ASSIGNED = re.compile(r"^(revision|down_revision)(?:\s*:[^=]*)?\s*=\s*(.+?)\s*$", re.MULTILINE)


def ensure_schema() -> bool:
    """Upgrade the database to the newest migration if it is behind; True if it was upgraded.

    Needs an app context. A new, empty database gets the whole schema. A database already at
    the newest migration is told without loading Alembic (every command starts with this).
    """
    head = script_head()
    if head is not None and applied_revision() == head:
        return False
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    if "migrate" not in current_app.extensions:
        init_migrate(current_app)
    config = current_app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == head:
        return False
    upgrade()
    return True


@functools.cache
def script_head(folder: str = MIGRATIONS_DIR) -> str | None:
    """The newest migration, read from the scripts' ``revision`` / ``down_revision`` lines.

    None (ask Alembic) unless every script names its revision and exactly one is nobody's
    parent: a script this cannot read never lets a database pass as current.
    """
    revisions, parents = set(), set()
    for path in Path(folder, "versions").glob("*.py"):
        found = dict(_ASSIGNED.findall(path.read_text(encoding="utf-8")))
        try:
            revision, down = (ast.literal_eval(found[k]) for k in ("revision", "down_revision"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update((down,) if isinstance(down, str) else down or ())
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def applied_revision() -> str | None:
    """The migration the database is at (Alembic's table), or None for one that has none."""
    with db.engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        found = list(versions)
    return found[0] if len(found) == 1 else None


def needs_schema(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a CLI ``command`` in an app context after bringing the database schema up to date."""

    @functools.wraps(command)
    @with_appcontext
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ensure_schema()
        return command(*args, **kwargs)

    return wrapper
