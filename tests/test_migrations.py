"""The migrations build exactly the models' schema, on SQLite and PostgreSQL, and undo cleanly."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from finder.extensions import db, include_object
from finder.models import Meeting
from finder.schema import ensure_schema

# Reflection reads the PostGIS column as a type SQLAlchemy does not know; the comparison leaves it out.
pytestmark = pytest.mark.filterwarnings("ignore:Did not recognize type:sqlalchemy.exc.SAWarning")


@pytest.fixture
def empty_db(make_app, db_config):
    """An app context over an empty database (no tables at all), once per engine."""
    with make_app(db_config).app_context():
        yield


def test_upgrade_matches_models_and_downgrades(empty_db):
    assert ensure_schema() is True
    assert ensure_schema() is False  # already at head: nothing to do
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(
            connection, opts={"include_object": include_object}), db.metadata)
    assert diff == []
    assert db.session.scalars(sa.select(Meeting)).all() == []
    db.session.remove()  # release the read lock, or PostgreSQL's DROP TABLE would wait on it
    downgrade(revision="base")
    assert "meetings" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    assert "meetings" in sa.inspect(db.engine).get_table_names()
