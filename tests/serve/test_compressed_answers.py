"""The production server compresses for a real HTTP client: gzip and brotli bodies decompress to
the plain one, one Date header goes out, and a calendar's compressed ETag gets its 304."""
from __future__ import annotations

import gzip
import http.client
import json
import subprocess
from urllib.parse import urlsplit

import brotli
import pytest

from tests.liveserve import ROOT, finder_command, production_server, server_env

pytestmark = pytest.mark.slow


def fetch(base: str, path: str, method: str = "GET", body: dict | None = None, **headers: str):
    """(status, header list, body bytes) over a plain http.client connection (no decoding)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    if data:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=data, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response = connection.getresponse()
    answer = response.status, response.getheaders(), response.read()
    connection.close()
    return answer


def header(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name.lower()]


def test_gzip_and_brotli_over_http(tmp_path):
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", SECRET_KEY="serve-test")
    demo = subprocess.run([*finder_command(), "demo"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    with production_server(env, tmp_path / "server.log", workers=2) as server:
        base = server.base_url
        path = "/api/v1/meeting-guide.json"
        status, plain_headers, plain = fetch(base, path)
        assert status == 200 and not header(plain_headers, "Content-Encoding")
        for coding, decompress in (("gzip", gzip.decompress), ("br", brotli.decompress)):
            status, headers, packed = fetch(base, path, Accept_Encoding=coding)
            assert status == 200
            assert header(headers, "Content-Encoding") == [coding]
            assert "Accept-Encoding" in header(headers, "Vary")[0]
            assert len(header(headers, "Date")) == 1
            assert decompress(packed) == plain and len(packed) < len(plain) / 3

        found = json.loads(fetch(base, "/api/v1/meetings?near=10027&radius_km=50")[2])["meetings"]
        token = json.loads(fetch(base, "/api/v1/schedules", "POST", {"name": "Week"})[2])["token"]
        for meeting in found[:10]:
            fetch(base, f"/api/v1/schedules/{token}/meetings", "POST", {"meeting_id": meeting["id"]})
        feed = f"/feeds/{token}.ics"
        _, _, ics = fetch(base, feed)
        status, headers, packed = fetch(base, feed, Accept_Encoding="gzip")
        assert gzip.decompress(packed) == ics
        (etag,) = header(headers, "ETag")
        assert etag.endswith(':gzip"')
        status, headers, empty = fetch(base, feed, Accept_Encoding="gzip", If_None_Match=etag)
        assert (status, empty, header(headers, "ETag")) == (304, b"", [etag])
