"""The public submission form (finder/submissions/views.py): paths, CSRF, errors, escaping, privacy."""
from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import sqlalchemy as sa

from finder.submissions.models import SubmissionContact, SubmissionKind


def test_new_meeting_form_is_labelled_and_carries_a_csrf_token(client):
    page = client.get("/submissions/new").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    for name in ("name", "time", "timezone", "address", "city", "contact"):
        assert f'<label for="{name}">' in page and f'id="{name}"' in page


def test_new_meeting_is_stored_pending_with_a_receipt(client, post_form, new_meeting, submissions):
    response = post_form("/submissions/new", new_meeting)
    assert response.status_code == 303
    receipt = client.get(response.headers["Location"])
    page = receipt.get_data(as_text=True)
    [row] = submissions()
    assert row.kind == SubmissionKind.NEW and row.status.value == "pending"
    assert row.reference in page and re.fullmatch(r"[A-Z2-9]{10}", row.reference)
    assert row.proposed["name"] == "Serenity Seekers" and row.proposed["day"] == 2
    assert "contact" not in row.proposed and row.contact.contact == new_meeting["contact"]
    assert row.note == "I am the group secretary."
    assert len(row.client_hash) == 32 and "127.0.0.1" not in row.client_hash


def test_form_without_csrf_token_is_refused(client, new_meeting, submissions):
    response = client.post("/submissions/new", data=new_meeting)
    assert response.status_code == 400 and "Form expired" in response.get_data(as_text=True)
    assert submissions() == []


def test_form_with_a_forged_csrf_token_is_refused(client, csrf_token, new_meeting, submissions):
    csrf_token("/submissions/new")  # a session exists, but the token is made up
    response = client.post("/submissions/new", data={**new_meeting, "csrf_token": "forged"})
    assert response.status_code == 400
    assert submissions() == []


def test_errors_are_shown_next_to_fields_and_typed_values_kept(post_form, new_meeting, submissions):
    bad = {**new_meeting, "time": "25:99", "conference_url": "https://example.com/room",
           "name": "Early Birds & <b>Friends</b>"}
    response = post_form("/submissions/new", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="time-error"' in page and 'aria-describedby="time-error"' in page
    assert 'aria-invalid="true"' in page and 'id="conference_url-error"' in page
    assert 'value="25:99"' in page and 'value="https://example.com/room"' in page
    assert "Early Birds &amp; &lt;b&gt;Friends&lt;/b&gt;" in page  # kept, escaped
    assert 'value="O" checked' in page  # checkboxes too
    assert submissions() == []


def test_change_form_is_prefilled_from_the_listing(client, make_meeting):
    meeting_id = make_meeting(name="Tuesday Night", conference_url=None).id
    page = client.get(f"/meetings/{meeting_id}/suggest").get_data(as_text=True)
    assert 'value="Tuesday Night"' in page
    assert 'value="490 Riverside Dr"' in page and 'value="New York"' in page
    assert 'value="NY"' in page and 'value="10027"' in page and 'value="USA"' in page
    assert '<option value="2" selected>' in page and 'value="19:00"' in page
    assert 'value="in_person" checked' in page and 'value="D" checked' in page


def test_change_and_closures_are_stored_against_the_meeting(post_form, make_meeting, new_meeting,
                                                            submissions):
    meeting_id = make_meeting().id
    path = f"/meetings/{meeting_id}/suggest"
    form = {**new_meeting, "kind": "change", "name": "Tuesday Night Step Study"}
    assert post_form(path, form).status_code == 303
    for kind in ("closure", "temporary_closure"):
        response = post_form(path, {"kind": kind, "contact": new_meeting["contact"], "note": "gone"})
        assert response.status_code == 303
    rows = submissions()
    assert [r.kind.value for r in rows] == ["change", "closure", "temporary_closure"]
    assert {r.meeting_id for r in rows} == {meeting_id}
    assert rows[0].proposed["name"] == "Tuesday Night Step Study" and rows[1].proposed == {}


def test_suggesting_for_a_missing_or_dropped_meeting(client, make_meeting):
    assert client.get("/meetings/999/suggest").status_code == 404
    gone = make_meeting(removed_at=datetime(2026, 1, 1, tzinfo=UTC)).id
    assert client.get(f"/meetings/{gone}/suggest").status_code == 410


def test_script_in_a_name_is_stored_as_text_and_shown_escaped(post_form, new_meeting, submissions):
    evil = {**new_meeting, "name": "<script>alert('x')</script> Group"}
    receipt = post_form("/submissions/new", evil, follow_redirects=True)
    assert submissions()[0].proposed["name"] == "<script>alert('x')</script> Group"
    assert "<script>alert" not in receipt.get_data(as_text=True)


def test_submitter_contact_never_reaches_a_public_response_or_log(client, db_session, post_form, make_meeting,
                                                                  new_meeting, submissions, caplog):
    caplog.set_level(logging.DEBUG)
    contact = new_meeting["contact"]
    meeting_id = make_meeting().id
    pages = [post_form("/submissions/new", new_meeting, follow_redirects=True)]
    pages.append(client.post("/api/v1/submissions", json={**new_meeting, "kind": "new"}))
    pages.append(post_form(f"/meetings/{meeting_id}/suggest",
                           {"kind": "closure", "contact": contact}, follow_redirects=True))
    reference = submissions()[0].reference
    for path in ("/", f"/meetings/{meeting_id}", f"/submissions/{reference}",
                 "/api/v1/meeting-guide.json", "/submissions/new",
                 f"/meetings/{meeting_id}/suggest", f"/meetings/{meeting_id}.ics",
                 "/api/v1/meetings", f"/api/v1/meetings/{meeting_id}", "/api/v1/openapi.json"):
        pages.append(client.get(path))
    assert any(reference in record.getMessage() for record in caplog.records)  # it is logged
    for response in pages:
        assert response.status_code < 500
        assert contact not in response.get_data(as_text=True)
        assert contact not in str(response.headers)
    assert contact not in caplog.text
    # It is stored, privately.
    assert db_session.execute(sa.select(SubmissionContact.contact)).scalars().all() == [contact] * 3


def test_imported_meeting_points_to_its_source_but_never_to_a_server_path(client, make_source, make_meeting):
    web = make_source("web-area", feedback_url="https://area.example.org/feedback")
    local_file = make_source("file-area", url="/srv/feeds/area.json")
    with_feedback = make_meeting(source_id=web.id, slug="a", source_key="a").id
    without = make_meeting(source_id=local_file.id, slug="b", source_key="b").id
    page = client.get(f"/meetings/{with_feedback}/suggest").get_data(as_text=True)
    assert "listed by example.org" in page and "web-area" not in page and 'href="https://area.example.org/feedback"' in page
    page = client.get(f"/meetings/{without}/suggest").get_data(as_text=True)
    assert "listed by file-area" in page and "/srv/feeds" not in page
