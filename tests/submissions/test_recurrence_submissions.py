"""How often a submitted meeting meets: chosen in words on the form (no script), sent as an object
to the API, checked at the edge, and said back as a sentence on the status page."""
from __future__ import annotations

import html
import re

import pytest

FORM = "/submissions/new"


def receipt_text(client, response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def test_first_and_third_monday_on_the_form_is_stored_and_said_back(
        client, post_form, new_meeting, submissions):
    data = new_meeting | {"day": "1", "repeat": "monthly", "nths": ["1", "3"],
                          "cancelled": "2030-01-07\n2030-01-21"}
    page = receipt_text(client, post_form(FORM, data))
    assert "First and third Monday of the month, 19:00" in page
    assert submissions()[0].proposed["recurrence"] == {
        "kind": "monthly", "nths": [1, 3], "cancelled": ["2030-01-07", "2030-01-21"]}


def test_every_week_is_the_default_and_stores_no_pattern(client, post_form, new_meeting, submissions):
    page = receipt_text(client, post_form(FORM, new_meeting))
    assert "Every Tuesday, 19:00" in page
    assert submissions()[0].proposed["recurrence"] is None


def test_the_form_shows_the_choices_without_script(client):
    page = client.get(FORM).get_data(as_text=True)
    assert re.search(r'<input type="radio" name="repeat" value="weekly" checked>', page)
    assert 'name="nths" value="-1"' in page and 'name="anchor" type="date"' in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"repeat": "weeks", "every_weeks": "2", "anchor": ""}, "Give a date it meets, on its day"),
    ({"repeat": "weeks", "every_weeks": "2", "anchor": "2030-01-02"}, "Give a date it meets, on its day"),
    ({"repeat": "monthly"}, "Choose which weeks of the month"),
    ({"cancelled": "24/12/2030"}, "Give dates as YYYY-MM-DD"),
    ({"cancelled": "2030-01-02"}, "is not a date this meeting meets"),
    ({"starts": "2030-02-01", "ends": "2030-01-01"}, "The last date comes before the first"),
    ({"moved": "2030-01-01 late"}, "Give each moved date as YYYY-MM-DD HH:MM"),
])
def test_bad_patterns_get_a_clear_error_and_keep_what_was_typed(
        post_form, new_meeting, submissions, changes, message):
    response = post_form(FORM, new_meeting | changes)  # a Tuesday meeting
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in page and 'id="recurrence-error"' in page
    if changes.get("repeat") == "weeks":
        assert re.search(r'<input type="radio" name="repeat" value="weeks" checked>', page)
    assert submissions() == []


def test_the_api_takes_the_stored_shape(client, new_meeting, submissions):
    pattern = {"kind": "weeks", "interval": 2, "anchor": "2030-01-01", "ends": "2030-12-31",
               "moved": [{"on": "2030-01-15", "time": "18:00"}]}
    response = client.post("/api/v1/submissions", json=new_meeting | {"kind": "new", "recurrence": pattern})
    assert response.status_code == 201, response.get_json()
    assert submissions()[0].proposed["recurrence"] == pattern
    receipt = html.unescape(client.get(response.get_json()["receipt_url"]).get_data(as_text=True))
    assert "Every other Tuesday, 19:00, until 2030-12-31" in receipt


@pytest.mark.parametrize("pattern", [
    "monthly", {"kind": "monthly", "nths": [7]}, {"kind": "yearly"}, {"kind": "monthly", "when": 1},
    {"kind": "weeks", "interval": 2}, {"kind": "weekly", "cancelled": "2030-01-02"},
    {"kind": "weekly", "moved": [{"on": "2030-01-01", "time": "25:00"}]},
])
def test_the_api_refuses_a_bad_pattern_naming_recurrence(client, new_meeting, submissions, pattern):
    response = client.post("/api/v1/submissions", json=new_meeting | {"kind": "new", "recurrence": pattern})
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"recurrence"}
    assert submissions() == []


def test_spanish_form_and_sentence(client, post_form, new_meeting):
    page = client.get(FORM + "?lang=es").get_data(as_text=True)
    assert "Cada semana" in page
    data = new_meeting | {"day": "1", "repeat": "monthly", "nths": ["1", "-1"]}
    receipt = receipt_text(client, post_form(FORM, data))
    assert "Primer y último lunes del mes, 19:00" in receipt


def test_suggesting_a_change_starts_from_the_meetings_pattern(client, make_meeting):
    from finder.pattern import MONTHLY, Recurrence

    meeting = make_meeting(day=1, recurrence=Recurrence(kind=MONTHLY, nths=(2, 4)))
    page = client.get(f"/meetings/{meeting.id}/suggest").get_data(as_text=True)
    assert re.search(r'name="repeat" value="monthly" checked', page)
    assert re.search(r'name="nths" value="2" checked', page) and re.search(r'name="nths" value="4" checked', page)
    assert not re.search(r'name="nths" value="1" checked', page)
