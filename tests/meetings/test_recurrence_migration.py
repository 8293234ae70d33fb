"""Migration 0008 on both engines: existing meetings stay weekly, patterns survive, and it undoes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from finder.extensions import db
from finder.models import Meeting
from finder.pattern import MONTHLY, Recurrence

ROW = ("INSERT INTO meetings (source_id, source_key, slug, fellowship, name, day, time, timezone,"
       " attendance_option, types, approximate, content_hash, sequence, created_at, changed_at)"
       " VALUES (1, 'k', 's', 'aa', 'Old weekly', 1, '19:00', 'America/New_York', 'in_person',"
       " '|O|', false, 'h', 0, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')")


@pytest.fixture
def empty_app(make_app, db_config):
    return make_app(db_config)  # no tables yet: the migrations make them


def test_0008_keeps_rows_weekly_and_downgrades(empty_app):
    with empty_app.app_context():
        upgrade(revision="0005")
        db.session.execute(sa.text("INSERT INTO sources (id, name, url, format, fellowship, "
                                   "created_at, failures, refresh_hours) VALUES (1, 'src', 'u', "
                                   "'meeting-guide', 'aa', '2026-01-01 00:00:00+00', 0, 24)"))
        db.session.execute(sa.text(ROW))
        db.session.commit()
        upgrade()  # 0008 and any later migration: the model reads the newest schema
        old = db.session.scalars(sa.select(Meeting)).one()
        assert old.recurrence is None and old.recurrence_kind is None
        old.recurrence = Recurrence(kind=MONTHLY, nths=(1, 3))
        db.session.commit()
        db.session.expire_all()
        assert db.session.scalars(sa.select(Meeting)).one().recurrence_kind == "monthly"
        indexes = {ix["name"] for ix in sa.inspect(db.engine).get_indexes("meetings")}
        assert "ix_meetings_recurrence_kind" in indexes
        db.session.remove()
        downgrade(revision="0005")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("meetings")}
        assert "recurrence" not in columns and "recurrence_kind" not in columns
        assert db.session.execute(sa.text("SELECT name FROM meetings")).scalar() == "Old weekly"
        db.session.remove()
