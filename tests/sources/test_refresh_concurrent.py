"""`finder refresh` fetches sources side by side, each within its own deadline."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from finder.extensions import db
from finder.models import Source

FEED = json.dumps([{"slug": "m1", "name": "Morning", "day": 1, "time": "07:00",
                    "timezone": "America/New_York"}]).encode()


class _Server:
    """A 127.0.0.1 server: /slow-N answers once two requests are in flight (or after 10 s),
    /stalled sends one byte and then nothing; it records the most requests in flight at once."""

    def __init__(self) -> None:
        self.in_flight = self.most = 0
        self.lock = threading.Lock()
        self.two_in = threading.Event()
        self.release = threading.Event()
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/stalled":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(FEED)))
                    self.end_headers()
                    self.wfile.write(FEED[:1])
                    self.wfile.flush()
                    state.release.wait(30)
                    return
                with state.lock:
                    state.in_flight += 1
                    state.most = max(state.most, state.in_flight)
                    if state.in_flight >= 2:
                        state.two_in.set()
                state.two_in.wait(10)  # a one-at-a-time fetcher would wait out this timeout
                with state.lock:
                    state.in_flight -= 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(FEED)))
                self.end_headers()
                self.wfile.write(FEED)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = _Server()
    yield running
    running.close()


def _add(runner, name: str, url: str) -> None:
    result = runner.invoke(args=["sources", "add", name, url, "--format", "meeting-guide", "--fellowship", "aa"])
    assert result.exit_code == 0, result.output


def test_sources_are_fetched_side_by_side(app, runner, server):
    for name in ("a", "b", "c"):
        _add(runner, name, f"{server.url}/slow-{name}")
    result = runner.invoke(args=["refresh", "--all"])
    assert result.exit_code == 0, result.output
    assert server.most >= 2  # two fetches were in flight at once
    assert result.output.count("added 1") == 3


def test_a_stalled_feed_fails_alone_at_its_deadline(app, runner, server):
    app.config["FETCH_TIMEOUT"] = 1
    _add(runner, "a-stalled", f"{server.url}/stalled")
    _add(runner, "b-slow", f"{server.url}/slow-b")
    _add(runner, "c-slow", f"{server.url}/slow-c")
    result = runner.invoke(args=["refresh", "--all"])
    assert result.exit_code == 1
    assert "a-stalled: FAILED" in result.output and "did not answer within 1 s" in result.output
    assert "b-slow: added 1" in result.output and "c-slow: added 1" in result.output
    assert "Refreshed 2 of 3 sources, 1 failed" in result.output
    with app.app_context():
        stalled = db.session.scalar(db.select(Source).where(Source.name == "a-stalled"))
        assert stalled.failures == 1 and "did not answer" in stalled.last_error
