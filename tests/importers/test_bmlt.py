"""Golden tests of the BMLT (NA) importer, and a fetch from a BMLT-shaped server on 127.0.0.1."""
from __future__ import annotations

import json

import pytest

from finder.enums import Attendance, Fellowship
from importers import FeedParseError, ImportOptions, detect_importer
from importers.bmlt import BmltImporter, is_root_server
from importers.record import MeetingRecord
from tests.feedserver import Route, feed_server
from tests.golden import DATA, check_golden, parse_summary

CASES = [c for c in sorted((DATA / "bmlt").glob("*.json")) if not c.name.endswith(".expected.json")]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_golden(case, request):
    importer = BmltImporter(ImportOptions(fellowship=Fellowship.NA))
    summary = parse_summary(importer, case.read_bytes())
    check_golden(case, summary, request.config.getoption("--update-golden"))


def records(name: str) -> dict[str, MeetingRecord]:
    importer = BmltImporter(ImportOptions(fellowship=Fellowship.NA))
    raw = (DATA / "bmlt" / name).read_bytes()
    return {r.source_key.rsplit("/", 1)[-1]: r for r in importer.parse(raw) if isinstance(r, MeetingRecord)}


def test_german_server_maps_formats_by_world_id():
    got = records("german-server.json")
    assert got["10402"].types == ("C", "SP")  # "G" (geschlossen) is CLOSED, "Sp" is SPK
    assert got["10577"].types == ("EN", "O")  # "Ö" is OPEN; the language format becomes EN
    assert got["10577"].attendance_option is Attendance.HYBRID
    assert got["10402"].timezone == "Europe/Berlin"  # from coordinates, time_zone was empty


def test_virtual_meeting_junk_coordinates_are_dropped():
    berlin = records("german-server.json")["10818"]
    assert berlin.attendance_option is Attendance.ONLINE
    assert (berlin.latitude, berlin.longitude) == (None, None)  # the LA map centre
    assert berlin.timezone == "Europe/Berlin"  # the server's usual zone, not Los Angeles
    nightly = records("english-used-formats.json")["3277"]
    assert (nightly.latitude, nightly.longitude, nightly.approximate) == (None, None, True)


def test_days_times_and_midnight():
    got = records("english-used-formats.json")
    assert (got["1567"].day, got["1567"].time, got["1567"].end_time) == (3, "19:00", "20:30")
    assert (got["2911"].day, got["2911"].time, got["2911"].end_time) == (6, "23:00", "00:30")
    assert (got["2950"].time, got["2950"].end_time) == ("12:00", "12:00")  # a 24-hour marathon
    assert got["10068"].day == 0 and got["10068"].timezone == "America/Phoenix"


def test_venue_types_and_legacy_formats():
    got = records("english-used-formats.json")
    assert got["10068"].attendance_option is Attendance.HYBRID
    assert got["2911"].attendance_option is Attendance.IN_PERSON  # stale link ignored
    assert got["2911"].conference_url is None
    assert got["3301"].attendance_option is Attendance.ONLINE  # empty venue_type, VM format
    plain = records("plain-array.json")
    assert plain["2570"].attendance_option is Attendance.HYBRID  # empty venue_type, HY format
    assert plain["2570"].types == ("C", "S")


def test_identity_is_root_server_and_id():
    got = records("english-used-formats.json")
    assert got["1567"].source_key == "bmlt.example-region.org/main_server/1567"
    assert got["1567"].slug == "lifeline-group-1567"


def test_bad_records_unknown_formats_and_fields_are_reported():
    importer = BmltImporter(ImportOptions(fellowship=Fellowship.NA))
    summary = parse_summary(importer, (DATA / "bmlt" / "english-used-formats.json").read_bytes())
    rejected = {r["key"]: r["reason"] for r in summary["rejected"]}
    assert "weekday_tinyint '8'" in rejected["bmlt.example-region.org/main_server/3302"]
    assert "start_time" in rejected["bmlt.example-region.org/main_server/3303"]
    assert rejected["#10"] == "record is not a JSON object"
    notes = [w["reason"] for w in summary["warnings"] if w["key"] is None]
    assert any(n.startswith("unknown formats ignored: SC (no world_id) (1)") for n in notes)
    assert "1 unpublished meetings skipped" in notes


@pytest.mark.parametrize("raw", [b"<html>", b'{"formats": []}', b'"x"', b"\xff\xfe"])
def test_broken_feed_raises(raw):
    with pytest.raises(FeedParseError):
        list(BmltImporter().parse(raw))


def test_sniffed_from_content():
    assert detect_importer((DATA / "bmlt" / "plain-array.json").read_bytes()) is BmltImporter
    assert is_root_server("https://bmlt.example.org/main_server/")
    assert not is_root_server("https://bmlt.example.org/main_server/client_interface/json/?switcher=X")
    assert not is_root_server("feeds/na.json")


def test_fetch_from_a_root_server_on_localhost():
    feed = json.loads((DATA / "bmlt" / "german-server.json").read_text())
    with feed_server() as server:
        base = "/bmlt/client_interface/json/"
        server.routes[base + "?switcher=GetSearchResults"] = Route(json.dumps(feed["meetings"]).encode())
        server.routes[base + "?switcher=GetFormats"] = Route(json.dumps(feed["formats"]).encode(), gzip=True)
        importer = BmltImporter(ImportOptions(fellowship=Fellowship.NA))
        raw = importer.fetch(server.base_url + "/bmlt/")
        got = [r for r in importer.parse(raw) if isinstance(r, MeetingRecord)]
    assert sorted(server.requests) == [base + "?switcher=GetFormats", base + "?switcher=GetSearchResults"]
    assert {r.source_key for r in got} == {
        "na-regionen.example.de/bmlt/10818", "na-regionen.example.de/bmlt/10402",
        "na-regionen.example.de/bmlt/10577"}
    assert {r.types for r in got} == {(), ("C", "SP"), ("EN", "O")}
