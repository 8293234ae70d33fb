"""Behind a reverse proxy: trust its ``X-Forwarded-For``/``-Proto`` for ``PROXY_FIX`` hops."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Wrap the app in Werkzeug's ProxyFix when ``PROXY_FIX`` (the number of proxies) is set.

    Without it every client behind the proxy has the proxy's address, so they would all share one
    submission limit; with it set but no proxy in front, a client could choose its own address.
    """
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
