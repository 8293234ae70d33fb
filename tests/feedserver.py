"""A real HTTP server on 127.0.0.1 for fetch tests: serves registered paths, nothing else."""
from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    gzip: bool = False
    delay: float = 0.0
    content_type: str = "application/json"
    # Validators as a CDN sends them; a request naming them again is answered 304, no body.
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FeedServer:
    """The running server: its base URL, routes and the paths it was asked for."""

    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)  # each request's headers


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    """Start a server on a free 127.0.0.1 port for the duration of the block."""
    state = FeedServer(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            state.requests.append(self.path)
            route = state.routes.get(self.path) or state.routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404, "Not Found")
                return
            time.sleep(route.delay)
            asked = dict(self.headers.items())
            state.headers.append(asked)
            if (route.etag and asked.get("If-None-Match") == route.etag) or (
                    route.last_modified and asked.get("If-Modified-Since") == route.last_modified):
                self.send_response(304)
                self.send_header("ETag", route.etag or "")
                self.end_headers()
                return
            body = gzip.compress(route.body) if route.gzip else route.body
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(body)))
            if route.gzip:
                self.send_header("Content-Encoding", "gzip")
            for name, value in (("ETag", route.etag), ("Last-Modified", route.last_modified)):
                if value:
                    self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (timeout tests)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
