"""The steps of finish_record, one concern each: their values, their warnings, their errors."""
from __future__ import annotations

import json

import pytest

from finder.enums import Attendance, Fellowship
from importers import ImportOptions
from importers.common import finish_record
from importers.errors import RecordError
from importers.meeting_guide import MeetingGuideImporter
from importers.programs import program_types
from importers.record import Issue, MeetingRecord
from importers.steps import (
    Conference,
    attendance_step,
    conference_step,
    end_time_step,
    given_zone,
    links_step,
    point_step,
    types_step,
    updated_step,
    zone_step,
)
from importers.tsml_csv import TsmlCsvImporter

SYDNEY = (-33.8688, 151.2093)


@pytest.mark.parametrize(("value", "expected"), [
    (None, (None, [])),
    ("", (None, [])),
    ("8:30 PM", ("20:30", [])),
    ("21:00:00", ("21:00", [])),
    ("late", (None, ["end_time 'late' is not a time; dropped"])),
])
def test_end_time(value, expected):
    assert end_time_step(value) == expected


def test_point_from_strings_and_nothing_from_nothing():
    assert point_step("40.7", "-74.0") == ((40.7, -74.0), [])
    assert point_step(None, "") == (None, [])


@pytest.mark.parametrize(("latitude", "longitude"), [("200", "5"), ("0", "0"), ("abc", "1"), ("40", None)])
def test_an_unusable_point_is_dropped_with_a_warning(latitude, longitude):
    assert point_step(latitude, longitude) == (
        None, [f"coordinates ({latitude}, {longitude}) are not a usable position; dropped"])


def test_given_zone_is_trimmed_and_a_bad_one_named_by_its_field():
    assert given_zone(" Europe/London ") == ("Europe/London", [])
    assert given_zone("") == (None, [])
    assert given_zone("Mars/Base", field="time_zone") == (
        None, ["time_zone 'Mars/Base' is not an IANA zone; dropped"])


def test_zone_order_is_own_then_default_then_position():
    assert zone_step("Europe/London", point=SYDNEY, default="America/Denver", key="k") == (
        "Europe/London", [])
    assert zone_step(None, point=SYDNEY, default="America/Denver", key="k") == ("America/Denver", [])
    assert zone_step(None, point=SYDNEY, default=None, key="k") == ("Australia/Sydney", [])
    assert zone_step("EST5", point=None, default="America/Denver", key="k") == (
        "America/Denver", ["timezone 'EST5' is not an IANA zone; dropped"])


@pytest.mark.parametrize(("value", "reason"), [
    (None, "no time zone, and no source default or coordinates"),
    ("Mars/Base", "timezone 'Mars/Base' is not an IANA zone, and no source default or coordinates"),
])
def test_no_zone_at_all_rejects_the_meeting(value, reason):
    with pytest.raises(RecordError) as raised:
        zone_step(value, point=None, default=None, key="the-slug")
    assert (raised.value.key, raised.value.reason) == ("the-slug", reason)


def test_updated_in_utc_or_dropped():
    stamp, warnings = updated_step("2026-01-02 03:04:05")
    assert (stamp.isoformat(), warnings) == ("2026-01-02T03:04:05+00:00", [])
    assert updated_step("last week") == (None, ["updated 'last week' is not a date and time; dropped"])


def test_links_keep_only_http_urls():
    links, warnings = links_step("https://example.org/m", "mailto:x@example.org")
    assert links == {"url": "https://example.org/m", "feedback_url": None}
    assert warnings == ["feedback_url 'mailto:x@example.org' is not an http(s) URL; dropped"]


def test_conference_details_keep_their_notes_only_when_kept():
    kept, warnings = conference_step("https://zoom.us/j/123", "pw 1", "+1 555 123 4567", "pin 2")
    assert (kept, warnings) == (Conference("https://zoom.us/j/123", "pw 1", "+15551234567", "pin 2"), [])
    dropped, warnings = conference_step("https://example.org/room", "pw 1", "12345", "pin 2")
    assert dropped == Conference(None, None, None, None)
    assert warnings == [
        "conference_url 'https://example.org/room' is not on a known conferencing service; dropped",
        "conference_phone '12345' has fewer than 10 digits; dropped",
    ]


def test_types_are_canonical_sorted_and_unknown_codes_returned():
    types, warnings = types_step(["o", "C", "es", "ZZ", "ONL", "D", "D"], Fellowship.AA)
    assert types.codes == ("C", "D", "O", "S")  # es is Spanish; Open+Closed: repairs.open_closed_check
    assert types.unknown == {"ZZ"}  # ONL is ignored on purpose, not unknown
    assert (types.fellowship, warnings) == (Fellowship.AA, [])


def test_ga_codes_are_read_only_for_ga_sources():
    ga, _ = types_step(["20", "COM", "CRC", "PAR"], Fellowship.GA)
    assert (ga.codes, ga.fellowship, ga.unknown) == (("BE", "D", "XT"), Fellowship.GA, frozenset())
    gam, _ = types_step(["Gam-Anon", "C"], Fellowship.GA)
    assert (gam.codes, gam.fellowship) == (("C",), Fellowship.GAM_ANON)
    aa, _ = types_step(["20", "COM"], Fellowship.AA)
    assert (aa.codes, aa.unknown) == ((), {"20", "COM"})


def test_program_types_leave_other_fellowships_alone():
    assert program_types(["20", "GAM"], Fellowship.NA) == (["20", "GAM"], Fellowship.NA)
    assert program_types(["GAA", "GAM"], Fellowship.GAM_ANON) == (["GAA"], Fellowship.GAM_ANON)


@pytest.mark.parametrize(("address", "approximate", "codes", "online", "expected"), [
    ("12 Main St, Reno, NV 89501, USA", None, (), True, (False, Attendance.HYBRID)),
    ("12 Main St, Reno, NV 89501, USA", None, ("TC",), True, (False, Attendance.ONLINE)),
    ("Reno, NV, USA", None, (), False, (True, Attendance.INACTIVE)),
    ("Reno, NV, USA", False, (), False, (False, Attendance.IN_PERSON)),
    (None, None, (), True, (True, Attendance.ONLINE)),
])
def test_attendance_is_derived(address, approximate, codes, online, expected):
    assert attendance_step(address, approximate, codes, online=online) == (expected, [])


def test_finish_record_files_each_steps_warnings_under_the_slug_in_order():
    record = finish_record(
        ImportOptions(default_timezone="America/Chicago"), source_key="k", slug="s", name="N",
        day=1, time="19:00", end_time="late", latitude="200", longitude="5", timezone="Nowhere",
        url="ftp://x", conference_url="https://example.org/room", types=["C", "O"],
    )
    assert record.timezone == "America/Chicago" and record.types == ("C",)
    assert record.warnings == (
        Issue("s", "end_time 'late' is not a time; dropped"),
        Issue("s", "coordinates (200, 5) are not a usable position; dropped"),
        Issue("s", "timezone 'Nowhere' is not an IANA zone; dropped"),
        Issue("s", "url 'ftp://x' is not an http(s) URL; dropped"),
        Issue("s", "conference_url 'https://example.org/room' is not on a known conferencing service; dropped"),
        Issue("s", "'N' is listed both Open and Closed: Closed (the stricter) kept"),
    )


def test_a_ga_meeting_reads_the_same_from_meeting_guide_json_and_csv():
    options = ImportOptions(fellowship=Fellowship.GA, default_timezone="America/Chicago")
    feed = [{"slug": "s", "name": "Thursday GA", "day": 4, "time": "19:00", "types": ["20", "COM", "GAA"]},
            {"slug": "g", "name": "Gam-Anon", "day": 4, "time": "19:00", "types": ["GAM", "C"]}]
    csv = b"Slug,Name,Day,Time,Types\ns,Thursday GA,Thursday,7:00 PM,\"20 Questions, Comment, GAA\"\n" \
          b"g,Gam-Anon,Thursday,7 pm,\"gam anon, Closed\"\n"
    from_json = MeetingGuideImporter(options).parse(json.dumps(feed).encode())
    from_csv = TsmlCsvImporter(options).parse(csv)

    def read(items):
        return [(r.slug, r.types, r.fellowship) for r in items if isinstance(r, MeetingRecord)]

    assert read(from_json) == read(from_csv) == [
        ("s", ("BE", "D", "GAA"), Fellowship.GA), ("g", ("C",), Fellowship.GAM_ANON)]


def test_an_issue_is_storable_and_the_pattern_for_it_waits_for_text_past_ascii():
    """Issue keys and reasons lose NUL and lone surrogates (normalize.storable, one rule for
    both); the pattern doing it is compiled at the first text that needs it, not at start-up."""
    from importers import normalize

    normalize._unstorable.cache_clear()
    plain = Issue("key", "a reason")
    assert (plain.key, plain.reason) == ("key", "a reason")
    assert not normalize._unstorable.cache_info().currsize
    odd = Issue("k\x00ey", "lone \ud800 surrogate, café")
    assert (odd.key, odd.reason) == ("key", "lone  surrogate, café")
    assert normalize._unstorable.cache_info().currsize
