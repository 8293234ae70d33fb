"""Real feeds' type codes: types win over language aliases (issue #12, defect 2)."""
from __future__ import annotations

from pathlib import Path

import pytest

from importers import ImportOptions
from importers.bmlt import BmltImporter
from importers.meeting_guide import MeetingGuideImporter
from importers.record import MeetingRecord
from importers.types import canonical_type

DATA = Path(__file__).resolve().parents[1] / "data" / "realfeeds"


def _records(importer, name: str) -> list[MeetingRecord]:
    raw = (DATA / name).read_bytes()
    return [item for item in importer(ImportOptions()).parse(raw) if isinstance(item, MeetingRecord)]


def test_tradition_study_in_aasepia_is_not_turkish():
    records = _records(MeetingGuideImporter, "aasepia-sample.json")
    northeast = next(r for r in records if r.name == "Greater Northeast Group")
    assert northeast.types == ("O", "TR")
    assert not any("TUR" in r.types for r in records)


def test_tradition_study_in_oc_is_not_turkish():
    records = _records(MeetingGuideImporter, "oc-sample.json")
    tradition = [r for r in records if "TR" in r.types]
    assert len(tradition) == 2
    assert not any("TUR" in r.types for r in records)


@pytest.mark.parametrize(("code", "expected"), [
    ("TR", "TR"), ("tr", "TR"), ("TUR", "TUR"), ("ES", "S"), ("it", "ITA"), ("PL", "POL"),
    ("PT", "POR"), ("RU", "RUS"), ("KO", "KOR"), ("PA", "PUN"), ("DE", "DE"), ("SV", "SV"),
])
def test_types_win_and_languages_come_from_language_codes(code, expected):
    assert canonical_type(code) == expected


def test_na_tradition_format_is_tradition_study():
    raw = (b'[{"id_bigint":"1","meeting_name":"Traditionen","weekday_tinyint":"2",'
           b'"start_time":"19:00:00","formats":"Tr,CP","time_zone":"Europe/Berlin",'
           b'"venue_type":"2","virtual_meeting_link":"https://zoom.us/j/123456789"}]')
    [record] = [i for i in BmltImporter(ImportOptions()).parse(raw) if isinstance(i, MeetingRecord)]
    assert record.types == ("TR",)


def test_no_language_alias_shadows_a_type_code():
    from importers.types import LANGUAGE_ALIASES, TYPES
    assert not set(LANGUAGE_ALIASES) & {code.upper() for code in TYPES}
