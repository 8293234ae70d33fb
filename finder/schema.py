"""Bringing the database schema up to date through the migrations."""
from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
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
