"""Response helpers more than one feature uses: meeting page links and expired forms."""
from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, render_template, request, url_for
from flask_wtf.csrf import CSRFError


def meeting_pages(*, external: bool = True) -> str:
    """The URL of meeting pages, absolute or the path alone, without the id: one url_for per app
    and host (:func:`fixed_url`), not one per meeting of a response."""
    return fixed_url("meetings.show", meeting_id=0, _external=external).removesuffix("/0")


def fixed_url(endpoint: str, **values: str | int) -> str:
    """``url_for`` of a link that takes nothing from the request's query (a stylesheet, the
    site's pages): built once per app and place the request was sent to, not on every page."""
    return _fixed_url(endpoint, tuple(values.items()), *_where())


@lru_cache(maxsize=256)  # bounded: the Host header is the client's to choose
def _fixed_url(endpoint: str, values: tuple[tuple[str, str | int], ...], _app: Flask,
               *_where: str | None) -> str:
    return url_for(endpoint, **dict(values))


def _where() -> tuple[Flask | str | None, ...]:
    # A URL depends on the app and on what the request says of where it was sent (scheme, host,
    # port, script root): links are built once for each, not on every page, search, feed and 304.
    # Read once per request (kept in its environ): a page asks for a dozen links.
    environ = request.environ
    found = environ.get(_WHERE_KEY)
    if found is None:
        found = environ[_WHERE_KEY] = (
            current_app._get_current_object(), environ.get("wsgi.url_scheme"),  # type: ignore[attr-defined]
            environ.get("HTTP_HOST"), environ.get("SERVER_NAME"), environ.get("SERVER_PORT"),
            environ.get("SCRIPT_NAME"))
    return found


_WHERE_KEY = "finder.where"


def page_with(name: str, choice: str, *, every_value: bool = False) -> str:
    """This page, with its filters kept (their first values, or ``every_value``), and its query
    parameter ``name`` set to ``choice`` (a plain token: a language code, a unit, a view)."""
    args = {**request.args.to_dict(flat=not every_value), **(request.view_args or {})}
    endpoint = request.endpoint or "search.index"
    if name in args:  # url_for keeps the parameter where it was
        return url_for(endpoint, **{**args, name: choice})
    # url_for appends a parameter its rule does not take after the others: the page's own link
    # is built once per request, and each language's, unit's and view's link adds its pair to it.
    environ, key = request.environ, f"finder.here.{every_value}"
    here = environ.get(key)
    if here is None:
        here = environ[key] = url_for(endpoint, **args)
    return f"{here}{'&' if '?' in here else '?'}{name}={choice}"


def meeting_page(meeting_id: int) -> str:
    """The absolute URL of one meeting's page."""
    return url_for("meetings.show", meeting_id=meeting_id, _external=True)


def form_expired(error: CSRFError) -> tuple[str, int]:
    """A form posted with a missing or stale CSRF token: say so plainly (nothing was stored)."""
    return render_template("submissions/expired.html"), 400
