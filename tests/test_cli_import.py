"""``finder import`` end to end: files, URLs, reports, and bad feeds that change nothing."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from finder.extensions import db
from finder.models import ImportRun, Meeting, Source
from tests.feedserver import Route, feed_server
from tests.golden import DATA

BASIC = DATA / "meeting-guide" / "basic.json"


def meeting_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Meeting))


def test_import_file_prints_summary_and_stores_run(app, runner):
    result = runner.invoke(args=["import", str(BASIC), "--name", "oc"])
    assert result.exit_code == 0, result.output
    assert "added 6, updated 0, unchanged 0, removed 0, rejected 0" in result.output
    with app.app_context():
        source = db.session.execute(select(Source).where(Source.name == "oc")).scalar_one()
        assert source.format == "meeting-guide" and source.fellowship.value == "aa"
        run = db.session.execute(select(ImportRun)).scalar_one()
        assert run.added == 6 and run.report["added"] == 6


def test_json_report_has_the_documented_keys(runner):
    result = runner.invoke(args=["import", str(DATA / "meeting-guide" / "bad-records.json"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert list(report) == ["added", "updated", "unchanged", "removed", "rejected", "warnings"]
    assert report["added"] == 2
    keys = {r["key"]: r["reason"] for r in report["rejected"]}
    assert keys["day-nine"].startswith("day 9 is not a day of the week")
    assert "time '25:99'" in keys["bad-time"]
    assert keys["twice"] == "duplicate key: an earlier record has it"
    assert "#1 (No Slug Here)" in keys


def test_second_import_is_all_unchanged(runner):
    runner.invoke(args=["import", str(BASIC), "--name", "oc"])
    result = runner.invoke(args=["import", str(BASIC), "--name", "oc", "--json"])
    assert json.loads(result.output) | {"rejected": [], "warnings": []} == {
        "added": 0, "updated": 0, "unchanged": 6, "removed": 0, "rejected": [], "warnings": [],
    }


def test_fellowship_option_is_stored(app, runner):
    result = runner.invoke(args=["import", str(BASIC), "--fellowship", "ga", "--name", "ga-area"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert set(db.session.scalars(select(Meeting.fellowship))) == {"ga"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "feed is not JSON"),
        (b'{"meetings": []}', "not an array of meetings"),
    ],
)
def test_bad_feed_fails_with_one_line_and_changes_nothing(app, runner, tmp_path, content, message):
    runner.invoke(args=["import", str(BASIC), "--name", "oc"])
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = runner.invoke(args=["import", str(bad), "--name", "oc", "--format", "meeting-guide"])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert meeting_count(app) == 6


def test_missing_file_and_too_large_file(app, runner, tmp_path):
    result = runner.invoke(args=["import", str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "no such file" in result.output
    app.config["FETCH_MAX_BYTES"] = 100
    result = runner.invoke(args=["import", str(BASIC)])
    assert result.exit_code == 1 and "too large" in result.output
    assert meeting_count(app) == 0


def test_import_from_url_with_gzip(app, runner):
    with feed_server() as server:
        server.routes["/meetings.json"] = Route(BASIC.read_bytes(), gzip=True)
        result = runner.invoke(args=["import", f"{server.base_url}/meetings.json", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == 6
    with app.app_context():
        source = db.session.execute(select(Source)).scalar_one()
        assert source.name == "127.0.0.1/meetings.json"


@pytest.mark.parametrize(
    ("route", "config", "message"),
    [
        (Route(b"", status=500), {}, "answered HTTP 500"),
        (Route(b"[]" * 1000), {"FETCH_MAX_BYTES": 500}, "too large"),
        (Route(b"[]", delay=2.0), {"FETCH_TIMEOUT": 0.3}, "did not answer"),
    ],
)
def test_url_failures_change_nothing(app, runner, route, config, message):
    app.config.update(config)
    with feed_server() as server:
        server.routes["/feed.json"] = route
        result = runner.invoke(args=["import", f"{server.base_url}/feed.json", "--format", "meeting-guide"])
    assert result.exit_code == 1
    assert message in result.output
    assert meeting_count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Source)) == 0


def test_unreachable_url(runner):
    result = runner.invoke(args=["import", "http://127.0.0.1:9/feed.json", "--format", "meeting-guide"])
    assert result.exit_code == 1 and "cannot reach" in result.output
