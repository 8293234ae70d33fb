"""On SQLite a writer waits for another's transaction, and readers are never blocked (WAL)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from finder.extensions import SQLITE_BUSY_MS, db


@pytest.fixture
def sqlite_app(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite's locking only")
    return app


def test_wal_and_busy_timeout_are_set(sqlite_app):
    with sqlite_app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_MS


def test_a_second_writer_waits_and_a_reader_reads_meanwhile(sqlite_app, client):
    with sqlite_app.app_context():
        engine = db.engine
    holding, release, committed = threading.Event(), threading.Event(), threading.Event()

    def long_write() -> None:  # an import holding the write lock until the test lets go
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO sources (name, url, format, fellowship, failures, "
                                       "refresh_hours, created_at) VALUES ('slow', 'u', 'csv', 'ga', 0, 24, "
                                       "'2026-01-01 00:00:00')"))
            holding.set()
            release.wait(20)
        committed.set()

    writer = threading.Thread(target=long_write)
    writer.start()
    assert holding.wait(10)
    # A read goes through while the write lock is held (WAL); no timing, only order.
    assert client.get("/api/v1/meetings?attendance=online").status_code == 200
    assert not committed.is_set()
    codes: list[int] = []
    second = threading.Thread(target=lambda: codes.append(
        sqlite_app.test_client().post("/api/v1/schedules", json={"name": "Mine"}).status_code))
    second.start()  # this writer has to wait for the first one's commit ...
    second.join(0.5)
    release.set()
    writer.join(10)
    second.join(30)
    assert codes == [201]  # ... and then succeeds instead of failing with "database is locked"
