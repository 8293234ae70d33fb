"""Meeting Finder: the Flask application factory."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from finder import headers, i18n, templating
from finder.extensions import csrf, db, migrate


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


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the application."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI=database_url(os.environ.get("DATABASE_URL"), app.instance_path),
        FETCH_TIMEOUT=20,
        FETCH_MAX_BYTES=50 * 1024 * 1024,
        JSON_SORT_KEYS=False,
        SESSION_COOKIE_SAMESITE="Lax",  # the session carries the CSRF secret and a moderator's login
        # Map tiles for the results map; an empty setting leaves the page a plain list.
        TILE_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        TILE_ATTRIBUTION="© OpenStreetMap contributors",
    )
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    headers.init_app(app)
    from finder import models  # noqa: F401  (register the tables on the metadata)

    register_blueprints(app)
    from finder.cli import register_commands

    register_commands(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint."""
    from finder.meetings import bp as meetings_bp
    from finder.search_views import bp as search_bp

    app.register_blueprint(search_bp)
    app.register_blueprint(meetings_bp)
    from finder.api import bp as api_bp

    app.register_blueprint(api_bp)
    from finder import feed_views, logmask, schedule_pages, schedules_api

    # The API authenticates by the token in its URL, not by a cookie: nothing for CSRF to guard.
    csrf.exempt(schedules_api.bp)
    app.register_blueprint(schedules_api.bp)
    app.register_blueprint(schedule_pages.bp)
    app.register_blueprint(feed_views.bp)
    logmask.init_app(app)
    from finder import ratelimit
    from finder.exports import bp as exports_bp
    from finder.moderation import bp as moderation_bp
    from finder.submissions import bp as submissions_bp
    from finder.submissions_api import bp as submissions_api_bp

    ratelimit.init_app(app)
    app.register_blueprint(submissions_bp)
    app.register_blueprint(submissions_api_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(exports_bp)
