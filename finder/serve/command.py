"""``finder serve``: the database brought up to date, then gunicorn with the project's settings."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from finder.extensions import db
from finder.schema import ensure_schema

SECRET_NAMES = ("SECRET_KEY", "FLASK_SECRET_KEY")


class MissingSecretKey(click.ClickException):
    """The production server was asked to start with the development secret."""


def require_secret_key(environ: Mapping[str, str]) -> None:
    """Raise unless ``SECRET_KEY`` (or ``FLASK_SECRET_KEY``) is set, non-empty, in ``environ``."""
    if not any(environ.get(name, "").strip() for name in SECRET_NAMES):
        raise MissingSecretKey(
            "SECRET_KEY is not set: the production server needs a secret of its own in the "
            "environment (e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'))."
        )


@click.command("serve")
@click.option("--bind", "-b", multiple=True,
              help="HOST:PORT or unix:PATH to listen on (default: $BIND, else 127.0.0.1:$PORT or :8000).")
@click.option("--workers", "-w", type=click.IntRange(min=1),
              help="Worker processes (default: $WEB_CONCURRENCY, else 2).")
@with_appcontext
def serve_command(bind: tuple[str, ...], workers: int | None) -> None:
    """Serve the app with gunicorn, for production (needs SECRET_KEY); migrations run first."""
    require_secret_key(os.environ)
    ensure_schema()
    db.engine.dispose()  # the workers open their own connections after the fork
    current_app.logger.info("schema at head; starting gunicorn")
    from finder.serve.server import Server  # gunicorn loads only for this command

    options: dict[str, Any] = {}
    if bind:
        options["bind"] = list(bind)
    if workers:
        options["workers"] = workers
    Server(options).run()
