"""Issue 14, attendees' problem reports: the form, the rate limit, the three-client mark within
14 days, the moderator's clearing, and migration 0007 on both engines."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from finder.extensions import db
from finder.reports.models import MeetingReport
from finder.reports.service import marked
from finder.schema import ensure_schema
from tests import factories
from tests.submitting import csrf_token, log_in, make_moderator

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_three_different_clients_within_fourteen_days_mark_a_meeting():
    assert marked([("a", T0), ("b", T0 + timedelta(days=6)), ("c", T0 + timedelta(days=14))])
    assert not marked([("a", T0), ("b", T0 + timedelta(days=6)), ("c", T0 + timedelta(days=15))])
    assert not marked([("a", T0), ("a", T0 + timedelta(hours=1)), ("b", T0 + timedelta(hours=2))])
    assert marked([("a", T0), ("b", T0 + timedelta(days=20)), ("c", T0 + timedelta(days=21)),
                   ("d", T0 + timedelta(days=22))])
    assert not marked([])


@pytest.fixture
def meeting_id(app) -> int:
    with app.app_context():
        row = factories.meeting()
        db.session.commit()
        return row.id


def report(client, meeting_id: int, address: str = "192.0.2.1", **data):
    path = f"/meetings/{meeting_id}/report"
    env = {"REMOTE_ADDR": address}
    token = csrf_token(client, path)
    return client.post(path, data={"reason": "nobody_there", **data, "csrf_token": token},
                       environ_base=env)


def test_the_meeting_page_links_to_the_report_form(client, meeting_id):
    assert f'href="/meetings/{meeting_id}/report">Report a problem</a>' in \
        client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    form = client.get(f"/meetings/{meeting_id}/report").get_data(as_text=True)
    for label in ("Nobody was there", "The link or phone number does not work", "It has moved",
                  "The time is wrong", "Something else"):
        assert label in form
    assert set(re.findall(r'<(?:input|textarea)[^>]* name="([^"]+)"', form)) == {"csrf_token", "reason", "note"}


def test_a_report_is_stored_without_contact_and_thanked(app, client, meeting_id):
    response = report(client, meeting_id, note="  Door <b>locked</b>  ")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{meeting_id}")
    assert "Thank you. A moderator will look at this listing." in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    with app.app_context():
        stored = db.session.execute(db.select(MeetingReport)).scalar_one()
        assert stored.note == "Door <b>locked</b>" and stored.reason.value == "nobody_there"
        assert "192.0.2.1" not in stored.client_hash and len(stored.client_hash) == 32


@pytest.mark.parametrize(("data", "field"), [({"reason": "bored"}, "reason"),
                                             ({"note": "x" * 281}, "note")])
def test_bad_reports_are_refused_beside_the_field(app, client, meeting_id, data, field):
    response = report(client, meeting_id, **data)
    assert response.status_code == 400 and f'id="{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingReport)) == 0


def test_reports_are_rate_limited_per_client(app, client, meeting_id):
    app.config["REPORTS_RATE_LIMIT"] = "2 per hour"
    assert report(client, meeting_id).status_code == 303
    assert report(client, meeting_id).status_code == 303
    refused = report(client, meeting_id)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many reports" in refused.get_data(as_text=True)
    assert report(client, meeting_id, address="192.0.2.99").status_code == 303


def test_three_clients_mark_the_meeting_until_a_moderator_clears_it(app, client, meeting_id):
    page = f"/meetings/{meeting_id}"
    report(client, meeting_id, "192.0.2.1")
    report(client, meeting_id, "192.0.2.1", reason="wrong_time")  # the same client counts once
    report(client, meeting_id, "192.0.2.2", reason="moved")
    assert "Several people reported a problem" not in client.get(page).get_data(as_text=True)
    report(client, meeting_id, "192.0.2.3", reason="other", note="Sign says closed")
    assert "Several people reported a problem" in client.get(page).get_data(as_text=True)

    make_moderator(app)
    log_in(client)
    queue = client.get("/moderate").get_data(as_text=True)
    assert "1 meeting has problem reports" in queue
    assert f'href="/moderate/reports/{meeting_id}"' in queue and "Reported: Tuesday Night" in queue
    assert "4 reports" in queue and "Nobody was there, The time is wrong, It has moved, Something else" in queue
    detail = client.get(f"/moderate/reports/{meeting_id}").get_data(as_text=True)
    assert "Sign says closed" in detail and "192.0.2" not in detail
    cleared = client.post(f"/moderate/reports/{meeting_id}/clear",
                          data={"csrf_token": csrf_token(client, f"/moderate/reports/{meeting_id}")})
    assert cleared.status_code == 303
    text = client.get("/moderate").get_data(as_text=True)
    assert "Cleared 4 report(s) of “Tuesday Night”." in text and "0 meetings have problem reports" in text
    page_text = client.get(page).get_data(as_text=True)
    assert "Several people reported a problem" not in page_text
    assert "Last confirmed" in page_text  # clearing is a moderator's confirmation


def test_clearing_needs_a_moderator(client, meeting_id):
    response = client.post(f"/moderate/reports/{meeting_id}/clear")
    assert response.status_code in (302, 400)


@pytest.fixture
def empty_app(make_app, db_config):
    return make_app(db_config)  # no tables yet: the migrations make them


def test_migration_0007_adds_and_removes_the_reports_table(empty_app):
    with empty_app.app_context():
        ensure_schema()
        inspector = sa.inspect(db.engine)
        assert "meeting_reports" in inspector.get_table_names()
        assert {ix["name"] for ix in inspector.get_indexes("meeting_reports")} >= {
            "ix_meeting_reports_open", "ix_meeting_reports_client_hash"}
        db.session.remove()
        downgrade(revision="0005")
        assert "meeting_reports" not in sa.inspect(db.engine).get_table_names()
        assert "meetings" in sa.inspect(db.engine).get_table_names()
        upgrade(revision="0007")
        assert "meeting_reports" in sa.inspect(db.engine).get_table_names()
