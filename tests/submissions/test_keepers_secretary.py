"""Issue 14, the secretary's side: the add link, the zone from the address, bare links, the form
groups, and a status page that says what really happens."""
from __future__ import annotations

import re

import pytest

from finder.extensions import db
from finder.submissions.models import Submission, SubmissionStatus
from finder.submissions.rules import check_meeting, with_scheme
from tests import factories
from tests.submitting import NEW_MEETING, post_form

NO_ZONE = {**NEW_MEETING, "timezone": "", "conference_url": "zoom.us/j/123456789"}


@pytest.mark.parametrize(("typed", "stored"), [
    ("zoom.us/j/123456789", "https://zoom.us/j/123456789"),
    ("us02web.zoom.us/j/8765432109?pwd=abc", "https://us02web.zoom.us/j/8765432109?pwd=abc"),
    ("meet.google.com/abc-defg-hij", "https://meet.google.com/abc-defg-hij"),
    ("https://zoom.us/j/1", "https://zoom.us/j/1"),
    ("zoom meeting 123", "zoom meeting 123"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    (None, None),
])
def test_links_typed_without_a_scheme_get_https(typed, stored):
    assert with_scheme(typed) == stored


def test_a_bare_zoom_link_passes_the_rules_and_is_normalised():
    checked = check_meeting({**NEW_MEETING, "conference_url": "zoom.us/j/123456789", "url": "example.org/group"})
    assert checked.ok, checked.errors
    assert checked.fields["conference_url"] == "https://zoom.us/j/123456789"
    assert checked.fields["url"] == "https://example.org/group"


def test_the_zone_comes_from_the_address_when_none_is_chosen(app, client):
    response = post_form(client, "/submissions/new", NO_ZONE)
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        submission = db.session.execute(db.select(Submission)).scalar_one()
        assert submission.proposed["timezone"] == "America/Chicago"
        assert submission.proposed["conference_url"] == "https://zoom.us/j/123456789"


def test_the_zone_of_another_country_is_found_offline(app, client):
    data = {**NO_ZONE, "city": "Portland", "state": "OR", "postal_code": "", "country": ""}
    assert post_form(client, "/submissions/new", data).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(Submission)).scalar_one().proposed["timezone"] == \
            "America/Los_Angeles"


def test_an_online_meeting_needs_a_zone_from_the_list(client):
    data = {**NO_ZONE, "attendance_option": "online", "address": "", "location": ""}
    page = post_form(client, "/submissions/new", data)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert 'id="timezone-error"' in text and "time zone from the list" in text
    assert post_form(client, "/submissions/new", {**data, "timezone": "America/Los_Angeles"}).status_code == 303


def test_an_address_that_cannot_be_placed_asks_for_the_zone(client):
    data = {**NO_ZONE, "city": "Nowhereville Xq", "postal_code": "", "state": "", "country": ""}
    page = post_form(client, "/submissions/new", data)
    assert page.status_code == 400 and 'id="timezone-error"' in page.get_data(as_text=True)


def test_the_form_offers_a_zone_select_and_groups_its_fields(client):
    text = client.get("/submissions/new").get_data(as_text=True)
    assert '<select id="timezone" name="timezone"' in text
    assert 'input id="timezone"' not in text  # no free-text zone
    assert '<option value="America/Los_Angeles">Pacific Time (Los Angeles)</option>' in text
    assert re.search(r'<option value="" selected>From the address', text)
    legends = re.findall(r"<legend>([^<]+)", text)
    assert legends[:6] == ["About the meeting", "How people attend ", "When", "How often", "Where",
                           "Online"]
    assert 'class="in-person-only"' in text and 'fieldset class="online"' in text


def test_a_listing_in_an_uncommon_zone_keeps_it_in_the_select(app, client):
    with app.app_context():
        meeting_id = factories.meeting(timezone="Europe/Madrid").id
        db.session.commit()
    text = client.get(f"/meetings/{meeting_id}/suggest").get_data(as_text=True)
    assert '<option value="Europe/Madrid" selected>Europe/Madrid</option>' in text


def test_every_page_links_to_add_a_meeting(app, client):
    with app.app_context():
        meeting_id = factories.meeting().id
        db.session.commit()
    for path in ("/", f"/meetings/{meeting_id}", "/meetings", "/moderate/login"):
        assert '<a href="/submissions/new">Add a meeting</a>' in client.get(path).get_data(as_text=True), path


def test_empty_results_offer_to_add_a_meeting(client):
    text = client.get("/?q=nothing+matches+this+zzz").get_data(as_text=True)
    assert "No meetings match" in text and "Know a meeting that is missing? Add it." in text


def _reference(response) -> str:
    return response.headers["Location"].rsplit("/", 1)[1]


def test_status_page_of_a_new_meeting_says_a_moderator_reviews_it(client):
    reference = _reference(post_form(client, "/submissions/new", NEW_MEETING))
    text = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "A moderator will review it" in text and "Waiting for review" in text
    assert "passed on" not in text


def test_status_page_of_an_imported_meeting_without_feedback_address(app, client):
    with app.app_context():
        source = factories.source("oc", url="/srv/feeds/oc.json")
        meeting_id = factories.meeting(source_id=source.id).id
        db.session.commit()
    response = post_form(client, f"/meetings/{meeting_id}/suggest",
                         {"kind": "temporary_closure", "contact": "sec@example.org"})
    text = client.get(f"/submissions/{_reference(response)}").get_data(as_text=True)
    assert "oc publishes no feedback address" in text and "keep it on record" in text
    assert "/srv/feeds" not in text


def test_status_page_of_an_imported_meeting_with_feedback_address(app, client):
    with app.app_context():
        source = factories.source("intergroup", feedback_url="https://example.org/feedback")
        meeting_id = factories.meeting(source_id=source.id).id
        db.session.commit()
    response = post_form(client, f"/meetings/{meeting_id}/suggest",
                         {"kind": "closure", "contact": "sec@example.org"})
    reference = _reference(response)
    text = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "pass it on to example.org at:" in text and "https://example.org/feedback" in text
    with app.app_context():
        submission = db.session.execute(db.select(Submission)).scalar_one()
        submission.status = SubmissionStatus.FORWARDED
        db.session.commit()
    text = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "passed it on to example.org" in text and 'href="https://example.org/feedback"' in text


def test_status_page_shows_the_reason_of_a_rejection_and_the_link_of_an_approval(app, client):
    reference = _reference(post_form(client, "/submissions/new", NEW_MEETING))
    with app.app_context():
        submission = db.session.execute(db.select(Submission)).scalar_one()
        submission.status, submission.reason = SubmissionStatus.REJECTED, "Already <b>listed</b>"
        db.session.commit()
    text = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "Not accepted" in text and "Already &lt;b&gt;listed&lt;/b&gt;" in text
    with app.app_context():
        submission = db.session.execute(db.select(Submission)).scalar_one()
        submission.status, submission.reason = SubmissionStatus.APPROVED, None
        submission.meeting = factories.meeting()
        db.session.commit()
        meeting_id = submission.meeting.id
    text = client.get(f"/submissions/{reference}").get_data(as_text=True)
    assert "A moderator approved it." in text and f'href="/meetings/{meeting_id}"' in text


def test_the_api_takes_a_bare_link_and_no_zone_too(app, client):
    response = client.post("/api/v1/submissions", json={**NO_ZONE, "kind": "new"})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        proposed = db.session.execute(db.select(Submission)).scalar_one().proposed
    assert proposed["timezone"] == "America/Chicago"
    assert proposed["conference_url"] == "https://zoom.us/j/123456789"
    online = client.post("/api/v1/submissions", json={**NO_ZONE, "kind": "new", "address": "",
                                                      "attendance_option": "online"})
    assert online.status_code == 400 and "timezone" in online.get_json()["errors"]


def test_a_removed_meeting_shows_no_freshness_line(app, client):
    from finder.models import utcnow
    with app.app_context():
        meeting_id = factories.meeting(removed_at=utcnow()).id
        db.session.commit()
    page = client.get(f"/meetings/{meeting_id}")
    assert page.status_code == 410 and 'class="freshness' not in page.get_data(as_text=True)
