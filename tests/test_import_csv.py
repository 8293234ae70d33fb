"""Golden tests of the 12 Step Meeting List CSV importer (GA areas), and GA Meeting Guide JSON."""
from __future__ import annotations

import json

import pytest

from finder.enums import Attendance, Fellowship
from importers import FeedParseError, ImportOptions, detect_importer
from importers.meeting_guide import MeetingGuideImporter
from importers.record import MeetingRecord
from importers.tsml_csv import TsmlCsvImporter
from tests.golden import DATA, check_golden, parse_summary

CASES = sorted((DATA / "csv").glob("*.csv"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_golden(case, request):
    importer = TsmlCsvImporter(ImportOptions(fellowship=Fellowship.GA))
    summary = parse_summary(importer, case.read_bytes())
    check_golden(case, summary, request.config.getoption("--update-golden"))


def parsed(name: str, **options) -> dict[str, MeetingRecord]:
    importer = TsmlCsvImporter(ImportOptions(**({"fellowship": Fellowship.GA} | options)))
    raw = (DATA / "csv" / name).read_bytes()
    return {r.source_key: r for r in importer.parse(raw) if isinstance(r, MeetingRecord)}


def test_aliases_twelve_hour_times_and_ga_codes():
    got = parsed("ga-aliases-12h.csv")
    hope = got["tuesday-night-hope-tuesday-19-00"]
    assert (hope.day, hope.time, hope.end_time, hope.timezone) == (2, "19:00", "20:30", "America/New_York")
    assert hope.types == ("BE", "C")  # "20 Questions" is GA's beginners' meeting
    assert hope.formatted_address == "44 Elm St, Worcester, MA 01608, USA"  # ZIP zero restored
    assert hope.location == "St. Mark's Parish Hall"
    combined = got["saturday-morning-combined-saturday-10-30"]
    assert (combined.end_time, combined.types) == ("12:00", ("D", "GAA", "O"))
    assert combined.fellowship is Fellowship.GA
    assert {r.day for k, r in got.items() if k.startswith("weekday-step-group")} == {1, 3}
    assert got["weekday-step-group-monday-12-15"].types == ("ST", "XT")


def test_gam_anon_meetings_get_their_own_fellowship():
    got = parsed("ga-aliases-12h.csv")
    assert got["gam-anon-tuesday-night-tuesday-19-00"].fellowship is Fellowship.GAM_ANON
    assert got["gam-anon-tuesday-night-tuesday-19-00"].types == ()


def test_bad_rows_unknown_columns_and_codes_are_reported():
    importer = TsmlCsvImporter(ImportOptions(fellowship=Fellowship.GA))
    summary = parse_summary(importer, (DATA / "csv" / "ga-aliases-12h.csv").read_bytes())
    assert {r["key"]: r["reason"] for r in summary["rejected"]} == {
        "line 7 (Bad Day)": "day 'Funday' is not a day of the week",
        "line 8 (Bad Time)": "time '25:00' is not a time of day",
    }
    notes = {w["reason"] for w in summary["warnings"] if w["key"] is None}
    assert "unknown columns ignored: parking" in notes
    assert "unknown type codes ignored: ZZ" in notes
    # a nameless row is named after its place, like TSML does
    assert "Grace Church Friday at 18:30" in {m["name"] for m in summary["meetings"]}


def test_tsml_export_daily_hybrid_and_duplicate_slug():
    got = parsed("tsml-export.csv")
    vegas = got["las-vegas-hybrid-ga"]
    assert vegas.attendance_option is Attendance.HYBRID
    assert vegas.region == "Clark County > Central" and vegas.group == "Desert Group"
    assert vegas.updated.isoformat() == "2026-10-02T00:00:00+00:00"
    assert sorted(k for k in got if k.startswith("early-bird")) == [f"early-bird-online-{d}" for d in range(7)]
    assert got["early-bird-online-3"].attendance_option is Attendance.ONLINE
    importer = TsmlCsvImporter(ImportOptions(fellowship=Fellowship.GA))
    summary = parse_summary(importer, (DATA / "csv" / "tsml-export.csv").read_bytes())
    assert summary["rejected"] == [
        {"key": "friday-night-big-book", "reason": "duplicate key: an earlier record has it"}]
    assert "secretary@example.org" not in json.dumps(summary)  # contacts are never imported


@pytest.mark.parametrize("raw", [b"", b"a,b\n1,2\n", b"name,address\nx,y\n", b"[1,2]"])
def test_not_a_meeting_list_raises(raw):
    with pytest.raises(FeedParseError):
        list(TsmlCsvImporter().parse(raw))


def test_sniffed_and_windows_1252_tolerated():
    raw = "Day,Time,Name,Address\nMonday,7:00 PM,Caf\xe9 Group,1 Main St Boston MA\n".encode("cp1252")
    assert detect_importer(raw) is TsmlCsvImporter
    items = list(TsmlCsvImporter(ImportOptions(default_timezone="America/New_York")).parse(raw))
    assert items[0].reason == "feed is not UTF-8; read as Windows-1252"
    assert items[1].name == "Café Group"


def test_meeting_guide_json_from_a_ga_area_uses_ga_codes():
    feed = [
        {"slug": "ga-1", "name": "Thursday GA", "day": 4, "time": "19:00", "types": ["20", "C"],
         "timezone": "America/Chicago", "conference_url": "https://zoom.us/j/1234567890"},
        {"slug": "gam-1", "name": "Thursday Gam-Anon", "day": 4, "time": "19:00", "types": ["GAM"],
         "timezone": "America/Chicago", "conference_url": "https://zoom.us/j/1234567891"},
    ]
    importer = MeetingGuideImporter(ImportOptions(fellowship=Fellowship.GA))
    got = {r.slug: r for r in importer.parse(json.dumps(feed).encode())}
    assert got["ga-1"].types == ("BE", "C") and got["ga-1"].fellowship is Fellowship.GA
    assert got["gam-1"].fellowship is Fellowship.GAM_ANON
