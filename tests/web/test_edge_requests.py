"""Hostile requests meet a clear 400 or 404 at the edge, never a 500; API errors are JSON."""
from __future__ import annotations

import os
import stat

import pytest

from finder import create_app, instance_secret
from finder.moderation.views import safe_next

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


@pytest.mark.parametrize(("target", "kept"), [
    ("/moderate/3", "/moderate/3"), ("/%09/x/", "/%09/x/"), ("/\t/evil.example/", None),
    ("//evil.example/", None), ("/\\evil.example", None), ("https://evil.example/", None),
    ("/a\nb", None), ("", None), ("moderate", None),
])
def test_login_returns_only_to_a_path_on_this_site(target, kept):
    assert safe_next(target) == kept


def test_login_redirect_never_leaves_the_site(client):
    for target in ("/\t/evil.example/", "/\\evil.example/", "/x\ny"):
        page = client.get("/moderate/login", query_string={"next": target})
        assert page.status_code == 200
        assert 'name="next" value="/moderate"' in page.get_data(as_text=True)


def test_without_a_secret_key_a_random_one_is_kept_in_the_instance(tmp_path):
    path = tmp_path / "secret_key"
    first = instance_secret(path)
    assert len(first) >= 40 and instance_secret(path) == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] not in ("", None, "dev-only-not-secret")


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
