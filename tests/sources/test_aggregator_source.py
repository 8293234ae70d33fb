"""The BMLT aggregator's export as a source: manifest or NDJSON URL, and refreshes that ask "changed since?"."""
from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from sqlalchemy import func, select

from finder.models import ImportRun, Meeting, Source
from tests.feedserver import Route, feed_server
from tests.golden import DATA

NDJSON = (DATA / "aggregator" / "two-roots.ndjson").read_bytes()
# New York's real GetFormats (yap's fixture), as the export's formats.json.gz.
FORMATS = gzip.compress(json.dumps(json.loads((DATA / "realfeeds" / "bmlt-formats.json").read_text())).encode())
PACKED = gzip.compress(NDJSON, mtime=0)
ETAG = '"5d41402abc4b2a76b9719d911017c592"'


def manifest(packed: bytes = PACKED, formats: bool = False, **entry: object) -> bytes:
    """A manifest as the aggregator describes it: each file's size, SHA-256 and record count."""
    meetings = {"name": "meetings.ndjson.gz", "size": len(packed),
                "sha256": hashlib.sha256(packed).hexdigest(), "records": 9} | entry
    table = {"name": "formats.json.gz", "size": len(FORMATS), "sha256": hashlib.sha256(FORMATS).hexdigest()}
    return json.dumps({
        "schema_version": 1, "generated_at": "2026-12-01T05:20:00Z",
        "files": [meetings, table] if formats else [meetings, {"name": "root_servers.json"}],
        "stale_root_servers": [{"id": 40, "name": "Somewhere", "lastSuccessfulImport": "2026-11-01"}],
    }, indent=2).encode()


@pytest.fixture
def source(db_session):
    """``source(name)``: the source row called ``name`` (None if there is none)."""
    return lambda name: db_session.execute(select(Source).where(Source.name == name)).scalar_one_or_none()


@pytest.fixture
def listed(db_session):
    """How many meetings are listed."""
    return lambda: db_session.scalar(select(func.count()).select_from(Meeting).where(Meeting.removed_at.is_(None)))


def serve_export(server, packed: bytes = PACKED, **route: object) -> None:
    server.routes["/aggregator/manifest.json"] = Route(manifest(packed))
    server.routes["/aggregator/meetings.ndjson.gz"] = Route(packed, content_type="application/gzip", **route)
    server.routes["/aggregator/formats.json.gz"] = Route(FORMATS, content_type="application/gzip")


def test_import_the_manifest_then_a_refresh_is_answered_304(runner, source, listed, db_session):
    with feed_server() as server:
        serve_export(server, etag=ETAG)
        result = runner.invoke(args=["import", server.base_url + "/aggregator/manifest.json", "--name", "na-world"])
        assert result.exit_code == 0, result.output
        assert "added 9, updated 0" in result.output
        assert "1 root servers left out by the aggregator as stale" in result.output
        stored = source("na-world")
        assert (stored.format, stored.fellowship.value, stored.etag) == ("bmlt-aggregator", "na", ETAG)
        assert "If-None-Match" not in server.headers[-1]  # a first import asks for everything

        result = runner.invoke(args=["refresh", "--source", "na-world"])
        assert result.exit_code == 0, result.output
        assert "na-world: added 0, updated 0, unchanged 9, removed 0" in result.output
        assert server.requests[-2:] == ["/aggregator/manifest.json", "/aggregator/meetings.ndjson.gz"]
        assert server.headers[-1]["If-None-Match"] == ETAG
    runs = db_session.execute(select(ImportRun).order_by(ImportRun.id)).scalars().all()
    assert [r.report.get("not_modified", False) for r in runs] == [False, True]
    assert "HTTP 304" in runs[-1].report["warnings"][0]["reason"]
    assert listed() == 9
    assert source("na-world").last_success_at == runs[-1].finished_at


def test_sources_add_of_the_ndjson_url_refreshes_by_last_modified(runner, source, listed, db_session):
    monday = "Mon, 30 Nov 2026 05:20:00 GMT"
    with feed_server() as server:
        serve_export(server, last_modified=monday)
        url = server.base_url + "/aggregator/meetings.ndjson.gz"
        result = runner.invoke(args=["sources", "add", "na-world", url, "--format", "bmlt-aggregator",
                                     "--fellowship", "na"])
        assert result.exit_code == 0, result.output
        assert "na-world: added 9" in runner.invoke(args=["refresh"]).output
        assert source("na-world").last_modified == monday

        assert "unchanged 9" in runner.invoke(args=["refresh", "--all"]).output
        assert server.headers[-1]["If-Modified-Since"] == monday

        # A new day's export: one meeting gone, and a new date.
        changed = gzip.compress(b"".join(NDJSON.splitlines(keepends=True)[1:]))
        serve_export(server, changed, last_modified="Tue, 01 Dec 2026 05:20:00 GMT")
        result = runner.invoke(args=["refresh", "--all"])
        assert "na-world: added 0, updated 0, unchanged 8, removed 1" in result.output, result.output
    assert listed() == 8
    assert source("na-world").last_modified == "Tue, 01 Dec 2026 05:20:00 GMT"


def test_a_gzip_encoded_answer_is_read_and_recognised_by_its_name(runner, listed):
    with feed_server() as server:
        server.routes["/export/meetings.ndjson"] = Route(NDJSON, gzip=True, content_type="application/x-ndjson")
        result = runner.invoke(args=["import", server.base_url + "/export/meetings.ndjson", "--name", "na"])
    assert result.exit_code == 0, result.output
    assert "(bmlt-aggregator, na)" in result.output and listed() == 9


def test_a_file_that_is_not_the_manifests_changes_nothing(runner, source, listed):
    with feed_server() as server:
        serve_export(server)
        server.routes["/aggregator/manifest.json"] = Route(manifest(sha256="ab" * 32))
        result = runner.invoke(args=["import", server.base_url + "/aggregator/manifest.json", "--name", "na"])
    assert result.exit_code == 1
    assert "does not match the manifest's SHA-256" in result.output
    assert source("na") is None and listed() == 0


def test_a_local_manifest_and_its_file(runner, tmp_path, listed):
    (tmp_path / "meetings.ndjson.gz").write_bytes(PACKED)
    (tmp_path / "manifest.json").write_bytes(manifest())
    result = runner.invoke(args=["import", str(tmp_path / "manifest.json"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["added"] == 9 and listed() == 9
    assert not any("the manifest counts" in w["reason"] for w in report["warnings"])


def test_a_local_gzipped_export_is_recognised_and_streamed(runner, tmp_path, source, listed):
    export = tmp_path / "meetings.ndjson.gz"
    export.write_bytes(PACKED)
    result = runner.invoke(args=["import", str(export), "--name", "na-file"])
    assert result.exit_code == 0, result.output
    assert source("na-file").format == "bmlt-aggregator" and listed() == 9
    assert source("na-file").etag is None  # a file has no validators


def test_the_manifests_formats_table_is_read(runner, tmp_path):
    """With ``formats.json.gz`` listed, meetings' format ids are read by world id (ids it does not
    know are reported: the Berlin lines' ids are their own server's, not in New York's table)."""
    (tmp_path / "meetings.ndjson.gz").write_bytes(PACKED)
    (tmp_path / "formats.json.gz").write_bytes(FORMATS)
    (tmp_path / "manifest.json").write_bytes(manifest(formats=True))
    result = runner.invoke(args=["import", str(tmp_path / "manifest.json"), "--json"])
    assert result.exit_code == 0, result.output
    [note] = [w["reason"] for w in json.loads(result.output)["warnings"] if "formats table" in w["reason"]]
    assert note.startswith("formats of 5 meetings read by NAWS world id") and "id 213 (1)" in note
