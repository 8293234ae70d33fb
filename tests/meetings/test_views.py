"""The meeting page and its calendar file: times in both zones, where and how to join, nothing unsafe."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from finder.enums import Attendance

#: A fixed creation and change time, so the calendar file is the same on every day the test runs.
CHANGED = datetime(2026, 6, 1, 12, 30, 45, tzinfo=UTC)


def test_shows_the_seekers_time_beside_the_meetings_own(client, make_meeting):
    # An online meeting in London at 19:00 on a Tuesday is 14:00 in New York in November.
    meeting_id = make_meeting(name="London Online", timezone="Europe/London", time="19:00",
                              end_time="20:00", attendance_option=Attendance.ONLINE,
                              formatted_address=None, latitude=None, longitude=None,
                              conference_url="https://zoom.us/j/123456789").id
    page = client.get(f"/meetings/{meeting_id}?tz=America/New_York").get_data(as_text=True)
    # The zone is named by its place, never by its IANA id (issue 13).
    assert "Tuesday 19:00–20:00" in page and "London time" in page and "Europe/London" not in page
    assert "Your time: <strong>Tuesday 14:00</strong>" in page
    assert 'href="https://zoom.us/j/123456789"' in page
    # Same zone as the seeker: one time only.
    page = client.get(f"/meetings/{meeting_id}?tz=Europe/London").get_data(as_text=True)
    assert "Your time" not in page


def test_seeker_zone_from_the_cookie_and_spanish(client, make_meeting):
    meeting_id = make_meeting(time="18:00", end_time=None).id
    client.set_cookie("tz", "Asia/Kolkata")
    page = client.get(f"/meetings/{meeting_id}?lang=es").get_data(as_text=True)
    assert "miércoles 04:30" in page  # Tuesday 18:00 in New York is Wednesday 04:30 in Kolkata
    assert 'lang="es"' in page


def test_unknown_zone_is_ignored(client, make_meeting):
    meeting_id = make_meeting().id
    response = client.get(f"/meetings/{meeting_id}?tz=Mars/Olympus")
    assert response.status_code == 200
    assert "Your time" not in response.get_data(as_text=True)


def test_a_meeting_its_source_dropped_explains_itself(client, make_meeting):
    meeting_id = make_meeting(removed_at=datetime(2026, 11, 1, tzinfo=UTC)).id
    response = client.get(f"/meetings/{meeting_id}")
    assert response.status_code == 410
    assert "no longer listed" in response.get_data(as_text=True)
    assert client.get("/meetings/999999").status_code == 404


def test_text_is_escaped_and_only_web_links_are_linked(client, make_meeting):
    meeting_id = make_meeting(name="<script>alert(1)</script>", notes="<b>bold</b>",
                              url="javascript:alert(1)").id
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "javascript:" not in page


def test_single_meeting_file(client, make_meeting, assert_parses):
    meeting_id = make_meeting(
        source_key="one", slug="one", name="AA Big Book Study one", location="Alano Club",
        timezone="Europe/Berlin", day=5, time="18:15", end_time="19:45",
        created_at=CHANGED, changed_at=CHANGED,
    ).id
    url = f"/meetings/{meeting_id}.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting_id}.ics"'
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get(url).data == response.data
    (event,) = [e for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT")
                if "RECURRENCE-ID" not in e]
    assert event["DURATION"].dt == timedelta(minutes=90)
    python, _ = assert_parses(response.data)
    first = min(o.start for o in python)
    assert first == "2026-11-27T17:15:00Z"  # Friday 18:15 CET
    discreet = client.get(f"{url}?discreet=1&reminder=15").data
    assert b"AA" not in discreet and b"BEGIN:VALARM" in discreet
    assert client.get(f"{url}?reminder=-1").status_code == 400
    assert client.get("/meetings/999999.ics").status_code == 404
