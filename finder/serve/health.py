"""``/healthz`` (the process answers) and ``/readyz`` (the database answers, migrations at head)."""
from __future__ import annotations

import functools

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Blueprint, Response, current_app, jsonify

from finder.extensions import db

bp = Blueprint("health", __name__)

NO_STORE = {"Cache-Control": "no-store"}


@functools.cache
def head_revision(directory: str) -> str | None:
    """The newest migration in ``directory`` (read once per process: it cannot change under it)."""
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    return ScriptDirectory.from_config(config).get_current_head()


def applied_revision(connection: sa.Connection) -> str | None:
    """The migration the database is at, or None for a database that has none yet."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """The process is up and answering; touches nothing else."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", **NO_STORE}


@bp.get("/readyz")
def readyz() -> tuple[Response, int, dict[str, str]]:
    """Ready for traffic: the database answers and its schema is the code's newest migration."""
    head = head_revision(current_app.extensions["migrate"].directory)
    try:
        with db.engine.connect() as connection:
            current = applied_revision(connection)
    except Exception as exc:  # any database failure means "not ready", with its kind only
        current_app.logger.warning("readyz: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="unavailable", reason="database unreachable"), 503, NO_STORE
    if current != head:
        return (jsonify(status="unavailable", reason="migrations behind",
                        revision=current, head=head), 503, NO_STORE)
    return jsonify(status="ready", revision=current), 200, NO_STORE
