"""One import of a source at a time: concurrent first imports, a lock held too long, a report kept small."""
from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa

from finder.extensions import db
from finder.models import ImportRun, Source
from finder.sources.lock import lock_key
from finder.sources.service import import_location
from importers import FeedError

ZONE = "America/New_York"


def _feed(tmp_path, count: int = 3):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([{"slug": f"m{i}", "name": f"M {i}", "day": i % 7, "time": "19:00",
                                 "timezone": ZONE} for i in range(count)]))
    return feed


def _postgres(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL's advisory lock")


def test_two_first_imports_of_one_new_source_never_die_with_a_traceback(app, tmp_path):
    feed = _feed(tmp_path, 500)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def first_import() -> None:
        with app.app_context():
            start.wait(10)
            try:
                import_location(str(feed), name="race")
                outcomes.append("ok")
            except FeedError as exc:  # the loser's clean error (SQLite); never an IntegrityError
                outcomes.append(f"error: {exc}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=first_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 2 and "ok" in outcomes, outcomes
    for outcome in outcomes:
        assert outcome == "ok" or "at the same time" in outcome or "busy" in outcome, outcome
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Source)) == 1
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert outcomes == ["ok", "ok"]  # the second waited for the lock and re-used the source


def test_an_import_that_waits_says_so_and_gives_up(app, runner, tmp_path):
    _postgres(app)
    feed = _feed(tmp_path)
    assert runner.invoke(args=["import", str(feed), "--name", "busy"]).exit_code == 0
    app.config["IMPORT_LOCK_WAIT"] = 0.5
    with app.app_context():
        engine = db.engine
    with engine.connect() as holder, holder.begin():  # another import holding the source's lock
        holder.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_key("busy"))))
        result = runner.invoke(args=["import", str(feed), "--name", "busy"])
    assert result.exit_code == 1
    assert "another import of 'busy' is running; waiting up to 0.5 s" in result.output
    assert "held it for over 0.5 s; nothing was changed" in result.output
    assert "Traceback" not in result.output
    with app.app_context():  # waiting is not a failure of the feed
        assert db.session.scalar(sa.select(Source.failures)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportRun)) == 1


def test_imports_of_two_sources_run_side_by_side(app, runner, tmp_path):
    _postgres(app)
    feed = _feed(tmp_path)
    with app.app_context():
        engine = db.engine
    app.config["IMPORT_LOCK_WAIT"] = 0.5
    with engine.connect() as holder, holder.begin():
        holder.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_key("one"))))
        result = runner.invoke(args=["import", str(feed), "--name", "two"])
    assert result.exit_code == 0, result.output
    assert "waiting" not in result.output


def test_a_stored_report_lists_the_first_thousand_issues_and_counts_the_rest(app, runner, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([{"slug": f"bad{i}", "name": "x" * 100, "day": 9, "time": "19:00"}
                                for i in range(1500)] + [{"slug": "ok", "name": "Ok", "day": 1,
                                                          "time": "19:00", "timezone": ZONE}]))
    assert runner.invoke(args=["import", str(feed), "--name", "big"]).exit_code == 0
    with app.app_context():
        report = db.session.scalar(sa.select(ImportRun.report))
        assert len(report["rejected"]) == 1000 and report["more_rejected"] == 500
        assert len(json.dumps(report)) < 400_000


def _sqlite(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's single writer")


def _hold_sqlite_writer(app, release: threading.Event, holding: threading.Event) -> threading.Thread:
    """Another writer (an import elsewhere) holding SQLite's write lock until ``release``."""
    with app.app_context():
        engine = db.engine

    def hold() -> None:
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE sources SET id = id WHERE 0 = 1"))
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    return thread


def test_on_sqlite_an_import_behind_another_writer_says_so_and_gives_up(app, runner, tmp_path):
    _sqlite(app)
    feed = _feed(tmp_path)
    assert runner.invoke(args=["import", str(feed), "--name", "busy"]).exit_code == 0
    app.config["IMPORT_LOCK_WAIT"] = 0.5
    release, holding = threading.Event(), threading.Event()
    holder = _hold_sqlite_writer(app, release, holding)
    try:
        result = runner.invoke(args=["import", str(feed), "--name", "busy"])
    finally:
        release.set()
        holder.join(10)
    assert result.exit_code == 1
    assert "another import is writing to the database; waiting up to 0.5 s" in result.output
    assert "busy with another import for over 0.5 s; nothing was changed" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Source.failures)) == 0


def test_on_sqlite_an_import_waits_its_turn_then_imports(app, runner, tmp_path):
    _sqlite(app)
    feed = _feed(tmp_path, 5)
    app.config["IMPORT_LOCK_WAIT"] = 30
    release, holding = threading.Event(), threading.Event()
    holder = _hold_sqlite_writer(app, release, holding)
    timer = threading.Timer(1.5, release.set)  # the other writer commits while this import waits
    timer.start()
    try:
        result = runner.invoke(args=["import", str(feed), "--name", "patient"])
    finally:
        release.set()
        holder.join(10)
    assert result.exit_code == 0, result.output
    assert "another import is writing to the database; waiting up to 30 s" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Source)) == 1
