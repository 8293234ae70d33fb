"""The search in time order (what the search page asks for): in progress first, each series once."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from finder.enums import Attendance
from finder.extensions import db
from finder.search import soonest
from finder.search.criteria import Criteria
from finder.search.lists import Query, starts
from finder.search.query import LOOKBACK, search
from finder.weekly import WEEK_MINUTES
from tests.factories import meeting, source

NEW_YORK = ZoneInfo("America/New_York")
MONDAY_1905 = datetime(2026, 12, 7, 19, 5, tzinfo=NEW_YORK)
ORIGIN = {"latitude": 40.8117, "longitude": -73.9626, "tz": "America/New_York"}


def week(app) -> None:
    """Meetings around Monday 19:05 in Manhattan, one held every day, one far away, one online."""
    with app.app_context():
        home = source("ny")
        meeting(name="Began at seven", slug="a", day=1, time="19:00", end_time="20:00", source_id=home.id)
        meeting(name="Ended at seven", slug="b", day=1, time="18:00", end_time="19:00", source_id=home.id)
        meeting(name="Half past", slug="c", day=1, time="19:30", end_time=None, source_id=home.id)
        for day in range(7):
            meeting(name="Every night", slug=f"daily-{day}", day=day, time="21:00", end_time=None,
                    source_id=home.id)
        meeting(name="In Philadelphia", slug="far", day=1, time="19:15", latitude=39.95,
                longitude=-75.16, source_id=home.id)
        meeting(name="On Zoom", slug="z", day=1, time="19:10", attendance_option=Attendance.ONLINE,
                latitude=None, longitude=None, formatted_address=None,
                conference_url="https://zoom.us/j/1", source_id=home.id)
        db.session.commit()


def names(page) -> list[str]:
    return [hit.meeting.name for hit in page.hits]


def test_in_progress_first_then_soonest_and_each_series_once(app):
    week(app)
    with app.app_context():
        page = search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=20))
        found = names(page)
        assert found[:4] == ["Began at seven", "On Zoom", "Half past", "Every night"]
        # Ended: not in progress any more, and next held a week on, the last of the week.
        assert found[-1] == "Ended at seven"
        assert page.hits[-1].next_start == datetime(2026, 12, 14, 18, 0, tzinfo=NEW_YORK)
        assert "In Philadelphia" not in found  # in person beyond the radius
        assert found.count("Every night") == 1
        assert page.hits[0].next_start < MONDAY_1905  # its start, in the past
        assert page.hits[0].distance_km is not None and page.hits[1].distance_km is None


def test_time_order_pages_carry_on_without_repeating_a_series(app):
    week(app)
    with app.app_context():
        seen, cursor = [], None
        while True:
            page = search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=2, cursor=cursor))
            seen += names(page)
            starts = [hit.next_start for hit in page.hits]
            assert starts == sorted(starts)
            cursor = page.next
            if cursor is None:
                break
        # "Ended at seven" next meets a week after its last start, a week from LOOKBACK minutes
        # ago and more: the list's last span holds such meetings, so the listing ends with it.
        assert seen == ["Began at seven", "On Zoom", "Half past", "Every night", "Ended at seven"]


def test_the_api_keeps_distance_order_and_refuses_an_unknown_order(app, client):
    week(app)
    body = client.get("/api/v1/meetings?lat=40.8117&lon=-73.9626&order=soon").get_json()
    assert body["parameter"] == "order"
    default = client.get("/api/v1/meetings?lat=40.8117&lon=-73.9626").get_json()["meetings"]
    assert [row["name"] for row in default].count("Every night") == 7  # documented order unchanged
    timed = client.get("/api/v1/meetings?lat=40.8117&lon=-73.9626&order=time").get_json()["meetings"]
    assert [row["name"] for row in timed].count("Every night") == 1


def test_the_page_lists_a_series_once_and_filters_by_time_of_day(app, client):
    week(app)
    app.config["FIXED_NOW"] = MONDAY_1905.isoformat()
    page = client.get("/?near=10027&tz=America/New_York&part=night").get_data(as_text=True)
    assert page.count(">Every night</a>") == 1 and "Every day" in page
    assert "Half past" not in page  # 19:30 is not night (21:00 to 05:00)
    assert "Night (" in page.split("summary-line")[1].split("</span>")[0]  # in the one-line summary


def test_online_meetings_with_an_empty_address_are_told_apart_by_their_links(app):
    """A series is its source, name, time and place, the place being the address or else the
    link (rows.series_key): two rooms of one name and time, with empty addresses, are two series."""
    with app.app_context():
        home = source("ny")
        for day, room in ((1, "https://zoom.us/j/1"), (2, "https://zoom.us/j/2")):
            meeting(name="Night owls", slug=f"owls-{day}", day=day, time="19:30", end_time=None,
                    attendance_option=Attendance.ONLINE, latitude=None, longitude=None,
                    formatted_address="", conference_url=room, source_id=home.id)
        db.session.commit()
        page = search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=20))
        assert sorted(hit.meeting.conference_url for hit in page.hits) == [
            "https://zoom.us/j/1", "https://zoom.us/j/2"]


@pytest.mark.parametrize("first_read", [1, soonest.FIRST_READ])
def test_a_series_is_listed_once_however_far_the_pages_read(app, monkeypatch, first_read):
    """Pages read rows soonest first in batches and fold series as they go: an occurrence met
    in a later batch (a later day) of a series already listed stays out, on every page, however
    the online rows kept for the minute were read."""
    monkeypatch.setattr(soonest, "FIRST_READ", first_read)
    with app.app_context():
        home = source("ny")
        for day in range(7):
            meeting(name="Daily", slug=f"daily-{day}", day=day, time="19:30", end_time=None,
                    source_id=home.id)
        first = MONDAY_1905.replace(hour=20, minute=0)
        singles = []
        for index in range(40):  # one every four hours, through the week
            start = first + timedelta(hours=4 * index)
            singles.append(meeting(name=f"Single {index}", slug=f"single-{index}",
                                   day=(start.weekday() + 1) % 7, time=start.strftime("%H:%M"),
                                   end_time=None, attendance_option=Attendance.ONLINE,
                                   latitude=None, longitude=None, formatted_address=None,
                                   conference_url=f"https://zoom.us/j/{index}", source_id=home.id).name)
        db.session.commit()
        seen, cursor = [], None
        while True:
            page = search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=3, cursor=cursor))
            seen += names(page)
            if (cursor := page.next) is None:
                break
        assert seen == ["Daily", *singles]


def test_an_ended_meeting_of_a_series_leaves_its_next_occurrence_listed(app):
    """The not-ended test comes before the fold: today's meeting that is over does not stand
    for its series, tomorrow's does."""
    with app.app_context():
        home = source("ny")
        for day in range(7):
            meeting(name="Early evening", slug=f"early-{day}", day=day, time="18:00",
                    end_time="19:00", source_id=home.id)
        db.session.commit()
        page = search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=5))
        assert names(page) == ["Early evening"]
        assert page.hits[0].next_start == MONDAY_1905.replace(hour=18, minute=0) + timedelta(days=1)


def test_the_two_parts_merge_into_the_rows_of_one_statement(app, monkeypatch):
    """Rows attended in person within the radius (read per search) and online ones (kept for
    the minute) merge into the rows one statement over both gives: equal starts ordered by id,
    whatever the size of each part's reads."""
    with app.app_context():
        home = source("ny")
        for index in range(12):
            clock = f"{19 + index % 3}:{index % 2 * 30:02d}"
            far = {"latitude": 39.95, "longitude": -75.16} if index % 4 == 0 else {}
            meeting(name=f"Room {index}", slug=f"room-{index}", day=1 + index % 2, time=clock,
                    end_time=None, source_id=home.id, **far)
            meeting(name=f"Hybrid {index}", slug=f"hybrid-{index}", day=index % 3, time=clock,
                    end_time=None, attendance_option=Attendance.HYBRID, source_id=home.id, **far)
            meeting(name=f"Zoom {index}", slug=f"zoom-{index}", day=1 + index % 2, time=clock,
                    end_time=None, attendance_option=Attendance.ONLINE, latitude=None,
                    longitude=None, formatted_address=None, conference_url=f"https://zoom.us/j/{index}",
                    timezone="Europe/London" if index % 3 == 0 else "America/New_York",
                    source_id=home.id)
        db.session.commit()
        query = Query(Criteria(**ORIGIN, order="time"), MONDAY_1905.astimezone(UTC), ([], {}), (),
                      LOOKBACK)
        radius = frozenset({Attendance.IN_PERSON, Attendance.HYBRID})
        attendance = radius | {Attendance.ONLINE}
        one = soonest._read(*starts(query, attendance, 0, WEEK_MINUTES, radius), (-1, 0), 1000)
        assert len({row[1] for row in one}) < len(one) < 36  # equal starts; far rows left out
        monkeypatch.setattr(soonest, "FIRST_READ", 2)
        assert list(soonest._rows(query, attendance, 0, WEEK_MINUTES, radius, 3)) == one


def test_the_online_part_of_a_minute_is_read_once_for_every_zone(app, monkeypatch):
    """The online rows of a minute have no origin: a search from London after one from New York
    reads only its own in-person part, unless a day (the seeker's own) makes its windows differ."""
    week(app)
    sought: list[frozenset[Attendance]] = []
    real = soonest.starts
    monkeypatch.setattr(soonest, "starts",
                        lambda query, attendance, *rest: sought.append(attendance) or real(query, attendance, *rest))
    online = frozenset({Attendance.ONLINE})
    london = {"latitude": 51.5, "longitude": -0.12, "tz": "Europe/London", "order": "time",
              "now": MONDAY_1905, "limit": 20}
    with app.app_context():
        assert names(search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=20)))[:2] == [
            "Began at seven", "On Zoom"]
        read = sought.count(online)
        assert read > 0 and len(sought) > read
        near = len(sought) - read
        assert names(search(Criteria(**london))) == ["On Zoom"]
        assert sought.count(online) == read and len(sought) - read > near
        assert names(search(Criteria(**london, day=2))) == ["On Zoom"]  # 00:10 on Tuesday there
        assert sought.count(online) > read


def test_a_series_held_in_person_and_online_is_folded_across_the_parts(app):
    """A series (same source, name, time and place) held in person on one day and online on the
    others is listed once, at its next occurrence, on every page."""
    with app.app_context():
        home = source("ny")
        meeting(name="Nine o'clock", slug="nine-here", day=2, time="21:00", end_time=None,
                source_id=home.id)
        for day in (1, 3, 4):
            meeting(name="Nine o'clock", slug=f"nine-{day}", day=day, time="21:00", end_time=None,
                    attendance_option=Attendance.ONLINE, conference_url="https://zoom.us/j/9",
                    source_id=home.id)
        meeting(name="Half past", slug="half", day=1, time="19:30", end_time=None, source_id=home.id)
        db.session.commit()
        seen, starts_seen, cursor = [], [], None
        while True:
            page = search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=1, cursor=cursor))
            seen += names(page)
            starts_seen += [hit.next_start for hit in page.hits]
            if (cursor := page.next) is None:
                break
        assert seen == ["Half past", "Nine o'clock"]
        assert starts_seen[1] == MONDAY_1905.replace(hour=21, minute=0)  # Monday's, online


def test_the_api_honours_a_fixed_instant_as_the_pages_do(app, client):
    # Tests and benchmarks fix "now" with FIXED_NOW (only when TESTING): the API's search and its
    # one-meeting answer count from it, so their answers can be compared at a chosen instant.
    week(app)
    app.config["FIXED_NOW"] = MONDAY_1905.isoformat()
    rows = client.get("/api/v1/meetings?lat=40.8117&lon=-73.9626&order=time&tz=America/New_York"
                      "&limit=4").get_json()["meetings"]
    assert [row["name"] for row in rows] == ["Began at seven", "On Zoom", "Half past", "Every night"]
    assert rows[0]["next_start"] == "2026-12-07T19:00:00-05:00"  # in progress at the fixed 19:05
    one = client.get(f"/api/v1/meetings/{rows[2]['id']}?tz=America/New_York").get_json()
    assert one["next_start"] == "2026-12-07T19:30:00-05:00"


def test_a_meeting_that_ended_within_the_lookback_is_listed_at_its_next_start(app, client):
    # Monday 19:25: the 18:00-19:00 meeting started 85 minutes ago, within the 90 looked back,
    # and has ended; it next meets in six days and 22 hours, and stays on the week's list (it
    # was off it until 90 minutes after its start), at the end, on every page size, both parts.
    week(app)
    at = datetime(2026, 12, 7, 19, 25, tzinfo=NEW_YORK)
    with app.app_context():
        for criteria in (Criteria(**ORIGIN, order="time", now=at, limit=50),
                         Criteria(tz="America/New_York", order="time", now=at, limit=50)):
            whole = search(criteria)
            assert names(whole)[-1] == "Ended at seven"
            paged, cursor = [], None
            while True:
                page = search(Criteria(**{**criteria.__dict__, "limit": 2, "cursor": cursor}))
                paged += names(page)
                if page.next is None:
                    break
                cursor = page.next
            assert paged == names(whole)
        hits = search(Criteria(**ORIGIN, order="time", now=at, limit=50)).hits
        assert hits[-1].next_start == datetime(2026, 12, 14, 18, 0, tzinfo=NEW_YORK)
        assert [hit.meeting.name for hit in hits].count("Ended at seven") == 1


def test_many_meetings_near_beside_online_ones_are_read_on_in_order(app, monkeypatch):
    # Beside the online part the near part's first read is a fifth of the batch: a page mostly
    # of meetings near the seeker reads on, twice as many each time, and misses none.
    reads = []
    real = soonest._read
    monkeypatch.setattr(soonest, "_read", lambda *args: reads.append(args[-1]) or real(*args))
    with app.app_context():
        home = source("ny")
        for index in range(40):
            meeting(name=f"Near {index:02d}", slug=f"n{index}", day=1, time=f"{20 + index // 12}:{index % 12 * 5:02d}",
                    end_time=None, source_id=home.id)
        for index in range(3):
            meeting(name=f"Zoom {index}", slug=f"z{index}", day=1, time=f"2{index}:31",
                    attendance_option=Attendance.ONLINE, latitude=None, longitude=None,
                    formatted_address=None, conference_url=f"https://zoom.us/j/{index}",
                    source_id=home.id)
        db.session.commit()
        page = search(Criteria(**ORIGIN, order="time", now=MONDAY_1905, limit=30))
        starts = [hit.next_start for hit in page.hits]
        assert starts == sorted(starts) and len(page.hits) == 30
        near = [hit.meeting.name for hit in page.hits if hit.meeting.name.startswith("Near")]
        assert near == [f"Near {index:02d}" for index in range(len(near))] and len(near) >= 27
        assert 14 in reads and 28 in reads  # the near part read on: 14 rows, then 28
