"""Meeting Finder: the Flask application factory.

Flask and the features are imported inside the factory, so the importers and feed renderers can
use this package's pure modules (``enums``, ``zones``, ``weekly``, ``geo.points``) without
loading Flask.
"""
from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL for ``DATABASE_URL``, defaulting to an SQLite file in ``instance/``.

    ``postgres://`` and ``postgresql://`` URLs (as hosting platforms hand them out) are pointed
    at the psycopg 3 driver, the only PostgreSQL driver we install.
    """
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "finder.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def instance_secret(path: Path) -> str:
    """The random key kept in ``path`` (made on first use, readable by this user only).

    Used when no ``SECRET_KEY`` is configured, so an unconfigured install never signs sessions
    with a key anyone can read in the source. Several processes may race to make it: the first
    to create the file wins and the others read it.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the winner may not have written it yet
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty: delete it, or set SECRET_KEY") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


def create_app(test_config: Mapping[str, Any] | None = None, *, web: bool = True) -> Flask:
    """Create and configure the application.

    ``web=False`` is the app a data command needs (``finder import``, ``refresh``, ``sources``):
    settings and database, without pages, API, languages and Flask-Migrate, which are most of the
    start-up time (finder/cli.py); the command's own modules import the models they use, so an
    import loads no schedule, submission or report model.
    """
    from flask import Flask

    from finder.extensions import db, engine_options, init_migrate
    from finder.paths import asset_dir

    app = Flask(
        __name__,
        template_folder=asset_dir("templates"),
        # A data command serves no files: without a static folder Flask adds no /static rule,
        # which werkzeug compiles (2.6 M instructions of finder import's start-up).
        static_folder=asset_dir("static") if web else None,
        instance_relative_config=True,
    )
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        SQLALCHEMY_DATABASE_URI=database_url(os.environ.get("DATABASE_URL"), app.instance_path),
        FETCH_TIMEOUT=20,
        FETCH_MAX_BYTES=50 * 1024 * 1024,
        IMPORT_LOCK_WAIT=300,  # seconds an import waits for another import of its source
        JSON_SORT_KEYS=False,
        SESSION_COOKIE_SAMESITE="Lax",  # the session carries the CSRF secret and a moderator's login
        # Map tiles for the results map; an empty setting leaves the page a plain list.
        TILE_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        TILE_ATTRIBUTION="© OpenStreetMap contributors",
    )
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path) / "secret_key")

    db.init_app(app)
    if not web:
        return app
    register_models()
    from finder.extensions import csrf

    init_migrate(app)
    csrf.init_app(app)
    register_web(app)
    register_blueprints(app)
    from finder.cli import register_commands

    register_commands(app)
    return app


def register_models() -> None:
    """Import every feature's models, so the metadata (and Alembic) sees all the tables."""
    from finder import models  # noqa: F401
    from finder.geo import models as geo_models  # noqa: F401
    from finder.reports import models as report_models  # noqa: F401
    from finder.schedules import models as schedule_models  # noqa: F401
    from finder.submissions import models as submission_models  # noqa: F401


def register_web(app: Flask) -> None:
    """What every page shares: compression, orjson, session cookies, edge checks, languages,
    template helpers, headers, log masking, rate limits."""
    from finder.submissions import ratelimit
    from finder.web import (
        compression,
        edge,
        errors,
        headers,
        i18n,
        json_provider,
        logmask,
        sessions,
        templating,
        units,
    )

    # compression first: after_request hooks run last-registered first, so it sees the final body.
    for part in (compression, json_provider, sessions, edge, i18n, templating, units, errors, headers,
                 logmask, ratelimit):
        part.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Attach each feature's pages, and mount the API parts under ``/api/v1``."""
    from finder import api
    from finder.meetings import export
    from finder.meetings import views as meetings
    from finder.moderation import views as moderation
    from finder.reports import views as reports
    from finder.schedules import api as schedules_api
    from finder.schedules import views as schedules
    from finder.search import api as search_api
    from finder.search import views as search
    from finder.serve import health
    from finder.submissions import api as submissions_api
    from finder.submissions import views as submissions

    for feature in (search, meetings, schedules, submissions, reports, moderation, health):
        app.register_blueprint(feature.bp)
    api.register(app, [search_api.PART, schedules_api.PART, submissions_api.PART, export.PART])
