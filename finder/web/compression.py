"""Compressed answers for phones on slow links (Flask-Compress): brotli or gzip, as the client asks.

Pages, JSON, calendar feeds and the Meeting Guide export over ``COMPRESS_MIN_SIZE`` bytes are
compressed; every answer says ``Vary: Accept-Encoding``. A compressed body gets its own strong
ETag (``"tag:br"``, ``"tag:gzip"``), and a client's If-None-Match with that tag still gets its
304 (Flask-Compress re-checks the request; ``finder.web.calendars`` accepts the suffixed tags).
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_compress import Compress

compress = Compress()

#: Text worth compressing; images and fonts are compressed already.
MIMETYPES = ("text/html", "application/json", "text/calendar", "text/css", "text/javascript",
             "application/javascript", "text/plain", "image/svg+xml")
DEFAULTS = {
    "COMPRESS_MIMETYPES": list(MIMETYPES),
    "COMPRESS_ALGORITHM": ["br", "gzip"],  # in this order when a client accepts both equally
    "COMPRESS_MIN_SIZE": 1024,  # below a packet's worth there is nothing to gain
    "COMPRESS_STREAMS": False,  # static files stream; in production the proxy serves them
    "COMPRESS_REGISTER": False,  # registered below, so the Date header can be dropped after it
}


def compressed(response: Response) -> Response:
    """Compress ``response`` when the client accepts it and it is worth it."""
    if request.accept_encodings.best_match(current_app.config["COMPRESS_ALGORITHM"]) is None:
        # Flask-Compress 1.25 reads "gzip;q=0" as a yes; q=0 means "not acceptable" (RFC 9110).
        response.vary.add("Accept-Encoding")
    else:
        response = compress.after_request(response)
    # Flask-Compress (and make_conditional) add a Date header; the HTTP server sends its own,
    # and two Date headers would go out.
    response.headers.pop("Date", None)
    return response


def init_app(app: Flask) -> None:
    """Set the defaults (each ``COMPRESS_*`` setting may be overridden) and install the hook."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    compress.init_app(app)
    app.after_request(compressed)
