"""A Nominatim-shaped geocoding server on 127.0.0.1, and the app configured to use it."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from flask import Flask


class Nominatim(BaseHTTPRequestHandler):
    """Answers ``/search?q=...`` with the first of ``places`` whose text the query holds."""

    places: dict[str, tuple[float, float]] = {}
    fail = False
    asked: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.fail:
            self.send_response(503)
            self.end_headers()
            return
        query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        self.asked.append(query)
        found = [{"lat": str(lat), "lon": str(lon), "display_name": query, "place_id": 1}
                 for text, (lat, lon) in self.places.items() if text in query][:1]
        body = json.dumps(found).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def nominatim_server(app: Flask, places: dict[str, tuple[float, float]]) -> Iterator[type[Nominatim]]:
    """Serve ``places`` and point the app's geocoder at it (no delay between calls)."""
    handler = type("NominatimFor", (Nominatim,), {"places": places, "fail": False, "asked": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(GEOCODER="nominatim", GEOCODER_MIN_DELAY=0, GEOCODER_OPTIONS={
        "domain": f"127.0.0.1:{server.server_port}", "scheme": "http", "user_agent": "finder-tests"})
    app.extensions.pop("finder.geocoder", None)
    try:
        yield handler
    finally:
        server.shutdown()
        thread.join()
        app.extensions.pop("finder.geocoder", None)
