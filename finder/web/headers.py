"""Response headers that keep pages private and scripts our own: CSP, no sniffing, no framing."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app


def content_security_policy() -> str:
    """Only this site's scripts and styles; images also from the configured map tile server."""
    images = "'self' data:"
    tiles = urlsplit(current_app.config.get("TILE_URL") or "")
    if tiles.scheme in ("http", "https") and tiles.netloc:
        images += f" {tiles.scheme}://{tiles.netloc}"
    return (f"default-src 'self'; img-src {images}; script-src 'self'; style-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def secure_headers(response: Response) -> Response:
    """Add the headers to every response (a view's own values win)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    """Install the header hook."""
    app.after_request(secure_headers)
