"""Moderators: accounts, login and lockout, the review queue, approve, reject and forward."""
from __future__ import annotations

from datetime import timedelta

import pytest

from finder.enums import Attendance
from finder.extensions import db
from finder.models import Meeting, utcnow
from finder.moderation import accounts as moderators
from finder.moderation.actions import record_of
from finder.submissions.models import AuditRecord, Moderator, Submission
from finder.submissions.service import LOCAL_SOURCE, local_source
from tests import factories
from tests.submitting import CONTACT, NEW_MEETING, PASSWORD, csrf_token, log_in, make_moderator


def submit_new(client, **changes) -> str:
    response = client.post("/api/v1/submissions", json={**NEW_MEETING, "kind": "new", **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["reference"]


def submission_id(app, reference: str) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(Submission.id).where(Submission.reference == reference)).scalar_one()


def local_meeting(app, **fields) -> int:
    with app.app_context():
        source = local_source()
        row = factories.meeting(source_id=source.id, slug="local-one", source_key="local-one",
                                **fields)
        row.content_hash = record_of(row).content_hash()
        db.session.commit()
        return row.id


def approve(client, sub_id: int):
    return client.post(f"/moderate/{sub_id}/approve", data={"csrf_token": _token(client, sub_id)})


def _token(client, sub_id: int) -> str:
    return csrf_token(client, f"/moderate/{sub_id}")


@pytest.fixture
def moderator(app, client) -> int:
    moderator_id = make_moderator(app)
    assert log_in(client).status_code == 303
    return moderator_id


def test_cli_adds_a_moderator_with_a_hashed_password(app, runner):
    result = runner.invoke(args=["moderators", "add", "Sec@Example.org", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.execute(db.select(Moderator)).scalar_one()
        assert row.email == "sec@example.org" and PASSWORD not in row.password_hash
        assert row.password_hash.startswith(("scrypt:", "pbkdf2:"))
    again = runner.invoke(args=["moderators", "add", "sec@example.org", "--password-stdin"],
                          input=PASSWORD + "\n")
    assert again.exit_code != 0 and "already" in again.output
    short = runner.invoke(args=["moderators", "add", "b@example.org", "--password-stdin"],
                          input="short\n")
    assert short.exit_code != 0 and "at least" in short.output


def test_cli_prompts_for_the_password_twice(app, runner):
    result = runner.invoke(args=["moderators", "add", "p@example.org"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "Repeat" in result.output
    assert "p@example.org" in runner.invoke(args=["moderators", "list"]).output
    with app.app_context():
        row = moderators.find("p@example.org")
        row.failed_attempts, row.locked_until = 9, utcnow() + timedelta(hours=1)
        db.session.commit()
    assert "locked until" in runner.invoke(args=["moderators", "list"]).output
    assert runner.invoke(args=["moderators", "unlock", "P@example.org"]).exit_code == 0
    with app.app_context():
        assert moderators.find("p@example.org").locked_until is None


@pytest.mark.parametrize("path", ["/moderate", "/moderate/1"])
def test_moderator_pages_redirect_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/moderate/login?next=")


def test_decisions_need_login(app, client):
    reference = submit_new(client)
    sub_id = submission_id(app, reference)
    token_page = client.get("/moderate/login").get_data(as_text=True)
    assert "csrf_token" in token_page
    response = client.post(f"/moderate/{sub_id}/approve")
    assert response.status_code in (302, 400)  # no login (or no token): nothing happens
    with app.app_context():
        assert db.session.get(Submission, sub_id).status.value == "pending"


def test_login_logout_and_wrong_password(app, client):
    make_moderator(app)
    wrong = log_in(client, password="wrong password!")
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.get_data(as_text=True)
    assert log_in(client, email="nobody@example.org").status_code == 401
    assert log_in(client).status_code == 303
    assert client.get("/moderate").status_code == 200
    logout = client.post("/moderate/logout", data={"csrf_token": csrf_token(client, "/moderate")})
    assert logout.status_code == 303
    assert client.get("/moderate").status_code == 302


def test_login_without_csrf_token_is_refused(app, client):
    make_moderator(app)
    response = client.post("/moderate/login", data={"email": "mod@example.org", "password": PASSWORD})
    assert response.status_code == 400 and "Form expired" in response.get_data(as_text=True)
    assert client.get("/moderate").status_code == 302  # not logged in


def test_repeated_wrong_passwords_lock_the_account_with_growing_waits(app):
    make_moderator(app)
    with app.app_context():
        now = utcnow()
        for _ in range(moderators.FREE_ATTEMPTS):
            assert moderators.authenticate("mod@example.org", "nope", now) is None
        row = moderators.find("mod@example.org")
        assert row.locked_until is None
        assert moderators.authenticate("mod@example.org", "nope", now) is None
        first = row.locked_until - now
        # Locked: even the right password is refused until the lock ends.
        assert moderators.authenticate("mod@example.org", PASSWORD, now) is None
        later = now + first + timedelta(seconds=1)
        assert moderators.authenticate("mod@example.org", "nope", later) is None
        assert row.locked_until - later == 2 * first  # each further failure doubles the wait
        after = row.locked_until + timedelta(seconds=1)
        assert moderators.authenticate("mod@example.org", PASSWORD, after) is row
        assert row.failed_attempts == 0 and row.locked_until is None


def test_lockout_through_the_login_page(app, client):
    make_moderator(app)
    for _ in range(moderators.FREE_ATTEMPTS + 1):
        assert log_in(client, password="wrong password!").status_code == 401
    assert log_in(client).status_code == 401  # right password, but locked


def test_unknown_accounts_cost_the_same_hashing(app, monkeypatch):
    calls = []
    real = moderators.check_password_hash
    monkeypatch.setattr(moderators, "check_password_hash",
                        lambda h, p: calls.append(h) or real(h, p))
    make_moderator(app)
    with app.app_context():
        moderators.authenticate("nobody@example.org", "x")
        moderators.authenticate("mod@example.org", "x")
    assert len(calls) == 2 and calls[0] == moderators._DUMMY_HASH


def test_queue_shows_pending_submissions_with_contact_for_moderators_only(app, client, moderator):
    reference = submit_new(client, name="<script>alert(1)</script> Group")
    page = client.get("/moderate")
    text = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Group" in text and "<script>alert" not in text
    assert "1 submission waits" in text and CONTACT not in text  # the queue is one line each
    review = client.get(f"/moderate/{submission_id(app, reference)}").get_data(as_text=True)
    assert CONTACT in review and "&lt;script&gt;alert(1)&lt;/script&gt; Group" in review


def test_approving_a_new_meeting_lists_it_in_the_local_source(app, client, moderator):
    sub_id = submission_id(app, submit_new(client))
    assert approve(client, sub_id).status_code == 303
    with app.app_context():
        submission = db.session.get(Submission, sub_id)
        meeting = submission.meeting
        assert submission.status.value == "approved" and submission.decided_at
        assert meeting.source.name == LOCAL_SOURCE and meeting.source.format == "local"
        assert meeting.slug == "serenity-seekers" and meeting.source_key == meeting.slug
        assert meeting.attendance_option == Attendance.HYBRID
        assert meeting.formatted_address == "4953 W Addison St, Chicago, IL 60641, USA"
        assert meeting.latitude == pytest.approx(41.85, abs=0.5)  # geocoded (city level)
        assert meeting.types == ("D", "O") and meeting.sequence == 0
        assert meeting.content_hash == record_of(meeting).content_hash()
        [audit] = db.session.execute(db.select(AuditRecord)).scalars().all()
        assert audit.moderator_id == moderator and audit.meeting_id == meeting.id
        assert audit.action == "approve new" and audit.created_at is not None
    assert "Serenity Seekers" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    export = client.get("/api/v1/meeting-guide.json?source=local")
    [entry] = export.get_json()
    assert entry["slug"] == "serenity-seekers" and entry["conference_url"].startswith("https://zoom.us/")
    assert entry["types"] == ["D", "O"] and entry["approximate"] == "no"
    assert CONTACT not in export.get_data(as_text=True) and "secretary" not in export.get_data(as_text=True)
    assert approve(client, sub_id).status_code == 303  # a second decision is refused
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(AuditRecord.id))).scalar() == 1


def test_approving_a_change_to_a_local_meeting_applies_it(app, client, moderator):
    meeting_id = local_meeting(app)
    with app.app_context():
        before = db.session.get(Meeting, meeting_id)
        old_hash, old_changed = before.content_hash, before.changed_at
    form = client.get(f"/meetings/{meeting_id}/suggest")  # prefilled; change two fields
    assert form.status_code == 200
    response = client.post("/api/v1/submissions", json={
        "kind": "change", "meeting_id": meeting_id, "name": "Tuesday Night Big Book",
        "day": 2, "time": "19:30", "end_time": "20:30", "timezone": "America/New_York",
        "attendance_option": "in_person", "address": "490 Riverside Dr", "city": "New York",
        "state": "NY", "postal_code": "10027", "country": "USA", "types": ["O", "B"],
        "location": "Church Hall", "contact": CONTACT})
    sub_id = submission_id(app, response.get_json()["reference"])
    review = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert "<del>Tuesday Night</del>" in review and "<ins>Tuesday Night Big Book</ins>" in review
    assert "<del>19:00</del>" in review and 'class="same"' in review
    approve(client, sub_id)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.name == "Tuesday Night Big Book" and meeting.time == "19:30"
        assert meeting.types == ("B", "O") and meeting.sequence == 1
        assert meeting.latitude == pytest.approx(40.8117)  # same address: coordinates kept
        assert meeting.content_hash != old_hash
        assert meeting.content_hash == record_of(meeting).content_hash()
        assert meeting.changed_at > old_changed and meeting.updated is not None


@pytest.mark.parametrize("kind", ["closure", "temporary_closure"])
def test_approving_closures_of_local_meetings(app, client, moderator, kind):
    meeting_id = local_meeting(app, conference_url="https://zoom.us/j/1",
                               attendance_option=Attendance.HYBRID)
    response = client.post("/api/v1/submissions", json={
        "kind": kind, "meeting_id": meeting_id, "contact": CONTACT})
    approve(client, submission_id(app, response.get_json()["reference"]))
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.sequence == 1
        if kind == "closure":
            assert meeting.removed_at is not None
        else:
            assert meeting.removed_at is None and "TC" in meeting.types
            assert meeting.attendance_option == Attendance.ONLINE  # the room is closed
            assert meeting.content_hash == record_of(meeting).content_hash()


def test_changes_to_imported_meetings_are_forwarded_not_applied(app, client, moderator):
    with app.app_context():
        source = factories.source(feedback_url="https://area.example.org/feedback")
        row = factories.meeting(source_id=source.id)
        db.session.commit()
        meeting_id, old_hash = row.id, row.content_hash
    response = client.post("/api/v1/submissions", json={
        "kind": "closure", "meeting_id": meeting_id, "contact": CONTACT})
    reference = response.get_json()["reference"]
    sub_id = submission_id(app, reference)
    review = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert "https://area.example.org/feedback" in review and "Forward to the source" in review
    approve(client, sub_id)
    with app.app_context():
        submission = db.session.get(Submission, sub_id)
        meeting = db.session.get(Meeting, meeting_id)
        assert submission.status.value == "forwarded"
        assert meeting.removed_at is None and meeting.content_hash == old_hash
        audit = db.session.execute(db.select(AuditRecord)).scalar_one()
        assert audit.action == "forward" and "area.example.org" in audit.detail
    receipt = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "https://area.example.org/feedback" in receipt and "Passed on" in receipt


def test_rejecting_needs_a_reason_and_records_it(app, client, moderator):
    sub_id = submission_id(app, submit_new(client))
    token = _token(client, sub_id)
    no_reason = client.post(f"/moderate/{sub_id}/reject", data={"csrf_token": token,
                                                               "reason": " "})
    assert no_reason.status_code == 303
    with app.app_context():
        assert db.session.get(Submission, sub_id).status.value == "pending"
    client.post(f"/moderate/{sub_id}/reject", data={"csrf_token": token,
                                                   "reason": "Duplicate of <b>another</b>"})
    with app.app_context():
        submission = db.session.get(Submission, sub_id)
        assert submission.status.value == "rejected" and submission.reason.startswith("Duplicate")
        audit = db.session.execute(db.select(AuditRecord)).scalar_one()
        assert audit.action == "reject" and audit.moderator_id == moderator
        assert db.session.execute(db.select(Meeting)).first() is None
        reference = submission.reference
    receipt = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "Duplicate of &lt;b&gt;another&lt;/b&gt;" in receipt and "Not accepted" in receipt
