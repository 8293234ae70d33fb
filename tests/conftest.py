"""Shared fixtures: the app on each database engine, its client and CLI runner, and rows to test with.

Tests that call the app's functions directly take ``app_ctx`` (an app context for the test).
Tests that use ``client`` or ``runner`` never hold an app context: each request and command
pushes its own, as in production, and the test reads or changes rows through ``db_session``.
Rows are made by the factory fixtures (``make_meeting``, ``make_source``), in short contexts of
their own, so any test can use them.
"""
from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, appcontext_pushed
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import stamp
from sqlalchemy.orm import Session

from finder import create_app, database_url
from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.search.postgis import install_in_public
from tests.ical import helpers as ical
from tests.ical.lint import lint

# CI sets TEST_POSTGRES_URL; on a developer machine we try the local server and skip if absent.
POSTGRES_URL = database_url(
    os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"), "."
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden expected files")


# --- the app -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL schema of this test run's own, dropped at the end; skips if no server."""
    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except Exception as exc:  # any failure to connect means "no PostgreSQL tier here"
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({type(exc).__name__}); "
                    "set TEST_POSTGRES_URL to run the PostgreSQL tier")
    install_in_public(engine)  # so the PostgreSQL tier searches through it, where it is available
    schema = "test_" + secrets.token_hex(6)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_config(request: pytest.FixtureRequest, tmp_path) -> dict[str, Any]:
    """App settings pointing at a fresh, empty database, once per engine."""
    if request.param == "postgresql":
        schema = request.getfixturevalue("postgres_schema")
        return {
            "SQLALCHEMY_DATABASE_URI": POSTGRES_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        }
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/test.sqlite3"}


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """``make_app(config)``: a testing app with ``config``; its tables are dropped after the test."""
    made: list[Flask] = []

    def make(config: dict[str, Any]) -> Flask:
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret"} | config)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.engine.dispose()


@pytest.fixture
def app(make_app, db_config) -> Flask:
    """The app with empty tables, once per engine."""
    app = make_app(db_config)
    with app.app_context():
        db.create_all()
        stamp()  # the tables match the newest migration (tests/test_migrations.py checks that)
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app: Flask, request: pytest.FixtureRequest) -> Iterator[None]:
    """An app context for the whole test, for tests that call the app's functions directly.

    Not with ``client`` or ``runner``: their requests and commands would run inside this context
    and share its ``db.session`` and ``g`` (jarus/flask-testing#32), unlike in production.
    """
    if {"client", "runner"} & set(request.fixturenames):
        raise pytest.UsageError("app_ctx with client or runner: read rows through db_session")
    with app.app_context():
        yield


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A database session of the test's own, to read or change rows between requests.

    It lives outside any app context, so requests and commands keep their own sessions. Whenever
    the app pushes a context (a request, a command, a factory fixture) this session ends its
    transaction first: afterwards it reads what the app committed, and meanwhile it holds no
    lock the app would wait on. So commit a change before the next request.
    """
    with app.app_context():
        engine = db.engine
    session = Session(engine)

    def end_transaction(sender: Flask, **extra: Any) -> None:
        session.rollback()

    appcontext_pushed.connect(end_transaction, app, weak=False)
    try:
        yield session
    finally:
        appcontext_pushed.disconnect(end_transaction, app)
        session.close()


# --- rows ----------------------------------------------------------------------------------


def _source(name: str, fields: dict[str, Any]) -> Source:
    """The source called ``name``, added (with ``fields``) unless it exists; needs an app context."""
    row = db.session.scalar(db.select(Source).where(Source.name == name))
    if row is None:
        defaults = {"url": "https://example.org/feed.json", "format": "meeting-guide",
                    "fellowship": Fellowship.AA}
        row = Source(name=name, **(defaults | fields))
        db.session.add(row)
        db.session.flush()
    return row


def _committed(row: Any) -> Any:
    """Commit, and hand ``row`` back detached with its columns loaded (readable after the context)."""
    db.session.commit()
    db.session.refresh(row)
    db.session.expunge(row)
    return row


@pytest.fixture
def make_source(app: Flask) -> Callable[..., Source]:
    """``make_source(name="test-source", **fields)``: a committed source row, detached.

    A Meeting Guide feed of AA meetings unless ``fields`` say otherwise; an existing name is reused.
    """
    def make(name: str = "test-source", **fields: Any) -> Source:
        with app.app_context():
            return _committed(_source(name, fields))

    return make


def meeting_values(fields: dict[str, Any]) -> dict[str, Any]:
    """A listed in-person AA meeting in New York on Tuesday at 19:00, with ``fields`` replacing any of that."""
    values: dict[str, Any] = {
        "source_key": fields.get("slug", "m-" + str(fields.get("name", "x")).lower().replace(" ", "-")),
        "slug": "tuesday-night", "fellowship": Fellowship.AA, "name": "Tuesday Night",
        "day": 2, "time": "19:00", "end_time": "20:00", "timezone": "America/New_York",
        "attendance_option": Attendance.IN_PERSON, "types": ("O", "D"),
        "location": "Church Hall", "formatted_address": "490 Riverside Dr, New York, NY 10027, USA",
        "latitude": 40.8117, "longitude": -73.9626, "content_hash": "test",
    }
    return values | fields


@pytest.fixture
def make_meeting(app: Flask) -> Callable[..., Meeting]:
    """``make_meeting(**fields)``: a committed meeting row, made without going through an importer.

    A listed in-person AA meeting in New York on Tuesday at 19:00, with ``fields`` replacing any of
    that, in the source "test-source" unless ``source_id`` says otherwise. The row comes back
    detached, its columns loaded: read ``row.id`` and the like; change rows through ``db_session``.
    """
    def make(**fields: Any) -> Meeting:
        values = meeting_values(fields)
        with app.app_context():
            values.setdefault("source_id", _source("test-source", {}).id)
            row = Meeting(**values)
            db.session.add(row)
            return _committed(row)

    return make


# --- forms ---------------------------------------------------------------------------------

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def csrf_token(client: FlaskClient) -> Callable[[str], str]:
    """``csrf_token(path)``: the CSRF token of the form at ``path`` (its session cookie stays in ``client``)."""
    def token(path: str) -> str:
        page = client.get(path).get_data(as_text=True)
        match = _TOKEN.search(page)
        assert match, f"no CSRF token on {path}"
        return match[1]

    return token


@pytest.fixture
def post_form(client: FlaskClient, csrf_token: Callable[[str], str]) -> Callable[..., Any]:
    """``post_form(path, data, **kwargs)``: POST ``data`` to the form at ``path`` with a valid CSRF token."""
    def post(path: str, data: dict[str, Any], **kwargs: Any):
        return client.post(path, data={**data, "csrf_token": csrf_token(path)}, **kwargs)

    return post


@pytest.fixture
def new_meeting() -> dict[str, Any]:
    """A valid new-meeting submission (hybrid, in Chicago), as the form and the API take it."""
    return {
        "fellowship": "aa", "name": "Serenity Seekers", "day": "2", "time": "19:00",
        "end_time": "20:00", "timezone": "America/Chicago", "attendance_option": "hybrid",
        "location": "St. Mark's Hall", "address": "4953 W Addison St", "city": "Chicago",
        "state": "IL", "postal_code": "60641", "country": "USA",
        "conference_url": "https://zoom.us/j/123456789", "conference_url_notes": "Passcode 42",
        "types": ["O", "D"], "notes": "Use the side door.",
        "contact": "secretary.private@example.org", "note": "I am the group secretary.",
    }


# --- calendar feeds ------------------------------------------------------------------------


@pytest.fixture
def assert_parses(tmp_path) -> Callable[..., tuple[set, set]]:
    """``assert_parses(body, token="")``: lint a calendar and expand it with both parsers.

    The linter must find nothing (the token counts as a secret the body must not hold), and
    icalendar and ical.js must agree over ``tests/ical/helpers``' window; returns both
    occurrence sets (python, ical.js). Skips without ical.js, except in CI.
    """
    def check(body: bytes, token: str = "") -> tuple[set, set]:
        assert lint(body, secrets=[token] if token else []) == []
        python = ical.expand_python(body, ical.NOW, ical.END)
        ical.require_icaljs()
        path = tmp_path / f"feed-{len(body)}.ics"
        path.write_bytes(body)
        icaljs = ical.icaljs_occurrences(ical.expand_icaljs(path, ical.NOW, ical.END))
        assert python == icaljs
        return python, icaljs

    return check
