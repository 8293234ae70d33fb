"""Each validation rule of submitted meetings, on its own (pure functions, no database)."""
from __future__ import annotations

import pytest

from finder.submissions.rules import (
    check_meeting,
    check_submission,
    formatted_address,
    looks_like_full_name,
    parse_day,
)
from finder.weekly import length_minutes

IN_PERSON = {
    "fellowship": "aa", "name": "Serenity Group", "day": "2", "time": "19:00", "end_time": "20:00",
    "timezone": "America/Chicago", "attendance_option": "in_person",
    "address": "4953 W Addison St", "city": "Chicago", "state": "IL", "postal_code": "60641",
    "country": "USA", "types": ["O", "D"],
}
ONLINE = {
    "name": "Night Owls", "day": 5, "time": "23:00", "timezone": "America/New_York",
    "attendance_option": "online", "conference_url": "https://zoom.us/j/123456789",
    "city": "Boston",
}


def with_(base: dict, **changes) -> dict:
    return {**base, **changes}


def test_valid_in_person_and_online_meetings_pass():
    for data in (IN_PERSON, ONLINE):
        checked = check_meeting(data)
        assert checked.ok, checked.errors
    checked = check_meeting(IN_PERSON)
    assert checked.fields["day"] == 2 and checked.fields["types"] == ["D", "O"]


@pytest.mark.parametrize("attendance", ["in_person", "hybrid"])
def test_in_person_and_hybrid_need_a_street_address(attendance):
    data = with_(IN_PERSON, attendance_option=attendance, address="",
                 conference_url="https://meet.google.com/abc-defg-hij")
    assert "address" in check_meeting(data).errors


@pytest.mark.parametrize("attendance", ["in_person", "hybrid"])
def test_in_person_needs_a_city_or_postal_code(attendance):
    phone = "+1 646 558 8656" if attendance == "hybrid" else ""
    data = with_(IN_PERSON, attendance_option=attendance, city="", postal_code="",
                 conference_phone=phone)
    assert "city" in check_meeting(data).errors
    assert check_meeting(with_(data, postal_code="60641")).ok  # the postal code alone will do


@pytest.mark.parametrize("attendance", ["online", "hybrid"])
def test_online_and_hybrid_need_a_link_or_phone(attendance):
    data = with_(IN_PERSON if attendance == "hybrid" else ONLINE, attendance_option=attendance,
                 conference_url="", conference_phone="")
    assert "conference_url" in check_meeting(data).errors
    assert check_meeting(with_(data, conference_phone="+1 (646) 558-8656,,123#")).ok


def test_conference_url_must_be_a_known_provider():
    checked = check_meeting(with_(ONLINE, conference_url="https://example.com/zoom"))
    assert "known service" in checked.errors["conference_url"]
    assert check_meeting(with_(ONLINE, conference_url="https://us02web.zoom.us/j/1")).ok


def test_short_phone_is_refused():
    checked = check_meeting(with_(ONLINE, conference_url="", conference_phone="555-1234"))
    assert "10 digits" in checked.errors["conference_phone"]


def test_online_meeting_with_street_address_or_in_person_with_link_is_a_mismatch():
    assert "address" in check_meeting(with_(ONLINE, address="1 Main St")).errors
    data = with_(IN_PERSON, conference_url="https://zoom.us/j/1")
    assert "hybrid" in check_meeting(data).errors["attendance_option"]


def test_online_without_any_place_is_only_warned():
    checked = check_meeting(with_(ONLINE, city=""))
    assert checked.ok and "city" in checked.warnings


@pytest.mark.parametrize("value, expected", [
    (0, 0), (6, 6), ("3", 3), ("sunday", 0), ("Sat", 6), ("miércoles", 3),
    (7, None), (-1, None), ("8", None), ("someday", None), (True, None), (None, None),
])
def test_day_numbers_and_names(value, expected):
    assert parse_day(value) == expected


@pytest.mark.parametrize("field, value", [
    ("time", "25:00"), ("time", "7 o'clock"), ("time", ""), ("end_time", "19:61"),
])
def test_times_must_be_hh_mm(field, value):
    assert field in check_meeting(with_(IN_PERSON, **{field: value})).errors


def test_twelve_hour_time_is_normalised():
    assert check_meeting(with_(IN_PERSON, time="7:00 PM", end_time="8:15 pm")).fields["time"] == "19:00"


def test_end_after_start_or_across_midnight():
    assert check_meeting(with_(IN_PERSON, time="23:30", end_time="00:30")).ok
    assert "end_time" in check_meeting(with_(IN_PERSON, time="19:00", end_time="18:00")).errors
    assert "end_time" in check_meeting(with_(IN_PERSON, time="19:00", end_time="19:00")).errors
    long = check_meeting(with_(IN_PERSON, time="09:00", end_time="12:00"))
    assert long.ok and "end_time" in long.warnings
    assert length_minutes("23:30", "00:30") == 60


@pytest.mark.parametrize("zone", ["", "EST5EDT/Nowhere", "Mars/Olympus", "UTC+2"])
def test_timezone_must_be_iana(zone):
    assert "timezone" in check_meeting(with_(IN_PERSON, timezone=zone)).errors


def test_unknown_type_codes_are_refused_and_aliases_mapped():
    assert "types" in check_meeting(with_(IN_PERSON, types=["O", "NOPE"])).errors
    assert check_meeting(with_(IN_PERSON, types="o, es")).fields["types"] == ["O", "S"]


def test_full_names_are_warned_not_refused():
    checked = check_meeting(with_(IN_PERSON, name="John Smith's Home Group"))
    assert checked.ok and "anonymity" in checked.warnings["name"]
    assert looks_like_full_name("Contact Mary Jones for the key")
    for fine in ("Bill W. Big Book Study", "Mary Street Group", "Happy Hour", "St John Church"):
        assert not looks_like_full_name(fine), fine


def test_lengths_are_limited_and_name_is_required():
    assert "name" in check_meeting(with_(IN_PERSON, name="x" * 256)).errors
    assert "notes" in check_meeting(with_(IN_PERSON, notes="x" * 2001)).errors
    assert "name" in check_meeting(with_(IN_PERSON, name="   ")).errors


def test_html_is_kept_as_text():
    checked = check_meeting(with_(IN_PERSON, name="<script>alert(1)</script> Group"))
    assert checked.ok and checked.fields["name"] == "<script>alert(1)</script> Group"


def test_url_must_be_http():
    assert "url" in check_meeting(with_(IN_PERSON, url="javascript:alert(1)")).errors


def test_submission_needs_contact_and_a_meeting_for_changes():
    checked = check_submission("change", with_(IN_PERSON, contact=""), meeting_known=False)
    assert {"contact", "meeting_id"} <= set(checked.errors)
    assert check_submission("closure", {"contact": "sec@example.org"}, meeting_known=True).ok
    assert "contact" in check_submission("closure", {"contact": "call me"}, meeting_known=True).errors
    assert "kind" in check_submission("delete", {"contact": "a@b.c"}, meeting_known=True).errors
    new = check_submission("new", with_(IN_PERSON, contact="a@b.c", meeting_id="3"),
                           meeting_known=True)
    assert "meeting_id" in new.errors


def test_formatted_address_follows_the_spec_order():
    assert formatted_address(IN_PERSON) == "4953 W Addison St, Chicago, IL 60641, USA"
    assert formatted_address(IN_PERSON, street=False) == "Chicago, IL 60641, USA"
