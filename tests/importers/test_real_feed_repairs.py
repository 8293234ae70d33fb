"""Real feeds read faithfully: names, Open+Closed, ends past midnight, rough places (issue #12)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from finder.enums import Attendance
from importers import ImportOptions
from importers.bmlt import BmltImporter
from importers.meeting_guide import MeetingGuideImporter
from importers.record import MeetingRecord
from importers.repairs import NAME_REPAIRED, Tally, end_check, name_check

DATA = Path(__file__).resolve().parents[1] / "data" / "realfeeds"


def _records(importer, name: str) -> list[MeetingRecord]:
    raw = (DATA / name).read_bytes()
    return [i for i in importer(ImportOptions()).parse(raw) if isinstance(i, MeetingRecord)]


@pytest.mark.parametrize(("name", "expected"), [
    ("What'S The Purpose Men'S Group", "What's The Purpose Men's Group"),
    ("Women'S Big Book Study", "Women's Big Book Study"),
    ("AA'S Way", "AA's Way"),
    ("WHTR", "WHTR"), ("The 'S' Group", "The 'S' Group"), ("Bill's Way", "Bill's Way"),
    ("O'Sullivan Hall", "O'Sullivan Hall"),
])
def test_apostrophe_s_repaired_and_nothing_else(name, expected):
    repaired, tallies = name_check(name)
    assert repaired == expected
    assert tallies == ([Tally(None, NAME_REPAIRED)] if expected != name else [])


def test_oc_names_repaired_and_counted(runner):
    records = _records(MeetingGuideImporter, "oc-sample.json")
    assert not any("'S" in r.name for r in records)
    result = runner.invoke(args=["import", str(DATA / "oc-sample.json"), "--name", "oc"])
    assert result.exit_code == 0, result.output
    assert f"(feed): 3 {NAME_REPAIRED}" in result.output


def test_open_and_closed_warned_by_name():
    records = _records(MeetingGuideImporter, "aasepia-sample.json")
    pets = next(r for r in records if r.name == "Pets")
    assert "C" in pets.types and "O" not in pets.types
    assert any("'Pets' is listed both Open and Closed" in w.reason for w in pets.warnings)


def test_a_23_hour_meeting_loses_its_end_with_a_warning():
    records = _records(MeetingGuideImporter, "aasepia-sample.json")
    mindful = next(r for r in records if r.name == "Mindful Meditation")
    assert mindful.end_time is None
    assert any("ends at 16:30, before its start 17:30" in w.reason and "23 h 00 min" in w.reason
               for w in mindful.warnings)
    mustard = [r for r in records if r.name == "Mustard Seed 2.0"]
    assert {r.end_time for r in mustard} == {"13:15", None}


@pytest.mark.parametrize(("start", "end", "kept"), [
    ("23:00", "00:30", "00:30"), ("20:00", "02:00", "02:00"), ("19:00", "18:00", None),
    ("00:00", "23:59", "23:59"), ("12:15", "01:15", None),
])
def test_end_past_midnight_kept_only_when_plausible(start, end, kept):
    assert end_check(start, end, "M")[0] == kept


def test_berlin_park_and_on_request_meetings_are_in_person_approximately():
    records = {r.source_key.rsplit("/", 1)[1]: r for r in _records(BmltImporter, "berlin.json")}
    park = records["10746"]  # "Park-Meeting am Karpfenteich": coordinates, postcode, no street
    assert park.attendance_option is Attendance.IN_PERSON and park.approximate
    swir = records["10897"]  # address on request: coordinates and town only
    assert swir.attendance_option is Attendance.IN_PERSON and swir.approximate
    assert not any(r.attendance_option is Attendance.INACTIVE for r in records.values())


def test_a_closed_facility_stays_inactive():
    row = json.loads((DATA / "berlin.json").read_text())
    park = next(r for r in row if r["meeting_name"].startswith("Park-Meeting"))
    park = dict(park, formats="O,TC", format_shared_id_list="2,55")
    [record] = [i for i in BmltImporter(ImportOptions()).parse(json.dumps([park]).encode())
                if isinstance(i, MeetingRecord)]
    assert record.attendance_option is Attendance.INACTIVE
