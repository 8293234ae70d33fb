"""The JSON API: the parent ``/api/v1`` blueprint and its OpenAPI document, built from each feature's part."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app

from finder.api.openapi import ApiPart, assemble
from finder.extensions import csrf


def register(app: Flask, parts: list[ApiPart]) -> None:
    """Mount every part under ``/api/v1``, exempt from CSRF, and serve the assembled document.

    The API reads no cookie and no session (schedules authenticate by the token in the URL), so
    a forged cross-site request gains nothing a direct one would not; browsers cannot send JSON
    cross-site without a CORS preflight, which this app never grants.
    """
    api = Blueprint("api", __name__, url_prefix="/api/v1")
    for part in parts:
        api.register_blueprint(part.blueprint)
    api.add_url_rule("/openapi.json", "openapi", openapi_document)
    app.register_blueprint(api)
    for name, blueprint in app.blueprints.items():
        if name.startswith("api."):
            csrf.exempt(blueprint)
    app.extensions["openapi"] = assemble(parts)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of this API."""
    return current_app.extensions["openapi"]
