"""A plan's calendar speaks the language the plan was made (or last set) in: its name, its discreet
titles, "online", and the notices a calendar entry carries. Feeds are read by calendar apps that
send no language, so the plan remembers it."""
from __future__ import annotations

import icalendar
import pytest

from feeds.meetings import ENGLISH
from finder.enums import Attendance
from finder.web.feed_words import feed_words
from tests.submitting import csrf_token

API = "/api/v1/schedules"


def summaries(body: bytes) -> list[str]:
    return sorted(str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT"))


def sequence(body: bytes) -> int:
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return int(event["SEQUENCE"])


def calendar_name(body: bytes) -> str:
    return str(icalendar.Calendar.from_ical(body)["X-WR-CALNAME"])


@pytest.fixture
def two_meetings(add_meeting) -> list[int]:
    """An in-person meeting and an online one, both named after their fellowship."""
    return [add_meeting("hall").id,
            add_meeting("zoom", day=4, attendance_option=Attendance.ONLINE, location=None,
                        conference_url="https://zoom.us/j/77").id]


@pytest.mark.parametrize(("language", "name", "titles"), [
    ("es", "Mis reuniones", ["Reunión", "Reunión (en línea)"]),
    ("de", "Meine Meetings", ["Termin", "Termin (online)"]),
    ("fr", "Mes réunions", ["Réunion", "Réunion (en ligne)"]),
    ("pt", "Minhas reuniões", ["Reunião", "Reunião (on-line)"]),
    ("nl", "My meetings", ["Meeting", "Meeting (online)"]),  # a language we lack: English
])
def test_a_discreet_plan_is_titled_in_the_language_it_was_made_in(
        client, two_meetings, assert_parses, language, name, titles):
    made = client.post(API, json={"discreet": True}, headers={"Accept-Language": language})
    token = made.json["token"]
    for meeting_id in two_meetings:
        assert client.post(f"{API}/{token}/meetings", json={"meeting_id": meeting_id}).status_code == 201
    body = client.get(f"/feeds/{token}.ics").data  # a calendar app: no language at all
    assert calendar_name(body) == name
    assert summaries(body) == titles
    assert_parses(body, token)


def test_saving_the_settings_in_another_language_rewords_the_feed(client, two_meetings):
    token_page = client.post("/plan/meetings?lang=en", data={
        "meeting_id": two_meetings[1], "csrf_token": csrf_token(client, f"/meetings/{two_meetings[1]}")})
    # The page stays on the meeting; the new plan's token is in its cookie.
    token = next(cookie.split(";")[0].removeprefix("plan=") for cookie in token_page.headers.getlist("Set-Cookie")
                 if cookie.startswith("plan="))
    before = client.get(f"/feeds/{token}.ics").data
    assert summaries(before) == ["AA Big Book Study zoom (online)"]
    page = f"/schedules/{token}?lang=fr"
    client.post(f"/schedules/{token}/settings", data={
        "name": "Semaine", "discreet": "on", "reminder_minutes": "", "csrf_token": csrf_token(client, page)})
    after = client.get(f"/feeds/{token}.ics").data
    assert summaries(after) == ["Réunion (en ligne)"]
    assert sequence(after) > sequence(before)  # every entry changed: calendars refresh them


def test_a_single_meeting_download_follows_the_page_language(client, add_meeting):
    meeting_id = add_meeting("closed", attendance_option=Attendance.INACTIVE, types=("TC",)).id
    body = client.get(f"/meetings/{meeting_id}.ics?discreet=1&lang=pt").data
    assert summaries(body) == ["Fechada temporariamente: Reunião"] and calendar_name(body) == "Reunião"
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]).startswith("O local está fechado temporariamente.")


def test_the_english_words_are_the_feeds_own_defaults(app):
    """The feed module's built-in English and the catalogue's English are the same words."""
    with app.test_request_context("/?lang=en"):
        assert feed_words("en") == ENGLISH
        assert feed_words("xx") == ENGLISH
