"""The plan pages: add from a meeting page, the week at a glance, settings, new link, delete."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from finder.enums import Attendance
from finder.schedules.models import Schedule


@pytest.fixture
def add_meetings(make_meeting):
    """``add_meetings(*fields)``: one meeting per mapping of fields; their ids."""
    def add(*rows: dict) -> list[int]:
        return [make_meeting(**row).id for row in rows]

    return add


@pytest.fixture
def pick(client, csrf_token):
    """``pick(meeting_id)``: press "Add to my plan" on the meeting's page."""
    def press(meeting_id: int):
        token = csrf_token(f"/meetings/{meeting_id}")
        return client.post("/plan/meetings", data={"meeting_id": meeting_id, "csrf_token": token})

    return press


def plan_token(response) -> str:
    """The plan's token: from the manage page it leads to, else from the cookie it sets."""
    manage = re.search(r"/schedules/([^/?#]+)$", response.headers["Location"])
    return manage[1] if manage else re.match(r"plan=([^;]+);", response.headers["Set-Cookie"])[1]


def test_adding_makes_one_plan_per_browser_and_remembers_it(client, db_session, add_meetings, pick):
    first, second = add_meetings({"slug": "a", "name": "Morning"}, {"slug": "b", "name": "Evening"})
    response = pick(first)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{first}"  # it stays on the meeting's page
    token = plan_token(response)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"plan={token};") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert plan_token(pick(second)) == token
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Schedule)) == 1
    assert client.get("/plan").headers["Location"].endswith(f"/schedules/{token}")
    meeting_page = client.get(f"/meetings/{second}").get_data(as_text=True)
    assert "Added “Evening” to your plan." in meeting_page
    assert "This meeting is in your plan." in meeting_page and "Add to my plan" not in meeting_page
    page = client.get(f"/schedules/{token}").get_data(as_text=True)
    assert "Morning" in page and "Evening" in page
    assert f"webcal://localhost/feeds/{token}.ics" in page
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Flocalhost%2Ffeeds%2F" in page
    assert "every several hours" in page


def test_adding_keeps_the_search_it_was_found_by(client, csrf_token, add_meetings):
    (meeting_id,) = add_meetings({"name": "Noon"})
    page = client.get(f"/meetings/{meeting_id}?search=near%3DIrvine%26evil%3D1").get_data(as_text=True)
    assert 'href="/?near=Irvine">' in page  # back to the results, only the search's own parameters
    assert '<input type="hidden" name="search" value="near=Irvine">' in page
    response = client.post("/plan/meetings", data={
        "meeting_id": meeting_id, "search": "near=Irvine", "csrf_token": csrf_token(f"/meetings/{meeting_id}")})
    assert response.headers["Location"] == f"/meetings/{meeting_id}?search=near%3DIrvine"
    assert 'href="/?near=Irvine">' in client.get(response.headers["Location"]).get_data(as_text=True)


def test_adding_without_a_csrf_token_is_refused(client, add_meetings):
    (meeting_id,) = add_meetings({})
    assert client.post("/plan/meetings", data={"meeting_id": meeting_id}).status_code == 400
    assert client.get("/plan").status_code == 200  # still no plan


def test_the_week_is_grouped_in_the_seekers_zone_and_flags_overlaps(client, add_meetings, pick):
    # Tuesday 01:00 in London is Monday 20:00 in New York: it belongs to the seeker's Monday,
    # where it overlaps a New York Monday 19:30-20:30 meeting.
    london, new_york, alone = add_meetings(
        {"slug": "l", "name": "London Late", "day": 2, "time": "01:00", "end_time": "02:00",
         "timezone": "Europe/London", "attendance_option": Attendance.ONLINE,
         "conference_url": "https://zoom.us/j/111222333", "formatted_address": None,
         "latitude": None, "longitude": None},
        {"slug": "n", "name": "Harlem Monday", "day": 1, "time": "19:30", "end_time": "20:30"},
        {"slug": "t", "name": "Thursday Step", "day": 4, "time": "12:00"},
    )
    for meeting_id in (london, new_york, alone):
        response = pick(meeting_id)
    token = plan_token(response)
    client.set_cookie("tz", "America/New_York")
    page = client.get(f"/schedules/{token}").get_data(as_text=True)
    monday = page[page.index("<h3>Monday</h3>"):page.index("<h3>Thursday</h3>")]
    assert "London Late" in monday and "Harlem Monday" in monday
    assert "Monday 20:00" in monday and "(Tuesday 01:00–02:00 London time)" in monday
    assert "Overlaps with London Late" in monday and "Overlaps with Harlem Monday" in monday
    thursday = page[page.index("<h3>Thursday</h3>"):]
    assert "Thursday Step" in thursday and "Overlaps" not in thursday.split("</ul>")[0]


def test_rename_discreet_remove_rotate_and_delete(client, db_session, csrf_token, add_meetings, pick):
    first, second = add_meetings({"slug": "a", "name": "Morning"}, {"slug": "b", "name": "Evening"})
    pick(first)
    token = plan_token(pick(second))
    manage = f"/schedules/{token}"

    response = client.post(f"{manage}/settings", data={
        "csrf_token": csrf_token(manage), "name": "  My <b>week</b> ",
        "discreet": "1", "reminder_minutes": "30"})
    assert response.status_code == 302
    page = client.get(manage).get_data(as_text=True)
    assert "<h1>My &lt;b&gt;week&lt;/b&gt;</h1>" in page
    schedule = db_session.scalar(sa.select(Schedule))
    assert (schedule.discreet, schedule.reminder_minutes) == (True, 30)

    bad = client.post(f"{manage}/settings", data={"csrf_token": csrf_token(manage), "name": " "})
    assert "must be 1 to 120 characters" in client.get(bad.headers["Location"]).get_data(as_text=True)

    client.post(f"{manage}/meetings/{first}/remove", data={"csrf_token": csrf_token(manage)})
    page = client.get(manage).get_data(as_text=True)
    assert f'id="m-{first}"' not in page and f'id="m-{second}"' in page

    response = client.post(f"{manage}/rotate", data={"csrf_token": csrf_token(manage)})
    new_token = plan_token(response)
    assert new_token != token
    assert f"plan={new_token};" in response.headers["Set-Cookie"]
    assert client.get(manage).status_code == 404
    assert client.get(f"/feeds/{token}.ics").status_code == 404
    assert client.get(f"/feeds/{new_token}.ics").status_code == 200

    new_manage = f"/schedules/{new_token}"
    response = client.post(f"{new_manage}/delete", data={"csrf_token": csrf_token(new_manage)})
    assert response.headers["Location"].endswith("/plan")
    assert "plan=;" in response.headers["Set-Cookie"]
    assert client.get(new_manage).status_code == 404
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Schedule)) == 0


def test_forms_of_an_unknown_plan_are_404(client, csrf_token, add_meetings):
    (meeting_id,) = add_meetings({})
    token = csrf_token(f"/meetings/{meeting_id}")
    for action in ("settings", "rotate", "delete", f"meetings/{meeting_id}/remove"):
        assert client.post(f"/schedules/nope/{action}", data={"csrf_token": token}).status_code == 404


def test_a_meeting_that_left_its_source_cannot_be_added(client, csrf_token, add_meetings):
    (meeting_id,) = add_meetings({"removed_at": datetime(2026, 11, 1, tzinfo=UTC)})
    token = csrf_token("/submissions/new")
    response = client.post("/plan/meetings", data={"meeting_id": meeting_id, "csrf_token": token})
    assert response.headers["Location"].endswith(f"/meetings/{meeting_id}")
    assert "can no longer be added" in client.get(response.headers["Location"]).get_data(as_text=True)
    bad = client.post("/plan/meetings", data={"meeting_id": "nope", "csrf_token": token})
    assert bad.status_code == 400
