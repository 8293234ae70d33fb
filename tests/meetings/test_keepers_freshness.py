"""Issue 14, freshness: when a listing was last confirmed, on its page, in the API and the export."""
from __future__ import annotations

from datetime import timedelta

from finder.extensions import db
from finder.models import utcnow
from finder.submissions.models import AuditRecord
from finder.submissions.service import local_source
from tests import factories


def _meeting(app, *, days_ago: int | None, **source_fields) -> int:
    with app.app_context():
        success = utcnow() - timedelta(days=days_ago) if days_ago is not None else None
        source = factories.source("feed", last_success_at=success, **source_fields)
        meeting_id = factories.meeting(source_id=source.id).id
        db.session.commit()
        return meeting_id


def test_a_recent_import_confirms_the_listing(app, client):
    meeting_id = _meeting(app, days_ago=2)
    text = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert '<p class="freshness">Last confirmed' in text and "Not confirmed" not in text


def test_a_listing_unconfirmed_for_90_days_is_labelled(app, client):
    meeting_id = _meeting(app, days_ago=91)
    text = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert '<p class="freshness stale">Not confirmed since' in text


def test_a_failing_or_flagged_source_is_labelled_even_when_recent(app, client):
    meeting_id = _meeting(app, days_ago=3, failures=2)
    text = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Not confirmed since" in text and "Its source could not be read lately." in text
    with app.app_context():
        source = factories.source("feed")
        source.failures, source.flagged_at = 0, utcnow()
        db.session.commit()
    assert "Its source could not be read lately." in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)


def test_a_never_imported_listing_is_not_confirmed_yet(app, client):
    meeting_id = _meeting(app, days_ago=None)
    assert "Not confirmed yet." in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)


def test_a_moderators_approval_confirms_a_local_meeting(app, client):
    with app.app_context():
        meeting = factories.meeting(source_id=local_source().id)
        db.session.add(AuditRecord(action="approve new", meeting_id=meeting.id,
                                   created_at=utcnow() - timedelta(days=10)))
        db.session.add(AuditRecord(action="reject", meeting_id=meeting.id, created_at=utcnow()))
        meeting_id = meeting.id
        db.session.commit()
    text = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert '<p class="freshness">Last confirmed' in text
    data = client.get(f"/api/v1/meetings/{meeting_id}").get_json()
    assert data["last_confirmed"] == (utcnow() - timedelta(days=10)).date().isoformat()


def test_the_api_and_the_export_carry_the_date(app, client):
    meeting_id = _meeting(app, days_ago=5)
    day = (utcnow() - timedelta(days=5)).date().isoformat()
    assert client.get(f"/api/v1/meetings/{meeting_id}").get_json()["last_confirmed"] == day
    listed = client.get("/api/v1/meetings").get_json()["meetings"]
    assert [m["last_confirmed"] for m in listed] == [day]
    exported = client.get("/api/v1/meeting-guide.json").get_json()
    assert [m["last_confirmed"] for m in exported] == [day]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "last_confirmed" in spec["components"]["schemas"]["Meeting"]["properties"]


def test_a_never_confirmed_meeting_has_null_in_the_api_and_no_field_in_the_export(app, client):
    meeting_id = _meeting(app, days_ago=None)
    assert client.get(f"/api/v1/meetings/{meeting_id}").get_json()["last_confirmed"] is None
    assert "last_confirmed" not in client.get("/api/v1/meeting-guide.json").get_json()[0]


def test_pages_show_a_sources_display_name_not_its_key(app, client, runner):
    result = runner.invoke(args=["sources", "add", "oc", "https://example.org/oc.json", "--format",
                                 "meeting-guide", "--fellowship", "aa", "--display-name",
                                 "Orange County Intergroup"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        meeting_id = factories.meeting(source_id=factories.source("oc").id).id
        local_id = factories.meeting(source_id=local_source().id, slug="local-one").id
        db.session.commit()
    text = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Listed by Orange County Intergroup." in text and "Listed by oc" not in text
    assert "Listed by this site." in client.get(f"/meetings/{local_id}").get_data(as_text=True)
    assert "Publicada por este sitio." in client.get(f"/meetings/{local_id}?lang=es").get_data(as_text=True)
    form = client.get(f"/meetings/{meeting_id}/suggest?lang=en").get_data(as_text=True)
    assert "listed by Orange County Intergroup" in form


def test_the_all_meetings_list_and_a_new_plans_title_follow_the_language(app, client):
    with app.app_context():
        factories.meeting()
        db.session.commit()
    text = client.get("/meetings?lang=es").get_data(as_text=True)
    assert "<h1>Todas las reuniones</h1>" in text and "1 reunión publicada." in text
    from finder.schedules.service import create_schedule
    with app.test_request_context("/?lang=es"):
        schedule, _token = create_schedule()
        assert schedule.name == "Mis reuniones"
    with app.test_request_context("/"):
        assert create_schedule()[0].name == "My meetings"
