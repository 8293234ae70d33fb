"""Error pages in the reader's language (the JSON API keeps its own JSON errors)."""
from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from finder.web.edge import api_errors_as_json

TITLES = {
    404: lazy_gettext("We could not find this page"),
    410: lazy_gettext("This page is gone"),
    500: lazy_gettext("Something went wrong on our side"),
}
ADVICE = {
    404: lazy_gettext("The link may be old or mistyped. You can search for a meeting instead."),
    410: lazy_gettext("What was here is no longer listed. You can search for a meeting instead."),
    500: lazy_gettext("This is not your fault. Please try again in a moment, or search again."),
}


def error_page(error: HTTPException) -> Any:
    """A plain page for a person; under /api/ the JSON error of finder/web/edge.py."""
    code = error.code or 500
    if request.path.startswith("/api/"):
        return api_errors_as_json(error)
    if code not in TITLES:
        return error
    return render_template("error.html", title=TITLES[code], advice=ADVICE[code]), code


def init_app(app: Flask) -> None:
    """Install the pages for 404, 410 and 500."""
    for code in (404, 410):
        app.register_error_handler(code, error_page)
    app.register_error_handler(InternalServerError, error_page)
