"""The schedules JSON API: tokens, picks, settings, rotation, deletion, overlaps."""
from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa

from finder.extensions import db
from finder.schedules.models import Schedule, ScheduleMeeting

API = "/api/v1/schedules"


@pytest.fixture
def meetings(add_meeting):
    """Meeting ids by key: three listed meetings, two of them overlapping, and one removed."""
    rows = [
        add_meeting("ny-monday"),  # Monday 19:00-20:00 New York
        add_meeting("london-tuesday", timezone="Europe/London", day=2, time="00:30",
                    end_time=None),  # Tuesday 00:30 London = 19:30 Monday New York
        add_meeting("la-monday", timezone="America/Los_Angeles", time="19:00"),
        add_meeting("gone", removed_at=sa.func.now()),
    ]
    return {row.source_key: row.id for row in rows}


def new_schedule(client, **settings):
    response = client.post(API, json=settings)
    assert response.status_code == 201, response.json
    return response.json["token"]


def test_create_returns_token_and_urls(client):
    response = client.post(API, json={"name": "Weekdays"})
    assert response.status_code == 201
    body = response.json
    token = body["token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 random bytes
    assert body["feed_url"] == f"http://localhost/feeds/{token}.ics"
    assert body["webcal_url"] == f"webcal://localhost/feeds/{token}.ics"
    assert body["manage_url"] == f"http://localhost/schedules/{token}"
    assert client.get(f"{API}/{token}").json["name"] == "Weekdays"
    assert client.post(API).status_code == 201  # no body at all: defaults


def test_token_is_stored_only_as_its_hash(client, db_session):
    tokens = [new_schedule(client) for _ in range(3)]
    assert len(set(tokens)) == 3
    hashes = db_session.scalars(sa.select(Schedule.token_hash)).all()
    assert sorted(hashes) == sorted(hashlib.sha256(t.encode()).hexdigest() for t in tokens)
    # No column of any row of any table holds a raw token.
    for table in db.metadata.sorted_tables:
        for row in db_session.execute(sa.select(table)).mappings():
            assert not any(token in str(value) for value in row.values() for token in tokens)


def test_add_list_and_remove_meetings(client, meetings):
    token = new_schedule(client)
    url = f"{API}/{token}/meetings"
    first = client.post(url, json={"meeting_id": meetings["ny-monday"]})
    assert first.status_code == 201
    assert [m["id"] for m in first.json["meetings"]] == [meetings["ny-monday"]]
    again = client.post(url, json={"meeting_id": meetings["ny-monday"]})
    assert again.status_code == 200  # already there, still one pick
    assert len(again.json["meetings"]) == 1
    assert client.post(url, json={"meeting_id": str(meetings["la-monday"])}).status_code == 201

    shown = client.get(f"{API}/{token}").json
    assert [m["timezone"] for m in shown["meetings"]] == ["America/New_York", "America/Los_Angeles"]
    assert shown["meetings"][0]["url"] == f"http://localhost/meetings/{meetings['ny-monday']}"

    assert client.delete(f"{url}/{meetings['ny-monday']}").status_code == 204
    assert client.delete(f"{url}/{meetings['ny-monday']}").status_code == 404
    assert [m["id"] for m in client.get(f"{API}/{token}").json["meetings"]] == [
        meetings["la-monday"]
    ]


@pytest.mark.parametrize(
    "body",
    [{}, {"meeting_id": None}, {"meeting_id": True}, {"meeting_id": "7x"}, {"meeting_id": 1.5},
     {"meeting_id": 999999}, {"meeting_id": -1}, {"meeting_id": 2**40}, {"meeting_id": "gone"}],
)
def test_bad_meeting_id_is_a_400_naming_the_field(client, meetings, body):
    token = new_schedule(client)
    if body.get("meeting_id") == "gone":
        body = {"meeting_id": meetings["gone"]}  # removed from listings: not pickable
    response = client.post(f"{API}/{token}/meetings", json=body)
    assert response.status_code == 400
    assert response.json["field"] == "meeting_id"
    assert response.json["error"]
    assert client.get(f"{API}/{token}").json["meetings"] == []


def test_body_must_be_a_json_object(client):
    token = new_schedule(client)
    response = client.post(f"{API}/{token}/meetings", data="[1]", content_type="application/json")
    assert response.status_code == 400
    assert response.json["field"] == "body"


def test_patch_settings(client):
    token = new_schedule(client)
    response = client.patch(f"{API}/{token}",
                            json={"name": "  Evenings  ", "discreet": True, "reminder_minutes": 30})
    assert response.status_code == 200
    assert (response.json["name"], response.json["discreet"], response.json["reminder_minutes"]) \
        == ("Evenings", True, 30)
    cleared = client.patch(f"{API}/{token}", json={"reminder_minutes": None}).json
    assert cleared["reminder_minutes"] is None and cleared["discreet"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 121}, "name"), ({"name": 3}, "name"),
     ({"discreet": "yes"}, "discreet"), ({"reminder_minutes": -5}, "reminder_minutes"),
     ({"reminder_minutes": True}, "reminder_minutes"), ({"reminder_minutes": 10_000}, "reminder_minutes"),
     ({"colour": "red"}, "colour")],
)
def test_patch_rejects_bad_values(client, body, field):
    token = new_schedule(client, name="Kept")
    response = client.patch(f"{API}/{token}", json=body)
    assert response.status_code == 400
    assert response.json["field"] == field
    assert client.get(f"{API}/{token}").json["name"] == "Kept"
    assert client.post(API, json=body).status_code == 400  # create validates the same way


def test_rotate_gives_new_urls_and_kills_the_old_token(client, meetings):
    token = new_schedule(client)
    client.post(f"{API}/{token}/meetings", json={"meeting_id": meetings["ny-monday"]})
    rotated = client.post(f"{API}/{token}/rotate")
    assert rotated.status_code == 200
    new = rotated.json["token"]
    assert new != token
    assert rotated.json["feed_url"].endswith(f"/feeds/{new}.ics")
    for path in (f"{API}/{token}", f"/feeds/{token}.ics", f"/schedules/{token}"):
        assert client.get(path).status_code == 404
    assert client.post(f"{API}/{token}/rotate").status_code == 404
    assert [m["id"] for m in client.get(f"{API}/{new}").json["meetings"]] == [
        meetings["ny-monday"]
    ]


def test_delete_schedule_removes_it_and_its_picks(client, db_session, meetings):
    token = new_schedule(client)
    client.post(f"{API}/{token}/meetings", json={"meeting_id": meetings["ny-monday"]})
    assert client.delete(f"{API}/{token}").status_code == 204
    assert client.get(f"{API}/{token}").status_code == 404
    assert client.get(f"/feeds/{token}.ics").status_code == 404
    assert client.delete(f"{API}/{token}").status_code == 404
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ScheduleMeeting)) == 0


@pytest.mark.parametrize(
    "token",
    ["A" * 43, "short", "A" * 44, "A" * 42 + "!", "a.b"],
)
def test_bad_token_is_a_404_that_reveals_nothing(client, meetings, token):
    real = new_schedule(client)
    unknown = client.get(f"{API}/{token}")
    assert unknown.status_code == 404
    assert unknown.json == {"error": "not found"}
    for method, path, body in (
        ("patch", f"{API}/{token}", {"name": "x"}),
        ("delete", f"{API}/{token}", None),
        ("post", f"{API}/{token}/rotate", None),
        ("post", f"{API}/{token}/meetings", {"meeting_id": meetings["ny-monday"]}),
        ("delete", f"{API}/{token}/meetings/{meetings['ny-monday']}", None),
    ):
        response = getattr(client, method)(path, json=body)
        assert response.status_code == 404
        assert response.get_data() == unknown.get_data()
    assert client.get(f"/feeds/{token}.ics").status_code == 404
    assert client.get(f"{API}/{real}").status_code == 200


def test_overlaps_are_reported(client, meetings):
    token = new_schedule(client)
    for key in ("ny-monday", "london-tuesday", "la-monday"):
        client.post(f"{API}/{token}/meetings", json={"meeting_id": meetings[key]})
    overlaps = client.get(f"{API}/{token}").json["overlaps"]
    # London's 00:30 is New York's 19:30 the evening before; Los Angeles' 19:00 is 22:00 there.
    assert overlaps == [{"meeting_ids": sorted([meetings["ny-monday"], meetings["london-tuesday"]])}]


def test_manage_page_lists_meetings_and_overlaps(client, meetings):
    token = new_schedule(client, name="My week")
    for key in ("ny-monday", "london-tuesday"):
        client.post(f"{API}/{token}/meetings", json={"meeting_id": meetings[key]})
    page = client.get(f"/schedules/{token}")
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    assert f"webcal://localhost/feeds/{token}.ics" in html
    assert "Overlaps with AA Big Book Study london-tuesday" in html
    assert "Overlaps with AA Big Book Study ny-monday" in html


def test_a_pick_made_concurrently_is_not_an_error(client, meetings, monkeypatch):
    from finder.schedules import service

    token = new_schedule(client)
    original = service.add_meeting

    def racing_add(schedule, value):
        result = original(schedule, value)
        # Another request commits the same pick between this one's check and its commit.
        with db.engine.begin() as connection:
            connection.execute(sa.insert(ScheduleMeeting.__table__).values(
                schedule_id=schedule.id, meeting_id=value, added_at=sa.func.now()))
        return result

    monkeypatch.setattr(service, "add_meeting", racing_add)
    response = client.post(f"{API}/{token}/meetings", json={"meeting_id": meetings["ny-monday"]})
    assert response.status_code == 200
    assert [m["id"] for m in response.json["meetings"]] == [meetings["ny-monday"]]


def test_meeting_links_follow_the_host_each_request_was_sent_to(client, meetings):
    # The base of meeting links is built once per app and host (finder/web/responses.py).
    token = new_schedule(client)
    client.post(f"{API}/{token}/meetings", json={"meeting_id": meetings["ny-monday"]})
    for base in ("http://localhost", "https://one.example", "http://two.example:8080", "http://localhost"):
        shown = client.get(f"{API}/{token}", base_url=base).json
        assert shown["meetings"][0]["url"] == f"{base}/meetings/{meetings['ny-monday']}"
