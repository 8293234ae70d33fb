"""Tokens never reach the logs: the access log of a real server shows ``[token]`` instead."""
from __future__ import annotations

import logging
import sys
import threading
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from finder.web.logmask import TokenMaskFilter, mask_tokens

TOKEN = "Zk3v9Q2mX7pL0aB4cD8eF1gH5iJ6kL2mN9oP3qR7sT0"


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (f'"GET /feeds/{TOKEN}.ics HTTP/1.1" 200 -', '"GET /feeds/[token].ics HTTP/1.1" 200 -'),
        (f"PATCH /api/v1/schedules/{TOKEN}/meetings/3", "PATCH /api/v1/schedules/[token]/meetings/3"),
        (f"GET /schedules/{TOKEN}?x=1", "GET /schedules/[token]?x=1"),
        ("GET /meetings/12.ics", "GET /meetings/12.ics"),
    ],
)
def test_mask_tokens(line, masked):
    assert mask_tokens(line) == masked


def test_filter_rewrites_records_with_args():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s "%s" %s',
                               ("127.0.0.1", f"GET /feeds/{TOKEN}.ics HTTP/1.1", 200), None)
    assert TokenMaskFilter().filter(record) is True
    assert TOKEN not in record.getMessage()
    assert "/feeds/[token].ics" in record.getMessage()


def test_app_logger_masks_the_path_of_a_failed_request(app, caplog):
    with app.test_request_context(f"/feeds/{TOKEN}.ics"), caplog.at_level(logging.ERROR):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            app.log_exception(sys.exc_info())
    (record,) = [r for r in caplog.records if r.name == app.logger.name]
    assert record.getMessage() == "Exception on /feeds/[token].ics [GET]"


def test_access_log_of_a_real_server_has_no_token(app, client, caplog):
    token = client.post("/api/v1/schedules").json["token"]
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            with urllib.request.urlopen(f"{base}/feeds/{token}.ics", timeout=10) as response:
                assert response.status == 200
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(f"{base}/api/v1/schedules/{'x' * 43}", timeout=10)
    finally:
        server.shutdown()
        thread.join(5)
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("/feeds/[token].ics" in line for line in lines), lines
    assert any("/api/v1/schedules/[token]" in line for line in lines), lines
    assert not any(token in line or "x" * 43 in line for line in lines)
