"""How often a submitted meeting meets, in the moderator's review: shown as a sentence in the
diff, changed by the moderator before approving, and stored by the approval."""
from __future__ import annotations

import html
from datetime import date

import pytest
import sqlalchemy as sa

from finder.models import Meeting
from finder.pattern import MONTHLY, WEEKS, Recurrence
from finder.submissions.models import AuditRecord, Submission


@pytest.fixture
def review(client):
    return lambda sub_id: html.unescape(client.get(f"/moderate/{sub_id}").get_data(as_text=True))


def test_a_moderator_changes_the_pattern_and_approval_stores_it(
        client, db_session, logged_in, submit_new, submission_id, csrf_token, review):
    sub_id = submission_id(submit_new(recurrence={"kind": "monthly", "nths": [1, 3]}))
    page = review(sub_id)
    assert "First and third Tuesday of the month, 19:00" in page  # in the diff
    assert 'name="nths" value="3" checked' in page  # the edit form starts from it
    token = csrf_token(f"/moderate/{sub_id}")
    response = client.post(f"/moderate/{sub_id}/recurrence", data={
        "csrf_token": token, "repeat": "monthly", "nths": ["2", "-1"], "cancelled": "2030-12-31"})
    assert response.status_code == 303
    assert "Second and last Tuesday of the month, 19:00" in review(sub_id)
    assert db_session.get(Submission, sub_id).proposed["recurrence"] == {
        "kind": "monthly", "nths": [2, -1], "cancelled": ["2030-12-31"]}
    audit = db_session.scalars(sa.select(AuditRecord).where(AuditRecord.action == "edit recurrence")).one()
    assert audit.detail == "Second and last Tuesday of the month, 19:00"
    client.post(f"/moderate/{sub_id}/approve", data={"csrf_token": token})
    db_session.expire_all()
    meeting = db_session.get(Submission, sub_id).meeting
    assert meeting.recurrence == Recurrence(kind=MONTHLY, nths=(2, -1), cancelled=(date(2030, 12, 31),))
    assert meeting.recurrence_kind == MONTHLY
    page = html.unescape(client.get(f"/meetings/{meeting.id}").get_data(as_text=True))
    assert "Second and last Tuesday of the month, 19:00" in page


def test_a_bad_pattern_from_the_moderator_is_refused_with_the_reason(
        client, db_session, logged_in, submit_new, submission_id, csrf_token):
    sub_id = submission_id(submit_new())
    response = client.post(f"/moderate/{sub_id}/recurrence", data={
        "csrf_token": csrf_token(f"/moderate/{sub_id}"), "repeat": "weeks", "every_weeks": "3",
        "anchor": "2030-01-02"})  # a Wednesday; the meeting is on Tuesdays
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Give a date it meets, on its day" in page
    assert 'name="repeat" value="weeks" checked' in page and 'value="2030-01-02"' in page
    assert db_session.get(Submission, sub_id).proposed["recurrence"] is None


def test_a_change_to_a_local_meeting_can_make_it_every_other_week(
        client, db_session, logged_in, local_meeting, submission_id, csrf_token, new_meeting, review):
    meeting_id = local_meeting(day=2, time="19:00")
    response = client.post("/api/v1/submissions", json={
        "kind": "change", "meeting_id": meeting_id, "name": "Tuesday Night", "day": 2,
        "time": "19:00", "timezone": "America/New_York", "attendance_option": "in_person",
        "address": "490 Riverside Dr", "city": "New York", "state": "NY", "postal_code": "10027",
        "recurrence": {"kind": "weeks", "interval": 2, "anchor": "2030-01-01"},
        "contact": new_meeting["contact"]})
    assert response.status_code == 201, response.get_json()
    sub_id = submission_id(response.get_json()["reference"])
    page = review(sub_id)
    assert "<del>Every Tuesday, 19:00</del>" in page and "<ins>Every other Tuesday, 19:00</ins>" in page
    client.post(f"/moderate/{sub_id}/approve", data={"csrf_token": csrf_token(f"/moderate/{sub_id}")})
    db_session.expire_all()
    meeting = db_session.get(Meeting, meeting_id)
    assert meeting.recurrence.kind == WEEKS and meeting.sequence == 1
