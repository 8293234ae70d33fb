"""The public submission form and JSON API: paths, CSRF, errors, escaping, privacy."""
from __future__ import annotations

import logging
import re

from finder.extensions import db
from finder.submissions.models import Submission, SubmissionContact, SubmissionKind
from tests import factories
from tests.submitting import CONTACT, NEW_MEETING, csrf_token, post_form


def add_meeting(app, **fields) -> int:
    with app.app_context():
        row = factories.meeting(**fields)
        db.session.commit()
        return row.id


def submissions(app) -> list[Submission]:
    with app.app_context():
        rows = db.session.execute(db.select(Submission).order_by(Submission.id)).scalars().all()
        for row in rows:
            _ = row.contact
        db.session.expunge_all()
        return rows


def test_new_meeting_form_is_labelled_and_carries_a_csrf_token(client):
    page = client.get("/submissions/new").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    for name in ("name", "time", "timezone", "address", "city", "contact"):
        assert f'<label for="{name}">' in page and f'id="{name}"' in page


def test_new_meeting_is_stored_pending_with_a_receipt(app, client):
    response = post_form(client, "/submissions/new", NEW_MEETING)
    assert response.status_code == 303
    receipt = client.get(response.headers["Location"])
    page = receipt.get_data(as_text=True)
    [row] = submissions(app)
    assert row.kind == SubmissionKind.NEW and row.status.value == "pending"
    assert row.reference in page and re.fullmatch(r"[A-Z2-9]{10}", row.reference)
    assert row.proposed["name"] == "Serenity Seekers" and row.proposed["day"] == 2
    assert "contact" not in row.proposed and row.contact.contact == CONTACT
    assert row.note == "I am the group secretary."
    assert len(row.client_hash) == 32 and "127.0.0.1" not in row.client_hash


def test_form_without_csrf_token_is_refused(app, client):
    response = client.post("/submissions/new", data=NEW_MEETING)
    assert response.status_code == 400 and "Form expired" in response.get_data(as_text=True)
    assert submissions(app) == []


def test_form_with_a_forged_csrf_token_is_refused(app, client):
    csrf_token(client, "/submissions/new")  # a session exists, but the token is made up
    response = client.post("/submissions/new", data={**NEW_MEETING, "csrf_token": "forged"})
    assert response.status_code == 400
    assert submissions(app) == []


def test_errors_are_shown_next_to_fields_and_typed_values_kept(app, client):
    bad = {**NEW_MEETING, "time": "25:99", "conference_url": "https://example.com/room",
           "name": "Early Birds & <b>Friends</b>"}
    response = post_form(client, "/submissions/new", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="time-error"' in page and 'aria-describedby="time-error"' in page
    assert 'aria-invalid="true"' in page and 'id="conference_url-error"' in page
    assert 'value="25:99"' in page and 'value="https://example.com/room"' in page
    assert "Early Birds &amp; &lt;b&gt;Friends&lt;/b&gt;" in page  # kept, escaped
    assert 'value="O" checked' in page  # checkboxes too
    assert submissions(app) == []


def test_change_form_is_prefilled_from_the_listing(app, client):
    meeting_id = add_meeting(app, name="Tuesday Night", conference_url=None)
    page = client.get(f"/meetings/{meeting_id}/suggest").get_data(as_text=True)
    assert 'value="Tuesday Night"' in page
    assert 'value="490 Riverside Dr"' in page and 'value="New York"' in page
    assert 'value="NY"' in page and 'value="10027"' in page and 'value="USA"' in page
    assert '<option value="2" selected>' in page and 'value="19:00"' in page
    assert 'value="in_person" checked' in page and 'value="D" checked' in page


def test_change_and_closures_are_stored_against_the_meeting(app, client):
    meeting_id = add_meeting(app)
    path = f"/meetings/{meeting_id}/suggest"
    form = {**NEW_MEETING, "kind": "change", "name": "Tuesday Night Step Study"}
    assert post_form(client, path, form).status_code == 303
    for kind in ("closure", "temporary_closure"):
        response = post_form(client, path, {"kind": kind, "contact": CONTACT, "note": "gone"})
        assert response.status_code == 303
    rows = submissions(app)
    assert [r.kind.value for r in rows] == ["change", "closure", "temporary_closure"]
    assert {r.meeting_id for r in rows} == {meeting_id}
    assert rows[0].proposed["name"] == "Tuesday Night Step Study" and rows[1].proposed == {}


def test_suggesting_for_a_missing_or_dropped_meeting(app, client):
    assert client.get("/meetings/999/suggest").status_code == 404
    from datetime import UTC, datetime
    gone = add_meeting(app, removed_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert client.get(f"/meetings/{gone}/suggest").status_code == 410


def test_api_creates_a_submission(app, client):
    response = client.post("/api/v1/submissions", json={**NEW_MEETING, "kind": "new", "day": 2})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and re.fullmatch(r"[A-Z2-9]{10}", body["reference"])
    assert CONTACT not in response.get_data(as_text=True)
    [row] = submissions(app)
    assert row.reference == body["reference"]


def test_api_reports_errors_per_field(app, client):
    data = {**NEW_MEETING, "kind": "new", "day": 9, "timezone": "Mars/Base", "contact": ""}
    response = client.post("/api/v1/submissions", json=data)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert {"day", "timezone", "contact"} <= set(errors)
    assert client.post("/api/v1/submissions", data="name=x").status_code == 400
    assert client.post("/api/v1/submissions", json=[1]).status_code == 400
    assert client.post("/api/v1/submissions", json={"kind": "nope"}).get_json()["errors"]["kind"]
    change = client.post("/api/v1/submissions", json={"kind": "closure", "meeting_id": 404,
                                                      "contact": CONTACT})
    assert change.status_code == 400 and "meeting_id" in change.get_json()["errors"]
    assert submissions(app) == []


def test_api_closure_of_a_listed_meeting(app, client):
    meeting_id = add_meeting(app)
    response = client.post("/api/v1/submissions", json={
        "kind": "temporary_closure", "meeting_id": meeting_id, "contact": CONTACT})
    assert response.status_code == 201
    assert submissions(app)[0].meeting_id == meeting_id


def test_script_in_a_name_is_stored_as_text_and_shown_escaped(app, client):
    evil = {**NEW_MEETING, "name": "<script>alert('x')</script> Group"}
    receipt = post_form(client, "/submissions/new", evil, follow_redirects=True)
    assert submissions(app)[0].proposed["name"] == "<script>alert('x')</script> Group"
    assert "<script>alert" not in receipt.get_data(as_text=True)


def test_submitter_contact_never_reaches_a_public_response_or_log(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    meeting_id = add_meeting(app)
    pages = [post_form(client, "/submissions/new", NEW_MEETING, follow_redirects=True)]
    pages.append(client.post("/api/v1/submissions", json={**NEW_MEETING, "kind": "new"}))
    pages.append(post_form(client, f"/meetings/{meeting_id}/suggest",
                           {"kind": "closure", "contact": CONTACT}, follow_redirects=True))
    reference = submissions(app)[0].reference
    for path in ("/", f"/meetings/{meeting_id}", f"/submissions/{reference}",
                 "/api/v1/meeting-guide.json", "/submissions/new",
                 f"/meetings/{meeting_id}/suggest", f"/meetings/{meeting_id}.ics",
                 "/api/v1/meetings", f"/api/v1/meetings/{meeting_id}", "/api/v1/openapi.json"):
        pages.append(client.get(path))
    assert any(reference in record.getMessage() for record in caplog.records)  # it is logged
    for response in pages:
        assert response.status_code < 500
        assert CONTACT not in response.get_data(as_text=True)
        assert CONTACT not in str(response.headers)
    assert CONTACT not in caplog.text
    with app.app_context():  # it is stored, privately
        assert db.session.execute(db.select(SubmissionContact.contact)).scalars().all() == [CONTACT] * 3


def test_imported_meeting_points_to_its_source_but_never_to_a_server_path(app, client):
    with app.app_context():
        web = factories.source("web-area", feedback_url="https://area.example.org/feedback")
        local_file = factories.source("file-area", url="/srv/feeds/area.json")
        with_feedback = factories.meeting(source_id=web.id, slug="a", source_key="a").id
        without = factories.meeting(source_id=local_file.id, slug="b", source_key="b").id
        db.session.commit()
    page = client.get(f"/meetings/{with_feedback}/suggest").get_data(as_text=True)
    assert "listed by web-area" in page and 'href="https://area.example.org/feedback"' in page
    page = client.get(f"/meetings/{without}/suggest").get_data(as_text=True)
    assert "listed by file-area" in page and "/srv/feeds" not in page
