"""Feeds answer 304s and warm hits from stamps: one small query, the same bytes as a fresh render,
and a new ETag and body for every change a calendar must see."""
from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from finder.extensions import db
from finder.models import Meeting
from finder.schedules import service
from finder.schedules.service import feed_stamp, find_schedule, schedule_feed
from finder.web.responses import meeting_pages
from tests.statements import statements_run

API = "/api/v1/schedules"


def statements(app):
    """Collect the SQL statements run inside the block."""
    with app.app_context():
        engine = db.engine
    return statements_run(engine)


@pytest.fixture
def plan(client, add_meeting):
    """A plan with two meetings; (token, feed URL, meeting ids)."""
    ids = [add_meeting("a").id, add_meeting("b", day=3).id]
    token = client.post(API, json={"name": "Week"}).json["token"]
    for meeting_id in ids:
        assert client.post(f"{API}/{token}/meetings", json={"meeting_id": meeting_id}).status_code == 201
    return token, f"/feeds/{token}.ics", ids


def fresh(app, token: str) -> bytes:
    """The feed rendered now from the database, past every cache of the view."""
    with app.test_request_context():
        pages = meeting_pages()
        return schedule_feed(find_schedule(token), lambda meeting_id: f"{pages}/{meeting_id}")[0]


def same_calendar(body: bytes, other: bytes) -> None:
    assert body == other
    assert icalendar.Calendar.from_ical(body) == icalendar.Calendar.from_ical(other)


def test_304_and_warm_hit_cost_one_query_and_no_rendering(app, client, plan):
    token, url, _ = plan
    first = client.get(url)
    etag = first.headers["ETag"]
    same_calendar(first.data, fresh(app, token))
    with statements(app) as seen:
        unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag
    assert len(seen) == 1, seen  # the stamps, nothing else
    with statements(app) as seen:
        warm = client.get(url)
    assert warm.data == first.data and warm.headers["ETag"] == etag
    assert len(seen) == 1, seen
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_stamps_read_raw_are_the_typed_values(app, client, plan):
    """The stamps come from the driver's rows converted once per distinct answer: the same values
    (aware datetimes, booleans) the typed query gives, for a full plan and an empty one."""
    token, _, _ = plan
    empty = client.post(API, json={"name": "Empty", "discreet": True}).json["token"]
    with app.test_request_context():
        for each in (token, empty, token):
            rows = db.session.connection().execute(
                service._stamp_statement(), {"digest": service.hash_token(each)}).all()
            picks = tuple(tuple(row[7:]) for row in rows if row.meeting_id is not None)
            typed = (tuple(rows[0][:7]), picks), max([rows[0].updated_at, *(pick[2] for pick in picks)])
            assert repr(feed_stamp(each)) == repr(typed)
            assert rows[0].updated_at.tzinfo is not None and type(rows[0].discreet) is bool


def test_every_change_gives_a_new_etag_and_the_fresh_body(app, client, db_session, plan):
    token, url, ids = plan
    seen_tags = {client.get(url).headers["ETag"]}

    def check(reason: str) -> None:
        response = client.get(url, headers={"If-None-Match": ", ".join(seen_tags)})
        assert response.status_code == 200, reason
        assert response.headers["ETag"] not in seen_tags, reason
        same_calendar(response.data, fresh(app, token))
        seen_tags.add(response.headers["ETag"])

    row = db_session.get(Meeting, ids[0])  # the source edits a meeting, as an import does
    row.name, row.sequence = "Renamed by its source", row.sequence + 1
    row.changed_at += timedelta(days=1)
    db_session.commit()
    check("meeting edited")
    assert b"Renamed by its source" in client.get(url).data
    assert client.delete(f"{API}/{token}/meetings/{ids[1]}").status_code == 204
    check("pick dropped")
    assert client.patch(f"{API}/{token}", json={"name": "Other week"}).status_code == 200
    check("plan renamed")
    assert client.patch(f"{API}/{token}", json={"discreet": True}).status_code == 200
    check("discreet titles")
    assert client.patch(f"{API}/{token}", json={"reminder_minutes": 15}).status_code == 200
    check("reminder")
    assert client.post(f"{API}/{token}/meetings", json={"meeting_id": ids[1]}).status_code == 201
    check("pick added back")
    spanish = client.get(url + "?lang=es")
    assert spanish.headers["ETag"] not in seen_tags  # a feed in another language is another tag
    same_calendar(spanish.data, fresh(app, token))


def test_a_meeting_file_is_conditional_and_follows_its_meeting(app, client, db_session, add_meeting):
    meeting = add_meeting("one")
    url = f"/meetings/{meeting.id}.ics"
    first = client.get(url)
    etag = first.headers["ETag"]
    with statements(app) as seen:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert len(seen) == 1, seen
    discreet = client.get(url + "?discreet=1")
    assert discreet.headers["ETag"] != etag and b"Big Book" not in discreet.data
    reminded = client.get(url + "?reminder=10")
    assert reminded.headers["ETag"] not in (etag, discreet.headers["ETag"])
    assert b"BEGIN:VALARM" in reminded.data
    row = db_session.get(Meeting, meeting.id)
    row.time, row.sequence, row.changed_at = "20:15", row.sequence + 1, row.changed_at + timedelta(hours=1)
    db_session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    (event,) = icalendar.Calendar.from_ical(changed.data).walk("VEVENT")
    assert event.start.strftime("%H:%M") == "20:15"
    assert client.get("/meetings/999999.ics").status_code == 404
