"""The start-time list seeks only zones that hold meetings: none is missed, and a new one counts
as soon as it is written, by an import or by any other process (finder/search/zone_sets.py)."""
from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.models import Meeting, Source, utcnow
from finder.search import driver, zone_sets
from finder.search.criteria import Criteria
from finder.search.query import search
from finder.search.zone_sets import data_version
from finder.sources.loader import import_source
from importers import ImportOptions
from importers.meeting_guide import MeetingGuideImporter
from tests.factories import meeting, source

MONDAY_1905 = datetime(2026, 12, 7, 19, 5, tzinfo=ZoneInfo("America/New_York"))
NEAR_HARLEM = {"latitude": 40.8117, "longitude": -73.9626, "tz": "America/New_York",
               "now": MONDAY_1905, "limit": 50}
ONLINE = {"attendance_option": Attendance.ONLINE, "latitude": None, "longitude": None,
          "formatted_address": None, "location": None, "conference_url": "https://zoom.us/j/1"}


def names(criteria: Criteria) -> set[str]:
    return {hit.meeting.name for hit in search(criteria).hits}


def test_a_meeting_inside_the_radius_in_a_rare_zone_is_found(app):
    with app.app_context():
        meeting(name="Harlem", slug="h")
        # Listed by a source whose zone is far away, yet held inside the radius.
        meeting(name="Kathmandu time", slug="k", timezone="Asia/Kathmandu", latitude=40.82,
                longitude=-73.95)
        meeting(name="Hybrid, Chatham time", slug="c", timezone="Pacific/Chatham",
                attendance_option=Attendance.HYBRID, latitude=40.80, longitude=-73.97,
                conference_url="https://zoom.us/j/2")
        meeting(name="Kathmandu, far away", slug="f", timezone="Asia/Kathmandu", latitude=27.7,
                longitude=85.3)
        db.session.commit()
        for order in ("time", "distance"):
            found = names(Criteria(**NEAR_HARLEM, order=order))
            assert {"Harlem", "Kathmandu time", "Hybrid, Chatham time"} <= found, order
            assert "Kathmandu, far away" not in found


def test_a_time_filter_near_a_place_tests_a_rare_zone_on_its_own_clock(app):
    # On PostgreSQL the window's SQL names only the zones held within the radius's box: Kathmandu
    # must be one of them. Monday 18:00-22:00 in New York is Tuesday 04:45-08:45 in Kathmandu.
    with app.app_context():
        meeting(name="Harlem", slug="h", day=1, time="19:00")
        meeting(name="Kathmandu, in the window", slug="k", timezone="Asia/Kathmandu", day=2,
                time="05:00", latitude=40.82, longitude=-73.95)
        meeting(name="Kathmandu, after it", slug="a", timezone="Asia/Kathmandu", day=2,
                time="09:00", latitude=40.82, longitude=-73.95)
        db.session.commit()
        window = {"day": 1, "time_from": time(18), "time_to": time(22)}
        for order in ("time", "distance"):
            found = names(Criteria(**NEAR_HARLEM, **window, order=order))
            assert found == {"Harlem", "Kathmandu, in the window"}, order


def test_an_online_meeting_in_a_rare_zone_is_found(app):
    with app.app_context():
        meeting(name="Harlem", slug="h")
        meeting(name="Chatham online", slug="c", timezone="Pacific/Chatham", **ONLINE)
        db.session.commit()
        assert "Chatham online" in names(Criteria(**NEAR_HARLEM, order="time"))
        assert "Chatham online" in names(Criteria(**NEAR_HARLEM))
        assert "Chatham online" in names(Criteria(attendance=frozenset({Attendance.ONLINE}),
                                                  now=MONDAY_1905, starting_within=7 * 24 * 60))


def test_a_new_zone_counts_right_after_an_import(app):
    with app.app_context():
        meeting(name="Harlem", slug="h")
        db.session.commit()
        assert names(Criteria(**NEAR_HARLEM, order="time")) == {"Harlem"}  # the zones are kept
        feed = [{"name": "Nepal online", "slug": "n", "day": 1, "time": "07:00",
                 "timezone": "Asia/Kathmandu", "conference_url": "https://zoom.us/j/3",
                 "attendance_option": "online"},
                {"name": "Harlem, Chatham time", "slug": "hc", "day": 1, "time": "07:00",
                 "timezone": "Pacific/Chatham", "formatted_address": "1 W 125th St, New York, NY",
                 "latitude": 40.8075, "longitude": -73.9465, "attendance_option": "in_person"}]
        feed_source = Source(name="far", url="test", format="meeting-guide", fellowship=Fellowship.AA)
        db.session.add(feed_source)
        db.session.flush()
        import_source(feed_source, MeetingGuideImporter(ImportOptions(fellowship=Fellowship.AA)),
                      json.dumps(feed).encode())
        db.session.commit()
        assert names(Criteria(**NEAR_HARLEM, order="time")) == {
            "Harlem", "Nepal online", "Harlem, Chatham time"}


def test_a_zone_changed_by_another_process_counts_within_a_second(app, monkeypatch):
    monkeypatch.setattr(zone_sets, "VERSION_SECONDS", 60.0)  # the second lasts, however slow
    with app.app_context():
        harlem = meeting(name="Harlem", slug="h")
        online = meeting(name="Moved online", slug="m", **ONLINE)
        db.session.commit()
        assert names(Criteria(**NEAR_HARLEM, order="time")) == {"Harlem", "Moved online"}
        # Another process (its own engine) edits both rows into zones no search has seen.
        other = sa.create_engine(db.engine.url, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        with other.begin() as connection:
            for row, zone in ((harlem, "Asia/Kathmandu"), (online, "Pacific/Chatham")):
                connection.execute(sa.update(Meeting.__table__).where(Meeting.id == row.id)
                                   .values(timezone=zone, changed_at=utcnow()))
        other.dispose()
        held = data_version()
        db.session.rollback()  # a new transaction, as the next request would start
        assert data_version() is held  # within the second: the version this process read
        db.session.rollback()
        monkeypatch.setattr(zone_sets, "VERSION_SECONDS", 0.0)  # the second has passed
        assert names(Criteria(**NEAR_HARLEM, order="time")) == {"Harlem", "Moved online"}
        assert names(Criteria(**NEAR_HARLEM)) == {"Harlem", "Moved online"}


def test_a_write_in_this_process_is_seen_by_its_next_search_at_once(app):
    # A commit without a flush (a Core UPDATE through the session) still counts as a write.
    with app.app_context():
        harlem = meeting(name="Harlem", slug="h")
        db.session.commit()
        assert names(Criteria(**NEAR_HARLEM, order="time")) == {"Harlem"}
        db.session.execute(sa.update(Meeting.__table__).where(Meeting.id == harlem.id)
                           .values(timezone="Asia/Kathmandu", changed_at=utcnow()))
        db.session.commit()
        assert names(Criteria(**NEAR_HARLEM, order="time")) == {"Harlem"}


def test_a_search_far_from_any_meeting_seeks_online_zones_only(app):
    with app.app_context():
        source("s")
        meeting(name="Harlem", slug="h")
        meeting(name="Online", slug="o", **ONLINE)
        db.session.commit()
        found = names(Criteria(latitude=-45.0, longitude=170.0, order="time", now=MONDAY_1905))
        assert found == {"Online"}


def test_a_page_reads_the_data_version_once_and_a_write_reads_it_again(app, client, monkeypatch):
    """The zone sets and the page's filters share one read of the version; the process's next
    transaction within the second takes it too; a flush makes it read again (its own write is
    newer)."""
    monkeypatch.setattr(zone_sets, "VERSION_SECONDS", 60.0)  # however slow the machine
    with app.app_context():
        meeting(name="Harlem", slug="h")
        db.session.commit()
    seen = []
    read = driver.rows

    def keep(statement, params):  # the version is read on the driver's cursor: no engine event
        if statement is zone_sets._VERSION:
            seen.append(statement)
        return read(statement, params)
    monkeypatch.setattr(driver, "rows", keep)
    assert client.get("/?lat=40.81&lon=-73.96&radius_km=10").status_code == 200
    assert len(seen) == 1
    with app.app_context():
        first = data_version()
        assert data_version() is first and len(seen) == 1
        meeting(name="Bronx", slug="b", latitude=40.84, longitude=-73.9)
        db.session.flush()
        assert data_version() != first and len(seen) == 2
