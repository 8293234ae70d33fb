"""PostgreSQL connections run plain reads in autocommit and everything else in a transaction.

Plain reads (most requests) skip BEGIN and ROLLBACK; writes, locking reads and transaction-level
advisory locks still get a transaction that the unit of work's commit or rollback ends
(finder/extensions.py).
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from finder.enums import Fellowship
from finder.extensions import db, engine_options, plain_read
from finder.models import Source

IDLE, IN_TRANSACTION = 0, 2  # psycopg.pq.TransactionStatus


def test_only_postgresql_engines_default_to_autocommit():
    connect = {"connect_args": {"options": "-csearch_path=x"}}
    assert engine_options("sqlite:///finder.sqlite3", connect) == connect
    assert engine_options("postgresql+psycopg2://db/finder", connect) == connect  # not our driver
    assert engine_options("postgresql+psycopg://db/finder", connect) == {
        "isolation_level": "AUTOCOMMIT", **connect}
    chosen = {"isolation_level": "READ COMMITTED"}  # the settings may bring transactions back
    assert engine_options("postgresql+psycopg://db/finder", chosen) == chosen


@pytest.mark.parametrize(("statement", "plain"), [
    ("SELECT meetings.id FROM meetings WHERE meetings.id = %(id)s", True),
    ("\n(SELECT 1) UNION ALL (SELECT 2)", True),
    ("select 1", True),
    ("SELECT sources.id FROM sources WHERE sources.id = %(id)s FOR UPDATE", False),
    ("SELECT sources.id FROM sources FOR NO KEY UPDATE SKIP LOCKED", False),
    ("SELECT id FROM sources FOR SHARE", False),
    ("SELECT pg_try_advisory_xact_lock(%(key)s) AS anon_1", False),
    ("WITH gone AS (DELETE FROM sources RETURNING id) SELECT id FROM gone", False),
    ("INSERT INTO sources (name) VALUES (%(name)s)", False),
    ("UPDATE meetings SET name = 'x'", False),
    ("SAVEPOINT sa_savepoint_1", False),
    ("CREATE TABLE t (id integer)", False),
    ("SELECT id INTO TEMP kept FROM sources", False),
    ("/* a comment */ SELECT 1", False),  # not told apart: a transaction, to be safe
])
def test_plain_reads_are_told_apart(statement, plain):
    assert plain_read(statement) is plain


def _postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's transactions")


def _status() -> int:
    return db.session.connection().connection.dbapi_connection.info.transaction_status


def _source(name: str) -> Source:
    return Source(name=name, url="https://example.org/feed.json", format="meeting-guide",
                  fellowship=Fellowship.AA)


def test_a_read_opens_no_transaction(app):
    _postgresql(app)
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(Source)).scalar() == 0
        assert _status() == IDLE  # no BEGIN before it, so no ROLLBACK after it


def test_a_write_runs_in_a_transaction_that_rollback_undoes(app):
    _postgresql(app)
    with app.app_context():
        db.session.add(_source("first"))
        db.session.flush()
        assert _status() == IN_TRANSACTION
        db.session.add(_source("second"))
        db.session.flush()
        db.session.rollback()
        assert db.session.scalars(sa.select(Source.name)).all() == []
        assert _status() == IDLE


def test_a_failed_unit_of_work_keeps_none_of_its_writes(app):
    _postgresql(app)
    with app.app_context():
        db.session.add(_source("kept"))
        db.session.commit()
        db.session.add(_source("lost"))
        db.session.flush()
        db.session.add(_source("kept"))  # sources.name is unique: this flush fails
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalars(sa.select(Source.name)).all() == ["kept"]


def test_reads_after_a_write_see_it_and_commit_ends_the_transaction(app):
    _postgresql(app)
    with app.app_context():
        db.session.add(_source("seen"))
        db.session.flush()
        assert db.session.scalar(sa.select(Source.name)) == "seen"
        with db.engine.connect() as other:  # not committed: no one else sees it yet
            assert other.execute(sa.select(Source.name)).all() == []
        db.session.commit()
        assert _status() == IDLE
        with db.engine.connect() as other:
            assert other.execute(sa.select(Source.name)).scalars().all() == ["seen"]


def test_an_advisory_transaction_lock_is_held_until_commit(app):
    _postgresql(app)
    lock = sa.select(sa.func.pg_try_advisory_xact_lock(4242))
    with app.app_context():
        assert db.session.execute(lock).scalar() is True
        assert _status() == IN_TRANSACTION
        with db.engine.connect() as other:
            assert other.execute(lock).scalar() is False
            other.rollback()
            db.session.commit()
            assert other.execute(lock).scalar() is True
            other.rollback()


def test_a_locking_read_holds_its_row_lock_until_commit(app):
    _postgresql(app)
    with app.app_context():
        db.session.add(_source("locked"))
        db.session.commit()
        db.session.execute(sa.select(Source).with_for_update()).scalars().all()
        with db.engine.connect() as other:
            free = other.execute(sa.select(Source.id).with_for_update(skip_locked=True)).all()
            other.rollback()
        db.session.commit()
    assert free == []


def test_a_connection_that_asks_for_autocommit_gets_no_transaction(app):
    _postgresql(app)
    with app.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM sources"))  # refused inside a transaction
