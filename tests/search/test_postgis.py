"""PostGIS: the same search results through the ``geog`` column as through the portable SQL."""
from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from geopy.distance import great_circle

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.points import EARTH_RADIUS_KM
from finder.models import Meeting, Source
from finder.schema import ensure_schema
from finder.search import postgis
from finder.search.criteria import Criteria
from finder.search.query import search
from tests.conftest import meeting_values

# Reflection reads the PostGIS column as a type SQLAlchemy does not know; the comparison leaves it out.
pytestmark = pytest.mark.filterwarnings("ignore:Did not recognize type:sqlalchemy.exc.SAWarning")

ORIGIN = (40.75, -73.99)
NOW = datetime(2026, 1, 13, 17, 0, tzinfo=UTC)


def _scatter(count: int) -> None:
    """``count`` meetings up to 60 km around ORIGIN, a few sharing a place (ties go by id)."""
    rng = random.Random(7)
    sphere = great_circle(radius=EARTH_RADIUS_KM)
    source = Source(name="s", url="https://example.org/f.json", format="meeting-guide",
                    fellowship=meeting_values({})["fellowship"])
    db.session.add(source)
    db.session.flush()
    points = [sphere.destination(ORIGIN, rng.uniform(0, 360), rng.uniform(0, 60))
              for _ in range(count)]
    for index in range(count):
        point = points[index - index % 5] if index % 7 == 0 else points[index]
        option = rng.choice((Attendance.IN_PERSON, Attendance.HYBRID, Attendance.ONLINE))
        db.session.add(Meeting(**meeting_values({
            "source_id": source.id, "source_key": f"k{index}", "name": f"m{index}",
            "day": rng.randrange(7), "time": f"{rng.randrange(24):02d}:{rng.choice((0, 30)):02d}",
            "attendance_option": option, "types": ("O",) if index % 2 else ("C",),
            "latitude": point.latitude, "longitude": point.longitude})))
    db.session.commit()


def _pages(**criteria) -> list[tuple[int, float | None]]:
    """Every page of a search, followed by its cursor: ``(id, distance km)`` in order."""
    found, cursor = [], None
    while True:
        page = search(Criteria(latitude=ORIGIN[0], longitude=ORIGIN[1], now=NOW, limit=7,
                               cursor=cursor, **criteria))
        found += [(hit.meeting.id, hit.distance_km) for hit in page.hits]
        if page.next is None:
            return found
        cursor = page.next


SEARCHES = [{}, {"radius_km": 10}, {"radius_km": 50, "types": ("O",)},
            {"radius_km": 40, "day": 2, "tz": "America/New_York"},
            {"attendance": frozenset({Attendance.IN_PERSON})}]


def test_postgis_and_portable_sql_find_the_same_pages(app_ctx):
    connection = db.session.connection()
    if db.engine.dialect.name != "postgresql":
        assert postgis.postgis_schema(connection) is None  # SQLite: today's SQL
        return
    if postgis.installed_schema(connection) is None:
        pytest.skip("PostGIS is not installed on this PostgreSQL server")
    _scatter(150)
    postgis.forget(db.engine)
    assert postgis.postgis_schema(db.session.connection()) == "public"
    with_postgis = [_pages(**criteria) for criteria in SEARCHES]

    db.session.execute(sa.text("ALTER TABLE meetings DROP COLUMN geog"))
    db.session.commit()
    postgis.forget(db.engine)
    assert postgis.postgis_schema(db.session.connection()) is None
    without = [_pages(**criteria) for criteria in SEARCHES]

    for mine, theirs in zip(with_postgis, without, strict=True):
        assert len(mine) > 20
        assert [meeting_id for meeting_id, _ in mine] == [meeting_id for meeting_id, _ in theirs]
        for (_, km), (_, other) in zip(mine, theirs, strict=True):
            assert (km is None) == (other is None)
            if km is not None:
                assert km == pytest.approx(other, abs=0.001)  # within a metre


def test_the_geography_follows_latitude_and_longitude(app_ctx, make_meeting):
    if postgis.postgis_schema(db.session.connection()) is None:
        pytest.skip("needs PostgreSQL with PostGIS")
    meeting = make_meeting(latitude=40.0, longitude=-75.0)
    db.session.execute(sa.update(Meeting).where(Meeting.id == meeting.id)
                       .values(latitude=41.5, longitude=-72.25))
    point = db.session.execute(sa.text(
        "SELECT public.st_y(geog::public.geometry), public.st_x(geog::public.geometry) "
        "FROM meetings WHERE id = :id"), {"id": meeting.id}).one()
    assert tuple(point) == pytest.approx((41.5, -72.25))


def test_the_migration_adds_the_same_column(make_app, db_config):
    with make_app(db_config).app_context():
        ensure_schema()
        columns = {column["name"] for column in sa.inspect(db.engine).get_columns("meetings")}
        indexes = {index["name"] for index in sa.inspect(db.engine).get_indexes("meetings")}
        expected = postgis.installed_schema(db.session.connection()) is not None
        db.session.remove()
    assert ("geog" in columns) == ("ix_meetings_geog" in indexes) == expected


def test_a_page_edge_among_meetings_at_one_place(app_ctx):
    # Meetings sharing the place at a page's edge come by id, whichever ring holds them.
    if postgis.postgis_schema(db.session.connection()) is None:
        pytest.skip("needs PostgreSQL with PostGIS")
    source = Source(name="s", url="https://example.org/f.json", format="meeting-guide",
                    fellowship=meeting_values({})["fellowship"])
    db.session.add(source)
    db.session.flush()
    places = [(ORIGIN[0] + 0.001 * index, ORIGIN[1]) for index in range(3)] + [(40.76, -73.99)] * 12
    for index, (lat, lon) in enumerate(reversed(places)):  # ids against the order of distance
        db.session.add(Meeting(**meeting_values({
            "source_id": source.id, "source_key": f"k{index}", "name": f"m{index}",
            "latitude": lat, "longitude": lon})))
    db.session.commit()
    for limit in (2, 3, 4, 5, 8, 15):
        found, cursor = [], None
        while True:
            page = search(Criteria(latitude=ORIGIN[0], longitude=ORIGIN[1], now=NOW, limit=limit,
                                   cursor=cursor, attendance=frozenset({Attendance.IN_PERSON})))
            found += [(hit.distance_km, hit.meeting.id) for hit in page.hits]
            if page.next is None:
                break
            cursor = page.next
        assert found == sorted(found) and len(found) == 15, limit
