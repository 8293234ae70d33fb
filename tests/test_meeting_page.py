"""The meeting page: times in both zones, where and how to join, and nothing unsafe in its links."""
from __future__ import annotations

from datetime import UTC, datetime

from finder.enums import Attendance
from finder.extensions import db
from finder.weekly import next_start
from tests import factories


def add(app, **fields) -> int:
    with app.app_context():
        row = factories.meeting(**fields)
        db.session.commit()
        return row.id


def test_shows_the_seekers_time_beside_the_meetings_own(app, client):
    # An online meeting in London at 19:00 on a Tuesday is 14:00 in New York in November.
    meeting_id = add(app, name="London Online", timezone="Europe/London", time="19:00",
                     end_time="20:00", attendance_option=Attendance.ONLINE,
                     formatted_address=None, latitude=None, longitude=None,
                     conference_url="https://zoom.us/j/123456789")
    page = client.get(f"/meetings/{meeting_id}?tz=America/New_York").get_data(as_text=True)
    # The zone is named by its place, never by its IANA id (issue 13).
    assert "Tuesday 19:00–20:00" in page and "London time" in page and "Europe/London" not in page
    assert "Your time: <strong>Tuesday 14:00</strong>" in page
    assert 'href="https://zoom.us/j/123456789"' in page
    # Same zone as the seeker: one time only.
    page = client.get(f"/meetings/{meeting_id}?tz=Europe/London").get_data(as_text=True)
    assert "Your time" not in page


def test_seeker_zone_from_the_cookie_and_spanish(app, client):
    meeting_id = add(app, time="18:00", end_time=None)
    client.set_cookie("tz", "Asia/Kolkata")
    page = client.get(f"/meetings/{meeting_id}?lang=es").get_data(as_text=True)
    assert "miércoles 04:30" in page  # Tuesday 18:00 in New York is Wednesday 04:30 in Kolkata
    assert 'lang="es"' in page


def test_unknown_zone_is_ignored(app, client):
    meeting_id = add(app)
    response = client.get(f"/meetings/{meeting_id}?tz=Mars/Olympus")
    assert response.status_code == 200
    assert "Your time" not in response.get_data(as_text=True)


def test_a_meeting_its_source_dropped_explains_itself(app, client):
    meeting_id = add(app, removed_at=datetime(2026, 11, 1, tzinfo=UTC))
    response = client.get(f"/meetings/{meeting_id}")
    assert response.status_code == 410
    assert "no longer listed" in response.get_data(as_text=True)
    assert client.get("/meetings/999999").status_code == 404


def test_text_is_escaped_and_only_web_links_are_linked(app, client):
    meeting_id = add(app, name="<script>alert(1)</script>", notes="<b>bold</b>",
                     url="javascript:alert(1)")
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "javascript:" not in page


def test_next_start_handles_the_week_and_dst():
    tuesday_evening = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 18:30 in New York
    start = next_start(2, "19:00", "America/New_York", tuesday_evening)
    assert start.isoformat() == "2026-11-24T19:00:00-05:00"
    start = next_start(2, "18:00", "America/New_York", tuesday_evening)
    assert start.isoformat() == "2026-12-01T18:00:00-05:00"
    # 02:30 on the spring-forward Sunday does not exist in New York: it happens at 03:30 EDT.
    start = next_start(0, "02:30", "America/New_York", datetime(2027, 3, 13, 12, tzinfo=UTC))
    assert start.isoformat() == "2027-03-14T03:30:00-04:00"
