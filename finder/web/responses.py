"""Response helpers more than one feature uses: meeting page links and expired forms."""
from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, render_template, request, url_for
from flask_wtf.csrf import CSRFError


def meeting_pages() -> str:
    """The absolute URL of meeting pages, without the id (one url_for per response, not fifty)."""
    # The URL depends on the app and on what the request says of where it was sent (scheme, host,
    # port, script root): built once for each, not on every search, feed and 304.
    environ = request.environ
    return _meeting_pages(current_app._get_current_object(), environ.get("wsgi.url_scheme"),  # type: ignore[attr-defined]
                          environ.get("HTTP_HOST"), environ.get("SERVER_NAME"),
                          environ.get("SERVER_PORT"), environ.get("SCRIPT_NAME"))


@lru_cache(maxsize=64)  # bounded: the Host header is the client's to choose
def _meeting_pages(_app: Flask, *_where: str | None) -> str:
    return url_for("meetings.show", meeting_id=0, _external=True).removesuffix("/0")


def meeting_page(meeting_id: int) -> str:
    """The absolute URL of one meeting's page."""
    return url_for("meetings.show", meeting_id=meeting_id, _external=True)


def form_expired(error: CSRFError) -> tuple[str, int]:
    """A form posted with a missing or stale CSRF token: say so plainly (nothing was stored)."""
    return render_template("submissions/expired.html"), 400
