"""A CSV in a layout of its own (an intergroup's export) read through a column mapping."""
from __future__ import annotations

import pytest

from finder.enums import Attendance
from importers import FeedParseError, ImportOptions, detect_importer
from importers.csv_columns import read_mapping
from importers.record import MeetingRecord
from importers.tsml_csv import USED, TsmlCsvImporter
from tests.golden import DATA

EXPORT = (DATA / "csv-mapped" / "intergroup-export.csv").read_bytes()
MAPPING = read_mapping((DATA / "csv-mapped" / "intergroup-export.mapping").read_text(), USED)


def parse(raw: bytes = EXPORT, mapping: dict[str, str] | None = MAPPING) -> list:
    options = ImportOptions(default_timezone="America/Los_Angeles",
                            columns=tuple((mapping or {}).items()))
    return list(TsmlCsvImporter(options).parse(raw))


def test_the_mapping_file_reads_each_column_as_its_field():
    records = {r.source_key: r for r in parse() if isinstance(r, MeetingRecord)}
    big_book = records["downtown-big-book-monday-19-00"]
    assert (big_book.day, big_book.time, big_book.end_time) == (1, "19:00", "20:00")
    assert big_book.location == "Trinity Cathedral"
    assert big_book.formatted_address == "2620 Capitol Ave, Sacramento, CA 95816"
    assert big_book.types == ("B", "C")
    assert big_book.attendance_option is Attendance.IN_PERSON
    assert {r.day for k, r in records.items() if k.startswith("midtown-sunrise")} == {1, 3, 5}
    online = records["sacramento-online-noon-tuesday-12-00"]
    assert online.conference_url == "https://us02web.zoom.us/j/81234567890"
    assert online.attendance_option is Attendance.ONLINE
    assert len(records) == 6


def test_contacts_are_never_read():
    items = parse()
    assert "secretary@example.org" not in repr([i for i in items if isinstance(i, MeetingRecord)])
    assert any(getattr(i, "reason", "") == "unknown columns ignored: contact_email" for i in items)


def test_without_a_mapping_the_error_lists_the_columns_found_and_needed():
    with pytest.raises(FeedParseError) as caught:
        parse(mapping=None)
    message = str(caught.value)
    assert "\n" not in message
    assert "columns found: Meeting Name, Weekday, Begins, Ends, Building, Street" in message
    assert "needed: day, time, and name or address (missing: time)" in message
    assert "--columns" in message and "--mapping FILE" in message


def test_the_layout_is_named_when_no_format_is_given_too():
    with pytest.raises(FeedParseError, match="columns found: Meeting Name, Weekday, Begins"):
        detect_importer(EXPORT)


def test_a_mapping_that_leaves_a_needed_field_out_says_so():
    with pytest.raises(FeedParseError, match=r"missing: time\); the column mapping leaves them out"):
        parse(mapping={"name": "Meeting Name"})


def test_a_mapped_column_the_feed_lacks_is_named():
    with pytest.raises(FeedParseError, match="names columns this CSV does not have: 'Start Time'"):
        parse(mapping={"time": "Start Time"})


def test_the_mapping_wins_over_a_usual_header_for_the_same_field():
    raw = b"Name,Group Name,Day,Time\nMonday Night,Hope Group,Monday,19:00\n"
    records = [r for r in parse(raw, {"name": "Group Name"}) if isinstance(r, MeetingRecord)]
    assert [r.name for r in records] == ["Hope Group"]


def test_headers_match_whatever_their_case_and_spacing():
    raw = b"MEETING  NAME,Weekday,BEGINS\nLate Night,Sat,11 pm\n"
    records = [r for r in parse(raw, {"name": "meeting name", "time": "Begins"})
               if isinstance(r, MeetingRecord)]
    assert [(r.name, r.day, r.time) for r in records] == [("Late Night", 6, "23:00")]


@pytest.mark.parametrize(("text", "message"), [
    ("name", "'name' is not FIELD=COLUMN"),
    ("title=Meeting Name", "'title' is not a field we read; fields: address, approximate"),
    ("name=A,name=B", "'name' is mapped twice"),
    ("  ", "the column mapping is empty"),
])
def test_bad_mappings_are_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=message):
        read_mapping(text, USED)


def test_a_mapping_file_keeps_commas_in_column_names():
    text = "# comment\nname = Meeting Name\nformatted_address = Address, City, ZIP\n"
    assert read_mapping(text, USED) == {"name": "Meeting Name",
                                        "formatted_address": "Address, City, ZIP"}
