"""Bringing the database schema up to date through the migrations."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from finder.extensions import db


def ensure_schema() -> bool:
    """Upgrade the database to the newest migration if it is behind; True if it was upgraded.

    Needs an app context. A new, empty database gets the whole schema.
    """
    config = current_app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == head:
        return False
    upgrade()
    return True


def needs_schema(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a CLI ``command`` in an app context after bringing the database schema up to date."""

    @functools.wraps(command)
    @with_appcontext
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ensure_schema()
        return command(*args, **kwargs)

    return wrapper
