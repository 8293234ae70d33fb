"""Response helpers more than one feature uses: meeting page links, calendar files, expired forms."""
from __future__ import annotations

from datetime import datetime

from flask import Response, render_template, request, url_for
from flask_wtf.csrf import CSRFError


def meeting_pages() -> str:
    """The absolute URL of meeting pages, without the id (one url_for per response, not fifty)."""
    return url_for("meetings.show", meeting_id=0, _external=True).removesuffix("/0")


def meeting_page(meeting_id: int) -> str:
    """The absolute URL of one meeting's page."""
    return url_for("meetings.show", meeting_id=meeting_id, _external=True)


def ics_response(body: bytes, last_modified: datetime, disposition: str) -> Response:
    """A conditional ``text/calendar`` response: strong ETag of the body, 304, HEAD."""
    response = Response(body, mimetype="text/calendar")  # "; charset=utf-8" is added
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Robots-Tag"] = "noindex"
    response.add_etag()  # strong: equal bytes, equal tag (the body is byte-stable)
    response.last_modified = last_modified.replace(microsecond=0)
    response = response.make_conditional(request)
    # make_conditional adds a Date header; the HTTP server (werkzeug, gunicorn) sends its own.
    response.headers.pop("Date", None)
    return response


def form_expired(error: CSRFError) -> tuple[str, int]:
    """A form posted with a missing or stale CSRF token: say so plainly (nothing was stored)."""
    return render_template("submissions/expired.html"), 400
