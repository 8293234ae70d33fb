"""Compressed answers: brotli or gzip as asked, the same bytes once decompressed, Vary, and
ETags that stay right (a compressed body has its own tag, and its 304 still comes)."""
from __future__ import annotations

import gzip

import brotli
import pytest

API = "/api/v1/schedules"
PAGE = "/?near=10027&radius_km=50"


def decoded(response) -> bytes:
    coding = response.headers.get("Content-Encoding")
    return {"gzip": gzip.decompress, "br": brotli.decompress, None: bytes}[coding](response.data)


@pytest.fixture
def meetings(app, make_meeting):
    app.config["FIXED_NOW"] = "2026-11-24T18:00:00+00:00"  # the page's "In 40 min" stays put
    return [make_meeting(name=f"Meeting {n}", slug=f"m{n}", day=n % 7) for n in range(12)]


@pytest.mark.parametrize("coding", ["gzip", "br"])
@pytest.mark.parametrize("url", [PAGE, "/api/v1/meetings?near=10027&radius_km=50", "/api/v1/meeting-guide.json"])
def test_text_answers_are_compressed_as_asked(client, meetings, url, coding):
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": f"{coding}, identity;q=0.5"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in plain.headers["Vary"] and "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    assert decoded(packed) == plain.data
    assert "Date" not in packed.headers  # the HTTP server sends its own


def test_brotli_is_preferred_and_small_answers_stay_plain(client, meetings):
    assert client.get(PAGE, headers={"Accept-Encoding": "gzip, deflate, br"}).headers["Content-Encoding"] == "br"
    tiny = client.get("/healthz", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in tiny.headers
    refused = client.get(PAGE, headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_a_compressed_feed_has_its_own_etag_and_its_304(client, meetings):
    token = client.post(API, json={"name": "Week"}).json["token"]
    for meeting in meetings:
        client.post(f"{API}/{token}/meetings", json={"meeting_id": meeting.id})
    url = f"/feeds/{token}.ics"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and decoded(packed) == plain.data
    tag, packed_tag = plain.headers["ETag"].strip('"'), packed.headers["ETag"].strip('"')
    assert packed_tag == f"{tag}:gzip"  # strong, and not the plain body's tag
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": f'"{packed_tag}"'})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == f'"{packed_tag}"'
    assert client.get(url, headers={"If-None-Match": f'"{tag}"'}).status_code == 304
    # After a change neither tag matches.
    assert client.patch(f"{API}/{token}", json={"name": "Other"}).status_code == 200
    assert client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": f'"{packed_tag}"'}) \
        .status_code == 200


def test_export_304_for_its_compressed_tag(client, meetings):
    url = "/api/v1/meeting-guide.json"
    packed = client.get(url, headers={"Accept-Encoding": "br"})
    assert packed.headers["ETag"].endswith(':br"')
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_json_keeps_its_shape(client, meetings):
    body = client.get("/api/v1/meetings?near=10027&radius_km=50")
    assert body.data.endswith(b"}\n") and b": " not in body.data[:200]
    first = body.json["meetings"][0]
    assert list(first) == sorted(first)  # keys sorted, as Flask's own encoder does
    assert client.post(API, json={"name": "Plan ñ"}).json["token"]
    assert "ñ".encode() in client.get(f"{API}/{client.post(API, json={'name': 'ñ'}).json['token']}").data
