"""On SQLite a writer waits for another's transaction, and readers are never blocked (WAL)."""
from __future__ import annotations

import threading
import time

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
    holding = threading.Event()

    def long_write() -> None:  # an import holding the write lock for a while
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO sources (name, url, format, fellowship, failures, "
                                       "refresh_hours, created_at) VALUES ('slow', 'u', 'csv', 'ga', 0, 24, "
                                       "'2026-01-01 00:00:00')"))
            holding.set()
            time.sleep(1.0)

    writer = threading.Thread(target=long_write)
    writer.start()
    holding.wait(5)
    started = time.monotonic()
    assert client.get("/api/v1/meetings?attendance=online").status_code == 200  # not blocked
    read_took = time.monotonic() - started
    created = client.post("/api/v1/schedules", json={"name": "Mine"})  # waits for the lock
    writer.join()
    assert created.status_code == 201
    assert read_took < 0.9
