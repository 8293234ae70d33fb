"""Hostile requests meet a clear 400 or 404 at the edge, never a 500; API errors are JSON."""
from __future__ import annotations

import pytest

HUGE = "99999999999999999999"


@pytest.mark.parametrize("path", [
    f"/api/v1/meetings/{HUGE}", f"/meetings/{HUGE}", f"/meetings/{HUGE}.ics",
    f"/meetings/{HUGE}/suggest", "/api/v1/meetings/2147483648", "/meetings/2147483648",
])
def test_ids_past_the_database_range_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_page_past_any_range_is_an_empty_page(client):
    response = client.get(f"/meetings?page={HUGE}")
    assert response.status_code == 200


@pytest.mark.parametrize(("path", "field"), [
    ("/?q=a%00b", "q"), ("/api/v1/meetings?q=%00", "q"),
    ("/api/v1/meeting-guide.json?source=x%00", "source"), ("/submissions/AB%00CD", "path"),
])
def test_nul_in_a_request_is_refused_naming_the_field(client, path, field):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.get_json()["parameter"] == field
    else:
        assert "cannot be stored" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", ['{"name": "My \\u0000 plan"}', '{"name": "\\ud800"}'])
def test_unstorable_text_in_json_is_refused_before_any_write(client, body):
    response = client.post("/api/v1/schedules", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "name"


def test_unknown_api_paths_and_methods_answer_json(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.is_json and "error" in missing.get_json()
    wrong = client.put("/api/v1/meetings")
    assert wrong.status_code == 405 and wrong.is_json and "GET" in wrong.headers["Allow"]
    page = client.get("/nothing-here")
    assert page.status_code == 404 and not page.is_json


@pytest.mark.parametrize("value", ["²", "12345678901234567890", "-1", "0", "1.5", True])
def test_odd_meeting_ids_in_bodies_are_refused_not_crashed(app, client, value):
    from finder.web.edge import row_id

    app.config["WTF_CSRF_ENABLED"] = False  # the id check, not the CSRF check, must answer
    assert row_id(value) is None
    response = client.post("/api/v1/submissions", json={"kind": "change", "meeting_id": value,
                                                        "contact": "x@example.org"})
    assert response.status_code == 400
    page = client.post("/plan/meetings", data={"meeting_id": str(value)})
    assert page.status_code == 400


def test_a_body_is_still_checked_whatever_the_method(client):
    # Form parsing is skipped only for requests without a Content-Type (no body to read).
    assert client.get("/", data={"near": "a\x00b"}).status_code == 400
    response = client.post("/api/v1/schedules", data={"name": "a\x00b"})
    assert response.status_code == 400 and response.get_json()["parameter"] == "name"


def test_a_form_post_is_still_parsed_and_refused_without_its_csrf_token(client, new_meeting):
    assert client.post("/submissions/new", data=new_meeting).status_code == 400
    assert client.post("/submissions/new", data={**new_meeting, "name": "\x00"}).status_code == 400
