"""Hostile records fail alone: each is a rejection or a warning, never a crash or a half-write."""
from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from finder.extensions import db
from finder.models import ImportRun, Meeting, Source
from finder.sources.loader import load
from importers import MeetingRecord, get_importer
from importers.base import ImportOptions
from importers.errors import FeedParseError
from importers.steps import COLUMN_SIZES

ZONE = "America/New_York"
GOOD = {"slug": "good", "name": "Good Meeting", "day": 1, "time": "19:00", "timezone": ZONE}
LONG_ID = "7" * 250


def _import(runner, path, *extra):
    return runner.invoke(args=["import", str(path), "--name", "hostile", *extra])


def _listed(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Meeting))


def _report(result) -> dict:
    return json.loads(result.output[result.output.index("{"):])


def test_the_column_sizes_the_importers_keep_to_are_the_models(app):
    for name, size in COLUMN_SIZES.items():
        assert Meeting.__table__.c[name].type.length == size, name


@pytest.mark.parametrize("bad", [
    {"url": "http://[::1"},
    {"updated": "9999-12-31T23:00:00-05:00"},
    {"updated": "0001-01-01T00:00:00+05:00"},
    {"notes": "lone \ud800 surrogate", "name": "Name \udfff"},
    {"notes": "a NUL \u0000 byte", "location": "Hall\u0000"},
    {"conference_url": "https://zoom.us/j/1\r\nX-EVIL:1", "conference_phone": "+1" + "5" * 150},
    {"types": [{"nested": [[[]]]}], "day": [[1]]},
])
def test_each_reproducer_is_a_warning_or_a_rejection(app, runner, tmp_path, bad):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([GOOD, GOOD | {"slug": "bad"} | bad]))
    result = _import(runner, feed, "--json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    report = _report(result)
    assert report["added"] + len(report["rejected"]) == 2
    assert report["rejected"] or report["warnings"]
    for issue in report["rejected"] + report["warnings"]:
        assert len(issue["reason"]) <= 300 and len(issue["key"] or "") <= 200


def test_a_5000_digit_number_is_one_record_rejected(app, runner, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([GOOD, GOOD | {"slug": "big", "day": 0}]).replace('"day": 0', '"day": '
                                                                                 + "9" * 5000))
    report = _report(_import(runner, feed, "--json"))
    assert report["added"] == 1
    assert [issue["key"] for issue in report["rejected"]] == ["big"]
    assert len(report["rejected"][0]["reason"]) <= 300


def test_deep_nesting_is_one_clean_error_and_a_failed_run(app, runner, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([GOOD]))
    assert _import(runner, feed).exit_code == 0
    feed.write_text('[{"slug": "deep", "x": ' + "[" * 200_000 + "]" * 200_000 + "}]")
    result = _import(runner, feed)
    assert result.exit_code == 1
    assert "nested too deeply" in result.output and "Traceback" not in result.output
    with app.app_context():
        runs = db.session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        assert [run.status.value for run in runs] == ["ok", "failed"]
        assert db.session.scalar(select(Source.failures)) == 1
    assert _listed(app) == 1


def test_a_bmlt_id_too_long_for_its_column_is_rejected(app, runner, tmp_path):
    row = {"id_bigint": "1", "meeting_name": "Fine", "weekday_tinyint": "2", "start_time": "19:00:00",
           "time_zone": ZONE, "venue_type": "1", "location_street": "1 Main St",
           "location_municipality": "Town", "location_province": "NY"}
    feed = tmp_path / "bmlt.json"
    feed.write_text(json.dumps([row, row | {"id_bigint": LONG_ID}, row | {"id_bigint": "3",
                                                                        "comments": "NUL\u0000"}]))
    report = _report(_import(runner, feed, "--format", "bmlt", "--json"))
    assert report["added"] == 2
    assert len(report["rejected"]) == 1 and "longer than 200" in report["rejected"][0]["reason"]


def test_an_unexpected_error_in_one_record_rejects_only_it(app, monkeypatch):
    from importers import meeting_guide

    real = meeting_guide.finish_record

    def explode(options, **fields):
        if fields["slug"] == "bad":
            raise KeyError("nobody saw this coming")
        return real(options, **fields)

    monkeypatch.setattr(meeting_guide, "finish_record", explode)
    items = list(get_importer("meeting-guide")(ImportOptions()).parse(
        json.dumps([GOOD, GOOD | {"slug": "bad"}]).encode()))
    assert [getattr(item, "reason", None) for item in items][1].startswith("could not be read: KeyError")


def test_a_database_error_is_a_one_line_error_and_a_failed_run(app, runner, tmp_path, monkeypatch):
    from finder.sources import service

    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([GOOD]))
    assert _import(runner, feed).exit_code == 0

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(service, "import_source", broken)
    result = _import(runner, feed)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "the import failed: RuntimeError: disk on fire second line" in result.output
    with app.app_context():
        assert db.session.scalar(select(Source.failures)) == 1
        assert db.session.scalar(select(Source.last_error)).startswith("the import failed")


# Random and hostile records, fed to each importer and loaded (flushed) on each engine.

HOSTILE_TEXT = st.sampled_from([
    "", " ", "\u0000", "\ud800", "a\udfffb", "9" * 5000, "http://[::1", "javascript:alert(1)",
    "&lt;img src=x onerror=alert(1)&gt;", "<script>x</script>", "\r\n", "9999-12-31T23:59:59-12:00",
    "-1", "1e999", "NaN", "x" * 3000, "zoom.us", "https://zoom.us/j/" + "1" * 2100, "+1" * 80,
])
ANY_TEXT = st.text(st.characters(codec=None), max_size=40)  # surrogates and NUL included
VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, HOSTILE_TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=6,
)
MG_FIELDS = ["slug", "name", "day", "time", "end_time", "timezone", "types", "url", "updated",
             "notes", "location", "formatted_address", "latitude", "longitude", "conference_url",
             "conference_phone", "group", "region", "regions", "approximate", "feedback_url"]
BMLT_FIELDS = ["id_bigint", "meeting_name", "weekday_tinyint", "start_time", "duration_time",
               "time_zone", "venue_type", "location_street", "location_municipality", "latitude",
               "longitude", "virtual_meeting_link", "phone_meeting_number", "comments", "formats",
               "format_shared_id_list", "location_text", "root_server_uri", "published"]
CSV_COLUMNS = ["Slug", "Name", "Day", "Time", "End Time", "Timezone", "Types", "Address", "City",
               "Notes", "Conference URL", "Conference Phone", "Updated", "Latitude", "Longitude"]


def _rows(fields: list[str], good: dict) -> st.SearchStrategy[list[dict]]:
    """Rows that start from a good one and have some fields replaced by random or hostile values."""
    row = st.dictionaries(st.sampled_from(fields), VALUE, max_size=6).map(lambda bad: good | bad)
    return st.lists(row | VALUE, min_size=1, max_size=5)


def _stored_ok(app, format_: str, raw: bytes) -> None:
    with app.app_context():
        importer = get_importer(format_)(ImportOptions(default_timezone=ZONE))
        items = list(importer.parse(raw))  # never raises for one record's sake
        source = Source(name="h", url="h", format=format_, fellowship=importer.options.fellowship)
        db.session.add(source)
        try:
            if any(isinstance(item, MeetingRecord) for item in items):
                report = load(source, items)
                db.session.flush()  # PostgreSQL refuses what it cannot hold here, at the latest
                stored = db.session.scalar(select(func.count()).select_from(Meeting))
                assert stored == report.added
                for issue in report.rejected + report.warnings:
                    assert len(issue.reason) <= 300
            else:  # nothing usable: a first import refuses to make the source, with a clean error
                with pytest.raises(FeedParseError):
                    load(source, items)
        finally:
            db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0  # nothing half-written


HYPOTHESIS = settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@HYPOTHESIS
@given(rows=_rows(MG_FIELDS, GOOD))
def test_meeting_guide_survives_random_records(app, rows):
    _stored_ok(app, "meeting-guide", json.dumps(rows).encode())


@HYPOTHESIS
@given(rows=_rows(BMLT_FIELDS, {"id_bigint": "5", "meeting_name": "M", "weekday_tinyint": "3",
                                 "start_time": "20:00:00", "time_zone": ZONE}))
def test_bmlt_survives_random_records(app, rows):
    _stored_ok(app, "bmlt", json.dumps(rows).encode())


@HYPOTHESIS
@given(rows=st.lists(st.lists(ANY_TEXT | HOSTILE_TEXT, min_size=len(CSV_COLUMNS),
                              max_size=len(CSV_COLUMNS)), min_size=1, max_size=5))
def test_csv_survives_random_records(app, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["s", "Good", "Monday", "7:00 PM", "", ZONE, "O", "1 Main St", "Town", "", "", "",
                     "", "", ""])
    writer.writerows(rows)
    _stored_ok(app, "csv", out.getvalue().encode("utf-8", "surrogatepass"))
