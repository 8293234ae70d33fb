"""Issue 14, the moderator's side: one message with a link, a compact queue, a review page with
an h1, a distinct Reject, where the address lands and the look-alike listings."""
from __future__ import annotations

import re

import pytest

from finder.enums import Attendance
from finder.extensions import db
from finder.moderation.preview import tiles_around
from finder.submissions.models import Submission
from tests import factories
from tests.submitting import NEW_MEETING, csrf_token, log_in, make_moderator


@pytest.fixture
def moderator(app, client) -> int:
    moderator_id = make_moderator(app)
    assert log_in(client).status_code == 303
    return moderator_id


def submit(client, **changes) -> int:
    response = client.post("/api/v1/submissions", json={**NEW_MEETING, "kind": "new", **changes})
    assert response.status_code == 201, response.get_json()
    reference = response.get_json()["reference"]
    return db.session.execute(db.select(Submission.id).where(Submission.reference == reference)).scalar_one()


def test_approving_shows_one_message_with_a_link_to_the_meeting(app, client, moderator):
    with app.app_context():
        sub_id = submit(client)
    response = client.post(f"/moderate/{sub_id}/approve",
                           data={"csrf_token": csrf_token(client, f"/moderate/{sub_id}")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/moderate")
    text = client.get("/moderate").get_data(as_text=True)
    with app.app_context():
        meeting_id = db.session.get(Submission, sub_id).meeting_id
    assert text.count("Approved: “Serenity Seekers” is listed now.") == 1
    assert f'<a href="/meetings/{meeting_id}">See the meeting</a>' in text
    assert "approve new" not in text


def test_the_queue_is_one_line_a_submission(app, client, moderator):
    with app.app_context():
        ids = [submit(client, name=f"Group {n}") for n in range(3)]
    text = client.get("/moderate").get_data(as_text=True)
    assert "3 submissions wait for review" in text
    lines = re.findall(r'<li><a href="/moderate/(\d+)">', text)
    assert [int(i) for i in lines] == ids
    assert "<table" not in text  # no diffs in the queue


def test_the_review_has_an_h1_and_a_reject_that_looks_different(app, client, moderator):
    with app.app_context():
        sub_id = submit(client)
    text = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert re.search(r"<h1>New meeting: Serenity Seekers</h1>", text)
    assert '<button type="submit" class="danger">Reject</button>' in text
    assert re.search(r'<button type="submit">Approve and apply</button>', text)


def test_the_review_shows_where_the_address_lands_without_tiles(app, client, moderator):
    app.config["TILE_URL"] = ""
    with app.app_context():
        sub_id = submit(client)
    text = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert "Where the address lands" in text
    match = re.search(r'class="coordinates">(-?\d+\.\d{5}), (-?\d+\.\d{5}) · America/Chicago', text)
    assert match and abs(float(match[1]) - 41.85) < 0.5
    assert "openstreetmap.org/?mlat=" in text and "<svg" not in text


def test_the_map_preview_uses_only_the_configured_tile_server(app, client, moderator):
    app.config["TILE_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    with app.app_context():
        sub_id = submit(client)
    text = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    sources = re.findall(r'<image href="([^"]+)"', text)
    assert 1 <= len(sources) <= 4
    assert all(s.startswith("https://tiles.example.org/15/") for s in sources)
    assert not re.findall(r'(?:src|href)="https?://(?!tiles\.example\.org|www\.openstreetmap\.org)', text)


def test_tiles_cover_the_frame_around_the_point(app):
    app.config["TILE_URL"] = "https://{s}.tile.example/{z}/{x}/{y}.png"
    with app.test_request_context():
        tiles = tiles_around(41.8781, -87.6298)
    assert all(-255 <= t.x <= 0 or 0 <= t.x < 256 for t in tiles)
    covered = {(x, y) for t in tiles for x in (t.x, t.x + 255) for y in (t.y, t.y + 255)}
    assert min(x for x, _ in covered) <= 0 and max(x for x, _ in covered) >= 255
    assert tiles[0].url.startswith("https://a.tile.example/15/")


def test_the_review_warns_of_listed_meetings_at_the_same_time(app, client, moderator):
    with app.app_context():
        room = factories.meeting(name="Same Room Group", slug="room", day=2, time="19:00",
                                 attendance_option=Attendance.ONLINE, latitude=None, longitude=None,
                                 conference_url="https://us02web.zoom.us/j/123456789?pwd=x")
        room_id = room.id
        db.session.commit()
        sub_id = submit(client)
    text = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    lat, lon = map(float, re.search(r'class="coordinates">(-?[\d.]+), (-?[\d.]+)', text).groups())
    with app.app_context():
        near = factories.meeting(name="Near Group", slug="near", day=2, time="19:00",
                                 latitude=lat + 0.0005, longitude=lon)
        factories.meeting(name="Far Group", slug="far", day=2, time="19:00", latitude=lat + 0.01, longitude=lon)
        factories.meeting(name="Other Day", slug="other-day", day=3, time="19:00", latitude=lat, longitude=lon)
        near_id = near.id
        db.session.commit()
    text = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert "Possible duplicate:" in text
    assert f'href="/meetings/{room_id}">Same Room Group</a>' in text and "same conference room" in text
    assert f'href="/meetings/{near_id}">Near Group</a>' in text and "56 m away" in text
    assert "Far Group" not in text and "Other Day" not in text


def test_no_warning_when_nothing_is_alike(app, client, moderator):
    with app.app_context():
        sub_id = submit(client)
    text = client.get(f"/moderate/{sub_id}").get_data(as_text=True)
    assert "None within 100 m or in the same conference room." in text
    assert "Possible duplicate" not in text
