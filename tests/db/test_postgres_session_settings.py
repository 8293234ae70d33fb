"""The app's own PostgreSQL connections run without parallel query; SQLite is untouched."""
from __future__ import annotations

import sqlalchemy as sa

from finder.extensions import db


def test_connections_have_parallel_query_off(app):
    with app.app_context(), db.engine.connect() as connection:
        if db.engine.dialect.name != "postgresql":
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1  # the hook leaves SQLite alone
            return
        setting = connection.execute(sa.text("SHOW max_parallel_workers_per_gather")).scalar()
        connection.rollback()
        again = connection.execute(sa.text("SHOW max_parallel_workers_per_gather")).scalar()
    assert setting == again == "0"  # a session setting, not undone by a rollback
