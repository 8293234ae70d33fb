"""Response helpers more than one feature uses: meeting page links and expired forms."""
from __future__ import annotations

from flask import render_template, url_for
from flask_wtf.csrf import CSRFError


def meeting_pages() -> str:
    """The absolute URL of meeting pages, without the id (one url_for per response, not fifty)."""
    return url_for("meetings.show", meeting_id=0, _external=True).removesuffix("/0")


def meeting_page(meeting_id: int) -> str:
    """The absolute URL of one meeting's page."""
    return url_for("meetings.show", meeting_id=meeting_id, _external=True)


def form_expired(error: CSRFError) -> tuple[str, int]:
    """A form posted with a missing or stale CSRF token: say so plainly (nothing was stored)."""
    return render_template("submissions/expired.html"), 400
