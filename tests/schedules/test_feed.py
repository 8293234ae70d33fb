"""Schedule feeds end to end over HTTP: both parsers agree with zoneinfo, and the feed's promises.

Every body fetched here goes through the linter and both parsers (``assert_parses``);
the zone test compares both expansions, every week to the end of 2030, with zoneinfo.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import icalendar
import pytest
import sqlalchemy as sa

from finder.enums import Attendance
from finder.models import Meeting
from finder.schedules.models import ScheduleMeeting
from finder.schedules.service import find_schedule, meeting_uid
from finder.weekly import duration
from tests.ical import helpers

API = "/api/v1/schedules"
#: When every pick was added, so the series start is the same on every day the tests run.
ADDED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RENDER_FEED = Path(__file__).with_name("render_feed.py")


@pytest.fixture
def make_schedule(client, db_session):
    """``make_schedule(meeting_ids, **settings)``: a schedule with these picks, added at ``ADDED``; its token."""
    def make(meeting_ids: list[int], **settings) -> str:
        token = client.post(API, json=settings).json["token"]
        for meeting_id in meeting_ids:
            assert client.post(f"{API}/{token}/meetings", json={"meeting_id": meeting_id}).status_code \
                == 201
        db_session.execute(sa.update(ScheduleMeeting).values(added_at=ADDED))
        db_session.commit()
        return token

    return make


@pytest.fixture
def uid_of(app):
    """``uid_of(token, meeting_id)``: the UID the schedule's feed gives a meeting."""
    def uid(token: str, meeting_id: int) -> str:
        with app.app_context():
            return meeting_uid(find_schedule(token), meeting_id)

    return uid


def ends(hhmm: str, minutes: int) -> str:
    start = datetime.combine(helpers.NOW.date(), time.fromisoformat(hhmm))
    return (start + timedelta(minutes=minutes)).strftime("%H:%M")


def unfolded(body: bytes) -> str:
    return body.decode().replace("\r\n ", "")


def vevents(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
            if "RECURRENCE-ID" not in e}


def test_every_zone_matches_zoneinfo_in_both_parsers(client, db_session, add_meeting, make_schedule,
                                                      uid_of, assert_parses):
    """Weekly meetings in eleven zones, at evening and DST-gap/fold times, through the endpoint."""
    meetings = [
        add_meeting(f"{zone}/{hhmm}", timezone=zone, day=day, time=hhmm,
                    end_time=ends(hhmm, minutes))
        for zone in helpers.ZONES for hhmm, day, minutes in helpers.SLOTS
    ]
    gone = add_meeting("removed", timezone="Australia/Sydney", time="07:00", day=6, end_time=None)
    meetings.append(gone)
    token = make_schedule([m.id for m in meetings])
    row = db_session.get(Meeting, gone.id)
    row.removed_at, row.sequence = gone.changed_at, gone.sequence + 1
    db_session.commit()
    truth_events = [
        SimpleNamespace(
            uid=uid_of(token, m.id), anchor=ADDED.date(), day=m.day, time=m.time,
            timezone=m.timezone, duration=duration(m.time, m.end_time), cancelled_dates=(),
            status="CANCELLED" if m.id == gone.id else "CONFIRMED",
        )
        for m in meetings
    ]
    response = client.get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    truth = helpers.expected_occurrences(truth_events, helpers.NOW, helpers.END)
    assert len(truth) > 56 * 200
    python, icaljs = assert_parses(response.data, token)
    assert python == truth, f"missing {sorted(truth - python)[:3]} extra {sorted(python - truth)[:3]}"
    assert icaljs == truth


def test_three_zone_feed_is_byte_identical_in_a_new_process(app, client, add_meeting, make_schedule,
                                                             assert_parses):
    meetings = [add_meeting("ny"), add_meeting("syd", timezone="Australia/Sydney", day=0),
                add_meeting("scl", timezone="America/Santiago", time="00:00", day=0,
                            conference_url="https://zoom.us/j/42",
                            attendance_option=Attendance.HYBRID)]
    token = make_schedule([m.id for m in meetings], reminder_minutes=10)
    body = client.get(f"/feeds/{token}.ics").data
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    config["SQLALCHEMY_ENGINE_OPTIONS"] = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(helpers.ROOT)}
    other = subprocess.run(
        [sys.executable, str(RENDER_FEED), json.dumps(config), token],
        env=env, capture_output=True, timeout=120,
    )
    assert other.returncode == 0, other.stderr.decode()[-2000:]
    assert other.stdout == body
    assert body.count(b"BEGIN:VTIMEZONE") == 3
    assert_parses(body, token)


def test_etag_304_head_and_headers(client, db_session, add_meeting, make_schedule, assert_parses):
    meeting = add_meeting("ny")
    token = make_schedule([meeting.id])
    url = f"/feeds/{token}.ics"
    first = client.get(url, headers={"Accept": "text/calendar"})
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in first.headers["Cache-Control"]
    assert first.headers["Referrer-Policy"] == "no-referrer"
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get(url).headers["ETag"] == etag
    assert_parses(first.data, token)
    text = unfolded(first.data)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "X-PUBLISHED-TTL:PT6H\r\n" in text

    cached = client.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.data == b""
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == etag
    assert int(head.headers["Content-Length"]) == len(first.data)

    # The source changes the meeting: new bytes, new ETag, higher SEQUENCE and LAST-MODIFIED.
    later = meeting.changed_at + timedelta(days=30)
    row = db_session.get(Meeting, meeting.id)
    row.time, row.sequence, row.changed_at = "19:30", row.sequence + 1, later
    db_session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    (event,) = vevents(changed.data).values()
    assert event["SEQUENCE"] == 1
    assert event["LAST-MODIFIED"].dt == later
    assert event.start.strftime("%H:%M") == "19:30"


def test_rotation_keeps_uids_and_kills_the_old_url(client, add_meeting, make_schedule, assert_parses):
    ids = [add_meeting("a").id, add_meeting("b", day=3).id]
    token = make_schedule(ids)
    before = client.get(f"/feeds/{token}.ics").data
    new = client.post(f"{API}/{token}/rotate").json["token"]
    assert client.get(f"/feeds/{token}.ics").status_code == 404
    after = client.get(f"/feeds/{new}.ics")
    assert after.status_code == 200
    assert after.data == before  # nothing in the body depends on the token
    assert len(vevents(after.data)) == 2
    assert_parses(after.data, new)
    # Another schedule with the same meetings gets other UIDs (no cross-feed correlation).
    other = make_schedule(ids)
    assert set(vevents(client.get(f"/feeds/{other}.ics").data)).isdisjoint(vevents(before))


def test_removed_inactive_and_closed_meetings_are_marked(client, db_session, add_meeting,
                                                          make_schedule, uid_of, assert_parses):
    removed = add_meeting("removed")
    closed = add_meeting("closed", day=2, attendance_option=Attendance.INACTIVE, types=("O", "TC"))
    online = add_meeting("online-tc", day=3, attendance_option=Attendance.ONLINE,
                         types=("TC",), conference_url="https://zoom.us/j/9",
                         conference_phone="+1 646 558 8656")
    token = make_schedule([removed.id, closed.id, online.id])
    uids = {key: uid_of(token, m.id)
            for key, m in (("removed", removed), ("closed", closed), ("online", online))}
    row = db_session.get(Meeting, removed.id)
    row.removed_at, row.sequence = removed.changed_at + timedelta(days=1), 1
    row.changed_at = row.removed_at
    db_session.commit()
    body = client.get(f"/feeds/{token}.ics").data
    events = vevents(body)
    assert set(events) == set(uids.values())  # the removed meeting did not vanish
    gone = events[uids["removed"]]
    assert (str(gone["STATUS"]), gone["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(gone["SUMMARY"]).startswith("Cancelled: ")
    shut = events[uids["closed"]]
    assert str(shut["STATUS"]) == "TENTATIVE"
    assert str(shut["SUMMARY"]).startswith("Temporarily closed: ")
    assert "LOCATION" not in shut and "GEO" not in shut
    web = events[uids["online"]]
    assert str(web["SUMMARY"]).endswith("(online only)")
    assert "LOCATION" not in web and "GEO" not in web
    assert "Join online: https://zoom.us/j/9" in str(web["DESCRIPTION"])
    assert "Join by phone: +1 646 558 8656" in str(web["DESCRIPTION"])
    assert [str(c) for c in web["CONFERENCE"]] == ["https://zoom.us/j/9", "tel:+16465588656"]
    python, _ = assert_parses(body, token)
    assert {o.status for o in python if o.uid == uids["removed"]} == {"CANCELLED"}
    assert {o.status for o in python if o.uid == uids["closed"]} == {"TENTATIVE"}


def test_in_person_meeting_has_location_and_geo(client, add_meeting, make_schedule, assert_parses):
    meeting_id = add_meeting("hall").id
    token = make_schedule([meeting_id])
    body = client.get(f"/feeds/{token}.ics").data
    assert_parses(body, token)
    (event,) = vevents(body).values()
    assert str(event["LOCATION"]).startswith("Alano Club, 490 Riverside Dr")
    assert (event["GEO"].latitude, event["GEO"].longitude) == (40.8117, -73.9626)
    assert str(event["URL"]) == f"http://localhost/meetings/{meeting_id}"


REVEALING = ("AA", "Big Book", "Alano", "Alcoholics", "Anonymous", "Step", "sober")


def test_discreet_titles_and_reminders(client, add_meeting, make_schedule, assert_parses):
    ids = [
        add_meeting("hall", notes="AA Big Book study, open to all", fellowship="aa",
                    location_notes="Side door, ring the bell\nAlano members: upstairs").id,
        add_meeting("zoom", day=4, attendance_option=Attendance.ONLINE,
                    conference_url="https://zoom.us/j/77", location=None,
                    conference_url_notes="Passcode: 7777\nAlcoholics Anonymous members only").id,
    ]
    token = make_schedule(ids)
    plain = unfolded(client.get(f"/feeds/{token}.ics").data)
    assert "AA Big Book Study hall" in plain and "Alcoholics Anonymous members only" in plain
    client.patch(f"{API}/{token}", json={"discreet": True, "reminder_minutes": 20})
    body = client.get(f"/feeds/{token}.ics").data
    text = unfolded(body)
    for word in REVEALING:
        assert word not in text, word
    events = sorted(vevents(body).values(), key=lambda e: str(e["SUMMARY"]))
    assert [str(e["SUMMARY"]) for e in events] == ["Meeting", "Meeting (online)"]
    assert str(events[0]["LOCATION"]) == "490 Riverside Dr, New York, NY 10027, USA"
    assert str(events[0]["DESCRIPTION"]) == "Side door, ring the bell"
    assert "Passcode: 7777" in str(events[1]["DESCRIPTION"])
    assert "https://zoom.us/j/77" in str(events[1]["DESCRIPTION"])
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm["TRIGGER"].dt == -timedelta(minutes=20)
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
        assert event["SEQUENCE"] == 1  # the display change raised SEQUENCE
    assert_parses(body, token)


def test_empty_schedule_feed_is_valid(client, assert_parses):
    token = client.post(API, json={"name": "Nothing yet"}).json["token"]
    body = client.get(f"/feeds/{token}.ics").data
    calendar = icalendar.Calendar.from_ical(body)
    calendar.validate()  # an empty VCALENDAR would be invalid: it carries a VTIMEZONE
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Nothing yet"
    assert assert_parses(body, token) == (set(), set())
