"""Moderation pages (finder/moderation/views.py): login, the review queue, approve, reject, forward."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from finder.enums import Attendance
from finder.models import Meeting
from finder.moderation.accounts import FREE_ATTEMPTS
from finder.moderation.actions import record_of
from finder.moderation.views import safe_next
from finder.submissions.models import AuditRecord, Submission
from finder.submissions.service import LOCAL_SOURCE


@pytest.fixture
def decision_token(csrf_token):
    """``decision_token(sub_id)``: the CSRF token of a submission's review page."""
    return lambda sub_id: csrf_token(f"/moderate/{sub_id}")


@pytest.fixture
def approve(client, decision_token):
    """``approve(sub_id)``: press "Approve" on the submission's review page."""
    return lambda sub_id: client.post(f"/moderate/{sub_id}/approve",
                                      data={"csrf_token": decision_token(sub_id)})


@pytest.mark.parametrize("path", ["/moderate", "/moderate/1"])
def test_moderator_pages_redirect_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/moderate/login?next=")


def test_decisions_need_login(client, db_session, submit_new, submission_id):
    reference = submit_new()
    sub_id = submission_id(reference)
    token_page = client.get("/moderate/login").get_data(as_text=True)
    assert "csrf_token" in token_page
    response = client.post(f"/moderate/{sub_id}/approve")
    assert response.status_code in (302, 400)  # no login (or no token): nothing happens
    assert db_session.get(Submission, sub_id).status.value == "pending"


def test_login_logout_and_wrong_password(client, csrf_token, log_in):
    wrong = log_in(password="wrong password!")
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.get_data(as_text=True)
    assert log_in(email="nobody@example.org").status_code == 401
    assert log_in().status_code == 303
    assert client.get("/moderate").status_code == 200
    logout = client.post("/moderate/logout", data={"csrf_token": csrf_token("/moderate")})
    assert logout.status_code == 303
    assert client.get("/moderate").status_code == 302


def test_login_without_csrf_token_is_refused(client, moderator):
    response = client.post("/moderate/login",
                           data={"email": moderator.email, "password": moderator.password})
    assert response.status_code == 400 and "Form expired" in response.get_data(as_text=True)
    assert client.get("/moderate").status_code == 302  # not logged in


def test_lockout_through_the_login_page(log_in):
    for _ in range(FREE_ATTEMPTS + 1):
        assert log_in(password="wrong password!").status_code == 401
    assert log_in().status_code == 401  # right password, but locked


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


def test_queue_shows_pending_submissions_with_contact_for_moderators_only(client, logged_in, submit_new,
                                                                          new_meeting, submission_id):
    reference = submit_new(name="<script>alert(1)</script> Group")
    page = client.get("/moderate")
    text = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Group" in text and "<script>alert" not in text
    assert "1 submission waits" in text and new_meeting["contact"] not in text  # one line each
    review = client.get(f"/moderate/{submission_id(reference)}").get_data(as_text=True)
    assert new_meeting["contact"] in review and "&lt;script&gt;alert(1)&lt;/script&gt; Group" in review


def test_approving_a_new_meeting_lists_it_in_the_local_source(client, db_session, logged_in, submit_new,
                                                              submission_id, approve, new_meeting):
    sub_id = submission_id(submit_new())
    assert approve(sub_id).status_code == 303
    submission = db_session.get(Submission, sub_id)
    meeting = submission.meeting
    assert submission.status.value == "approved" and submission.decided_at
    assert meeting.source.name == LOCAL_SOURCE and meeting.source.format == "local"
    assert meeting.slug == "serenity-seekers" and meeting.source_key == meeting.slug
    assert meeting.attendance_option == Attendance.HYBRID
    assert meeting.formatted_address == "4953 W Addison St, Chicago, IL 60641, USA"
    assert meeting.latitude == pytest.approx(41.85, abs=0.5)  # geocoded (city level)
    assert meeting.types == ("D", "O") and meeting.sequence == 0
    assert meeting.content_hash == record_of(meeting).content_hash()
    [audit] = db_session.execute(sa.select(AuditRecord)).scalars().all()
    assert audit.moderator_id == logged_in.id and audit.meeting_id == meeting.id
    assert audit.action == "approve new" and audit.created_at is not None
    meeting_id = meeting.id
    assert "Serenity Seekers" in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    export = client.get("/api/v1/meeting-guide.json?source=local")
    [entry] = export.get_json()
    assert entry["slug"] == "serenity-seekers" and entry["conference_url"].startswith("https://zoom.us/")
    assert entry["types"] == ["D", "O"] and entry["approximate"] == "no"
    assert new_meeting["contact"] not in export.get_data(as_text=True)
    assert "secretary" not in export.get_data(as_text=True)
    assert approve(sub_id).status_code == 303  # a second decision is refused
    assert db_session.execute(sa.select(sa.func.count(AuditRecord.id))).scalar() == 1


def test_approving_a_change_to_a_local_meeting_applies_it(client, db_session, logged_in, local_meeting,
                                                          submission_id, approve, new_meeting):
    meeting_id = local_meeting()
    before = db_session.get(Meeting, meeting_id)
    old_hash, old_changed = before.content_hash, before.changed_at
    form = client.get(f"/meetings/{meeting_id}/suggest")  # prefilled; change two fields
    assert form.status_code == 200
    response = client.post("/api/v1/submissions", json={
        "kind": "change", "meeting_id": meeting_id, "name": "Tuesday Night Big Book",
        "day": 2, "time": "19:30", "end_time": "20:30", "timezone": "America/New_York",
        "attendance_option": "in_person", "address": "490 Riverside Dr", "city": "New York",
        "state": "NY", "postal_code": "10027", "country": "USA", "types": ["O", "B"],
        "location": "Church Hall", "contact": new_meeting["contact"]})
    sub_id = submission_id(response.get_json()["reference"])
    review = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert "<del>Tuesday Night</del>" in review and "<ins>Tuesday Night Big Book</ins>" in review
    assert "<del>19:00</del>" in review and 'class="same"' in review
    approve(sub_id)
    meeting = db_session.get(Meeting, meeting_id)
    assert meeting.name == "Tuesday Night Big Book" and meeting.time == "19:30"
    assert meeting.types == ("B", "O") and meeting.sequence == 1
    assert meeting.latitude == pytest.approx(40.8117)  # same address: coordinates kept
    assert meeting.content_hash != old_hash
    assert meeting.content_hash == record_of(meeting).content_hash()
    assert meeting.changed_at > old_changed and meeting.updated is not None


@pytest.mark.parametrize("kind", ["closure", "temporary_closure"])
def test_approving_closures_of_local_meetings(client, db_session, logged_in, local_meeting, submission_id,
                                             approve, new_meeting, kind):
    meeting_id = local_meeting(conference_url="https://zoom.us/j/1",
                               attendance_option=Attendance.HYBRID)
    response = client.post("/api/v1/submissions", json={
        "kind": kind, "meeting_id": meeting_id, "contact": new_meeting["contact"]})
    approve(submission_id(response.get_json()["reference"]))
    meeting = db_session.get(Meeting, meeting_id)
    assert meeting.sequence == 1
    if kind == "closure":
        assert meeting.removed_at is not None
    else:
        assert meeting.removed_at is None and "TC" in meeting.types
        assert meeting.attendance_option == Attendance.ONLINE  # the room is closed
        assert meeting.content_hash == record_of(meeting).content_hash()


def test_changes_to_imported_meetings_are_forwarded_not_applied(client, db_session, logged_in, make_source,
                                                                make_meeting, submission_id, approve,
                                                                new_meeting):
    source = make_source(feedback_url="https://area.example.org/feedback")
    row = make_meeting(source_id=source.id)
    meeting_id, old_hash = row.id, row.content_hash
    response = client.post("/api/v1/submissions", json={
        "kind": "closure", "meeting_id": meeting_id, "contact": new_meeting["contact"]})
    reference = response.get_json()["reference"]
    sub_id = submission_id(reference)
    review = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert "https://area.example.org/feedback" in review and "Forward to the source" in review
    approve(sub_id)
    submission = db_session.get(Submission, sub_id)
    meeting = db_session.get(Meeting, meeting_id)
    assert submission.status.value == "forwarded"
    assert meeting.removed_at is None and meeting.content_hash == old_hash
    audit = db_session.execute(sa.select(AuditRecord)).scalar_one()
    assert audit.action == "forward" and "area.example.org" in audit.detail
    receipt = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "https://area.example.org/feedback" in receipt and "Passed on" in receipt


def test_rejecting_needs_a_reason_and_records_it(client, db_session, logged_in, submit_new, submission_id,
                                                 decision_token):
    sub_id = submission_id(submit_new())
    token = decision_token(sub_id)
    no_reason = client.post(f"/moderate/{sub_id}/reject", data={"csrf_token": token,
                                                               "reason": " "})
    assert no_reason.status_code == 303
    assert db_session.get(Submission, sub_id).status.value == "pending"
    client.post(f"/moderate/{sub_id}/reject", data={"csrf_token": token,
                                                   "reason": "Duplicate of <b>another</b>"})
    submission = db_session.get(Submission, sub_id)
    assert submission.status.value == "rejected" and submission.reason.startswith("Duplicate")
    audit = db_session.execute(sa.select(AuditRecord)).scalar_one()
    assert audit.action == "reject" and audit.moderator_id == logged_in.id
    assert db_session.execute(sa.select(Meeting)).first() is None
    reference = submission.reference
    receipt = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "Duplicate of &lt;b&gt;another&lt;/b&gt;" in receipt and "Not accepted" in receipt
