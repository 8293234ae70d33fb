"""Shared fixtures: the app on each database engine, its client and CLI runner."""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import stamp

from finder import create_app, database_url
from finder.extensions import db

# CI sets TEST_POSTGRES_URL; on a developer machine we try the local server and skip if absent.
POSTGRES_URL = database_url(
    os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"), "."
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden expected files")


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
    schema = "test_" + secrets.token_hex(6)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def engine_config(request: pytest.FixtureRequest, engine: str, tmp_path) -> dict:
    """App settings pointing at a fresh database of the given engine."""
    if engine == "postgresql":
        schema = request.getfixturevalue("postgres_schema")
        return {
            "SQLALCHEMY_DATABASE_URI": POSTGRES_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        }
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/test.sqlite3"}


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The app with empty tables, once per engine."""
    config = {"TESTING": True, "SECRET_KEY": "test-secret"} | engine_config(
        request, request.param, tmp_path
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        stamp()  # the tables match the newest migration (tests/test_migrations.py checks that)
    yield app
    with app.app_context():
        drop_everything()


def drop_everything() -> None:
    """Drop the app's tables and Alembic's version table (needs an app context)."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()
