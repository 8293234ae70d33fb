"""Sources as records: ``finder sources``, ``finder refresh``, failures kept and flagged."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from finder.enums import Fellowship, RunStatus
from finder.extensions import db
from finder.models import ImportRun, Meeting, Source, utcnow
from finder.sources.refresh import FLAG_AFTER, failing_for_long, is_due
from tests.feedserver import Route, feed_server
from tests.golden import DATA

BMLT = json.loads((DATA / "bmlt" / "english-used-formats.json").read_text())
BMLT_PATH = "/main_server/client_interface/json/"


def listed(app, name):
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Meeting).join(Source)
            .where(Source.name == name, Meeting.removed_at.is_(None)))


def source(app, name):
    with app.app_context():
        row = db.session.execute(select(Source).where(Source.name == name)).scalar_one()
        db.session.expunge(row)
        return row


def serve_bmlt(server, meetings, formats=BMLT["formats"]):
    server.routes[BMLT_PATH + "?switcher=GetSearchResults"] = Route(json.dumps(meetings).encode())
    server.routes[BMLT_PATH + "?switcher=GetFormats"] = Route(json.dumps(formats).encode())


def test_add_list_and_runs(app, runner):
    path = str(DATA / "csv" / "tsml-export.csv")
    result = runner.invoke(args=["sources", "add", "nevada-ga", path, "--format", "csv",
                                 "--fellowship", "ga", "--every", "6"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["sources", "add", "nevada-ga", path, "--format", "csv", "--fellowship", "ga"])
    assert again.exit_code != 0 and "exists already" in again.output
    bad_zone = runner.invoke(args=["sources", "add", "x", path, "--format", "csv", "--fellowship", "ga",
                                   "--timezone", "Mars/Olympus"])
    assert bad_zone.exit_code != 0 and "not an IANA zone" in bad_zone.output
    listing = runner.invoke(args=["sources", "list"])
    assert "nevada-ga" in listing.output and "never run" in listing.output

    result = runner.invoke(args=["refresh"])
    assert result.exit_code == 0, result.output
    assert "nevada-ga: added 9" in result.output
    rows = json.loads(runner.invoke(args=["sources", "list", "--json"]).output)
    assert rows[0] | {"last_success": "", "last_run": ""} == {
        "name": "nevada-ga", "format": "csv", "fellowship": "ga", "url": path, "every_hours": 6,
        "status": "ok", "last_success": "", "last_run": "", "failures": 0, "flagged": False,
        "last_error": None, "meetings": 9}
    runs = runner.invoke(args=["sources", "runs", "nevada-ga"])
    assert "ok: added 9" in runs.output and "friday-night-big-book: duplicate key" in runs.output
    # not due again for 6 hours: a second refresh does nothing
    assert "Refreshed 0 of 0 sources" in runner.invoke(args=["refresh"]).output
    assert runner.invoke(args=["sources", "runs", "nowhere"]).exit_code != 0


def test_refresh_updates_the_good_source_and_keeps_and_flags_the_failing_one(app, runner):
    with feed_server() as good, feed_server() as bad:
        serve_bmlt(good, BMLT["meetings"])
        serve_bmlt(bad, BMLT["meetings"])
        for name, server in (("good-na", good), ("bad-na", bad)):
            result = runner.invoke(args=["sources", "add", name, server.base_url + "/main_server",
                                         "--format", "bmlt", "--fellowship", "na"])
            assert result.exit_code == 0, result.output
        assert runner.invoke(args=["refresh"]).exit_code == 0
        assert listed(app, "good-na") == listed(app, "bad-na") == 6

        changed = [dict(m, meeting_name="Lifeline Group (moved)") if isinstance(m, dict)
                   and m["id_bigint"] == "1567" else m for m in BMLT["meetings"]]
        serve_bmlt(good, changed)
        bad.routes[BMLT_PATH + "?switcher=GetSearchResults"] = Route(b"<html>Server Error</html>", status=500)
        for attempt in range(3):
            result = runner.invoke(args=["refresh", "--all"])
            assert result.exit_code == 1
            assert "bad-na: FAILED" in result.output and "meetings kept" in result.output
            assert ("flagged" in result.output) is (attempt == 2)
            assert f"good-na: added 0, updated {1 if attempt == 0 else 0}, unchanged" in result.output

    assert listed(app, "bad-na") == 6  # intact
    bad_source = source(app, "bad-na")
    assert bad_source.failures == 3 and bad_source.flagged_at is not None
    assert "HTTP 500" in bad_source.last_error
    good_source = source(app, "good-na")
    assert good_source.failures == 0 and good_source.flagged_at is None
    with app.app_context():
        names = set(db.session.execute(select(Meeting.name).join(Source).where(Source.name == "good-na")).scalars())
        assert "Lifeline Group (moved)" in names
        statuses = [r.status for r in db.session.execute(
            select(ImportRun).join(Source).where(Source.name == "bad-na").order_by(ImportRun.id)).scalars()]
        assert statuses == [RunStatus.OK, RunStatus.FAILED, RunStatus.FAILED, RunStatus.FAILED]
    listing = runner.invoke(args=["sources", "list"]).output
    assert "flagged" in listing and "last error:" in listing
    runs = runner.invoke(args=["sources", "runs", "bad-na", "--json"])
    assert [r["status"] for r in json.loads(runs.output)] == ["failed", "failed", "failed", "ok"]


def test_a_good_run_clears_the_flag(app, runner):
    with feed_server() as server:
        serve_bmlt(server, [])
        runner.invoke(args=["sources", "add", "na", server.base_url + "/main_server", "--format", "bmlt",
                            "--fellowship", "na"])
        for _ in range(3):
            runner.invoke(args=["refresh", "--source", "na"])  # empty feed, nothing listed yet: ok
        serve_bmlt(server, BMLT["meetings"])
        assert runner.invoke(args=["refresh", "--source", "na"]).exit_code == 0
        serve_bmlt(server, [])  # now it would empty the source: refused, recorded
        for _ in range(3):
            assert runner.invoke(args=["refresh", "--source", "na"]).exit_code == 1
        assert source(app, "na").flagged_at is not None and listed(app, "na") == 6
        serve_bmlt(server, BMLT["meetings"])
        assert runner.invoke(args=["refresh", "--source", "na"]).exit_code == 0
    row = source(app, "na")
    assert (row.failures, row.flagged_at, row.last_error) == (0, None, None)


def test_due_and_flag_rules():
    now = utcnow()
    src = Source(name="x", url="x", format="bmlt", fellowship=Fellowship.NA, refresh_hours=4,
                 failures=1, created_at=now - timedelta(days=30), last_success_at=now - timedelta(days=1))
    assert is_due(src, now)  # never run
    src.last_run_at = now - timedelta(hours=3)
    assert not is_due(src, now)
    src.last_run_at = now - timedelta(hours=4)
    assert is_due(src, now)
    assert not failing_for_long(src, now)
    src.last_success_at = now - FLAG_AFTER
    assert failing_for_long(src, now)
    src.last_success_at, src.failures = now, 3
    assert failing_for_long(src, now)


def test_import_detects_formats_and_records_a_failed_reimport(app, runner, tmp_path):
    result = runner.invoke(args=["import", str(DATA / "bmlt" / "german-server.json"), "--name", "de"])
    assert result.exit_code == 0, result.output
    assert "Imported source 'de' (bmlt, na)" in result.output  # detected; BMLT is NA's
    result = runner.invoke(args=["import", str(DATA / "bmlt" / "german-server.json"), "--name", "de-na",
                                 "--fellowship", "na"])
    assert "Imported source 'de-na' (bmlt, na)" in result.output
    result = runner.invoke(args=["import", str(DATA / "bmlt" / "plain-array.json"), "--fellowship", "other"])
    assert "(bmlt, other)" in result.output
    result = runner.invoke(args=["import", str(DATA / "csv" / "ga-aliases-12h.csv"), "--fellowship", "ga"])
    assert "(csv, ga)" in result.output and "added 7" in result.output
    broken = tmp_path / "de-na.json"
    broken.write_text("{not json")
    result = runner.invoke(args=["import", str(broken), "--name", "de-na", "--format", "bmlt"])
    assert result.exit_code != 0 and "not JSON" in result.output
    row = source(app, "de-na")
    assert row.failures == 1 and row.fellowship is Fellowship.NA and listed(app, "de-na") == 3
