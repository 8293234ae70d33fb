"""Response headers that keep pages private and scripts our own: CSP, no sniffing, no framing."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, Response, current_app


def content_security_policy() -> str:
    """Only this site's scripts and styles; images also from the configured map tile server."""
    return _policy(current_app.config.get("TILE_URL") or "")


@lru_cache(maxsize=16)  # one per tile server: the same header on every page
def _policy(tile_url: str) -> str:
    images = "'self' data:"
    tiles = urlsplit(tile_url)
    if tiles.scheme in ("http", "https") and tiles.netloc:
        images += f" {tiles.scheme}://{tiles.netloc}"
    return (f"default-src 'self'; img-src {images}; script-src 'self'; style-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def secure_headers(response: Response) -> Response:
    """Add the headers to every response (a view's own values win)."""
    # One look at the names present: werkzeug's ``setdefault`` raises and catches a KeyError for
    # each header missing, which is all four on nearly every response.
    present = {name.lower() for name in response.headers.keys()}
    wanted = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")]
    if response.mimetype == "text/html":
        wanted += [("Content-Security-Policy", content_security_policy()), ("X-Frame-Options", "DENY")]
    for name, value in wanted:
        if name.lower() not in present:
            response.headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    """Install the header hook."""
    app.after_request(secure_headers)
