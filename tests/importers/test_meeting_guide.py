"""Golden tests of the Meeting Guide importer, one case per feed in tests/data/meeting-guide."""
from __future__ import annotations

import pytest

from finder.enums import Attendance, Fellowship
from importers import FeedParseError, ImportOptions
from importers.meeting_guide import MeetingGuideImporter
from importers.record import MeetingRecord
from tests.golden import DATA, check_golden, parse_summary

CASES = sorted((DATA / "meeting-guide").glob("*.json"))
CASES = [c for c in CASES if not c.name.endswith(".expected.json")]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_golden(case, request):
    importer = MeetingGuideImporter(ImportOptions(fellowship=Fellowship.AA))
    summary = parse_summary(importer, case.read_bytes())
    check_golden(case, summary, request.config.getoption("--update-golden"))


def records(name: str, **options) -> dict[str, MeetingRecord]:
    importer = MeetingGuideImporter(ImportOptions(**options))
    raw = (DATA / "meeting-guide" / name).read_bytes()
    return {r.slug: r for r in importer.parse(raw) if isinstance(r, MeetingRecord)}


def test_attendance_is_derived_not_trusted():
    got = {slug: r.attendance_option for slug, r in records("basic.json").items()}
    assert got == {
        "40-minutes-to-freedom": Attendance.IN_PERSON,
        "here-and-now-laguna-beach": Attendance.HYBRID,
        "step-study-grange-2": Attendance.ONLINE,
        "the-way-out-big-book-study": Attendance.INACTIVE,
        # legacy ONL + TC with a street address and a Zoom link: online, not hybrid
        "meeting-301-n-main-st-doylestown-pa-18901-usa-6-060000-Sun": Attendance.ONLINE,
        "address-in-parts": Attendance.IN_PERSON,
    }


def test_string_coordinates_and_address_parts():
    got = records("basic.json")
    sepia = got["meeting-301-n-main-st-doylestown-pa-18901-usa-6-060000-Sun"]
    assert (sepia.latitude, sepia.longitude) == (40.3170317, -75.1300015)
    assert "ONL" not in sepia.types and "TC" in sepia.types
    parts = got["address-in-parts"]
    assert parts.formatted_address == "123 Main St, Springfield, IL 62701, USA"
    assert (parts.day, parts.time, parts.types) == (3, "19:00", ("D", "O"))


def test_day_lists_become_one_meeting_per_day():
    got = records("day-list.json")
    assert sorted(s for s in got if s.startswith("daily-reflections")) == [
        f"daily-reflections-{d}" for d in range(1, 6)
    ]
    assert {got[f"daily-reflections-{d}"].day for d in range(1, 6)} == {1, 2, 3, 4, 5}
    assert sorted(s for s in got if s.startswith("weekend")) == ["weekend-speaker-0", "weekend-speaker-6"]


def test_html_is_stripped_from_notes():
    meeting = records("html-notes.json")["html-notes"]
    assert meeting.notes == "Use the rear door.\nCoffee & cookies\nafter."
    assert "<" not in meeting.name and "script" not in (meeting.notes or "")
    assert meeting.location_notes == "Room 2 — upstairs"


def test_timezone_from_source_default_before_coordinates():
    got = records("timezones.json", default_timezone="America/Denver")
    assert got["zone-given"].timezone == "Europe/London"
    assert got["zone-from-coordinates"].timezone == "America/Denver"
    assert got["no-zone"].timezone == "America/Denver"


def test_timezone_from_coordinates_without_default():
    got = records("timezones.json")
    assert got["zone-from-coordinates"].timezone == "Australia/Sydney"
    assert got["bad-zone-coords"].timezone == "America/Phoenix"
    assert "no-zone" not in got


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<html>oops</html>", "not JSON"),
        (b'{"meetings": []}', "not an array"),
        (b'"just a string"', "not an array"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_unreadable_feed_raises_a_parse_error(raw, message):
    with pytest.raises(FeedParseError, match=message):
        list(MeetingGuideImporter().parse(raw))
