"""The API's fast paths (issue 16): plain rows instead of ORM objects, statements made once, and
memoised pieces must answer exactly as the general code does."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from finder.api.patterns import recurrence_json
from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.meetings import freshness
from finder.meetings.freshness import confirmations, confirmed_date, last_confirmed
from finder.models import Meeting, utcnow
from finder.pattern import MONTHLY, Recurrence
from finder.recurrence import describe
from finder.search import api, driver
from finder.search.criteria import Criteria, Hit
from finder.search.loading import RowLoader
from finder.search.query import search
from finder.search.sql import statement
from finder.submissions.models import AuditRecord

TUESDAY = datetime(2026, 1, 13, 15, 0, tzinfo=UTC)


@pytest.fixture
def mixed(add_meeting, bmlt_origin) -> dict[str, int]:
    """In person, hybrid, online, monthly, removed and moderator-confirmed meetings near Greensboro."""
    lat, lon = bmlt_origin
    ids = {
        "near": add_meeting("Near", latitude=lat + 0.01, longitude=lon, timezone="America/New_York",
                            types=("O", "D"), location="Hall", formatted_address="1 Main St").id,
        "hybrid": add_meeting("Hybrid", latitude=lat + 0.05, longitude=lon, day=3, time="07:30",
                              end_time="08:30", timezone="America/New_York",
                              attendance_option=Attendance.HYBRID,
                              conference_url="https://zoom.us/j/9").id,
        "monthly": add_meeting("Monthly", latitude=lat + 0.02, longitude=lon + 0.02, day=2,
                               timezone="America/New_York",
                               recurrence=Recurrence(kind=MONTHLY, nths=(1, -1))).id,
        "online": add_meeting("Online", attendance_option=Attendance.ONLINE,
                              timezone="Europe/London", day=4, time="12:00").id,
        "removed": add_meeting("Gone", latitude=lat, longitude=lon,
                               removed_at=datetime(2026, 1, 1, tzinfo=UTC)).id,
    }
    db.session.add(AuditRecord(action="approve new", meeting_id=ids["near"],
                               created_at=utcnow() - timedelta(days=3)))
    db.session.add(AuditRecord(action="reject", meeting_id=ids["hybrid"], created_at=utcnow()))
    source = db.session.get(Meeting, ids["near"]).source
    source.last_success_at = utcnow() - timedelta(days=5)
    db.session.commit()
    return ids


def test_rows_answer_as_objects_do(app_ctx, mixed, bmlt_origin) -> None:
    lat, lon = bmlt_origin
    for criteria in (Criteria(latitude=lat, longitude=lon, radius_km=30, now=TUESDAY),
                     Criteria(latitude=lat, longitude=lon, radius_km=30, now=TUESDAY, limit=2),
                     Criteria(latitude=lat, longitude=lon, now=TUESDAY, order="time", day=3,
                              tz="America/New_York"),
                     Criteria(now=TUESDAY, attendance=frozenset({Attendance.ONLINE}))):
        objects, rows = search(criteria), search(criteria, api.ROWS)
        assert rows.hits, criteria
        assert rows.next == objects.next
        assert not isinstance(rows.hits[0].meeting, Meeting)
        confirmed = confirmations(hit.meeting for hit in objects.hits)
        assert ([api.meeting_json(hit, "/m", last_confirmed(hit.meeting)) for hit in rows.hits]
                == [shown_by_the_model(hit, confirmed[hit.meeting.id]) for hit in objects.hits])
    found = {hit.meeting.id: last_confirmed(hit.meeting) for hit in search(
        Criteria(latitude=lat, longitude=lon, radius_km=30, now=TUESDAY), api.ROWS).hits}
    # The decision (3 days ago) is later than the source's import (5 days); a rejection is no
    # confirmation, so the hybrid meeting has its source's.
    assert found[mixed["near"]].date() == (utcnow() - timedelta(days=3)).date()
    assert found[mixed["hybrid"]].date() == (utcnow() - timedelta(days=5)).date()


def shown_by_the_model(hit: Hit, confirmed: datetime | None) -> dict[str, Any]:
    """What the API shows of a hit, read from the ORM object: its enums' values, its type codes."""
    m = hit.meeting
    online_only = m.attendance_option == Attendance.ONLINE
    return {"id": m.id, "slug": m.slug, "fellowship": m.fellowship.value, "name": m.name,
            "day": m.day, "time": m.time, "end_time": m.end_time, "timezone": m.timezone,
            "attendance_option": m.attendance_option.value, "types": list(m.types),
            "location": m.location, "formatted_address": m.formatted_address,
            "latitude": None if online_only else m.latitude,
            "longitude": None if online_only else m.longitude,
            "approximate": bool(m.approximate) and not online_only,
            "distance_km": None if hit.distance_km is None else round(hit.distance_km, 3),
            "conference_url": m.conference_url, "conference_phone": m.conference_phone,
            "url": m.url, "page_url": f"/m/{m.id}", "next_start": hit.next_start.isoformat(),
            "next_start_utc": hit.next_start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "last_confirmed": confirmed_date(confirmed), "recurrence": recurrence_json(m)}


def test_every_fellowship_attendance_and_type_list_is_shown_as_stored(client, make_meeting,
                                                                      db_session) -> None:
    # The API reads these columns as their stored text, not through the model's types.
    type_lists = [(), ("O",), ("W", "O", "LGBTQ"), ("C", "D", "BE", "ST", "X"), ("GAM", "20")]
    options = (Attendance.IN_PERSON, Attendance.HYBRID, Attendance.ONLINE)
    made = {}
    for index, fellowship in enumerate(Fellowship):
        for step, option in enumerate(options):
            online = option == Attendance.ONLINE
            row = make_meeting(name=f"{fellowship.value} {option.value}", fellowship=fellowship,
                               attendance_option=option, types=type_lists[(index + step) % 5],
                               conference_url="https://zoom.us/j/1" if option != Attendance.IN_PERSON
                               else None, latitude=None if online else 40.75,
                               longitude=None if online else -73.99)
            made[row.id] = row
    duplicate = make_meeting(name="Copy", duplicate_of_id=next(iter(made)))
    page = client.get("/api/v1/meetings?limit=200").get_json()
    ones = [client.get(f"/api/v1/meetings/{meeting_id}").get_json() for meeting_id in made]
    shown = {m["id"]: m for m in page["meetings"]}
    assert set(shown) == set(made)
    for body in [*shown.values(), *ones]:
        row = made[body["id"]]
        assert body["fellowship"] == row.fellowship.value
        assert body["attendance_option"] == row.attendance_option.value
        assert body["types"] == list(row.types)
    assert {(m["fellowship"], m["attendance_option"]) for m in ones} \
        == {(f.value, a.value) for f in Fellowship for a in options}
    # A copy of another source's listing is not shown, as in search.
    assert client.get(f"/api/v1/meetings/{duplicate.id}").status_code == 404


def test_a_row_is_listed_as_its_meeting_is(app_ctx, mixed) -> None:
    rows = RowLoader(("name",))([mixed["near"], mixed["removed"], 10**9])
    assert set(rows) == {mixed["near"], mixed["removed"]}
    assert rows[mixed["near"]].name == "Near" and rows[mixed["near"]].is_listed is True
    assert rows[mixed["removed"]].is_listed is False
    assert RowLoader(("name",))([]) == {}


def test_one_statement_per_text_with_the_values_of_each_call(app_ctx) -> None:
    first = statement("SELECT :a AS v", {"a": 1})
    assert statement("SELECT :a AS v", {"a": 2}) is first
    assert statement("SELECT :a AS v", {"a": "x"}) is not first  # typed as its values are
    assert db.session.execute(first, {"a": 5}).scalar() == 5
    assert db.session.execute(first, {"a": 7}).scalar() == 7
    with pytest.raises(sa.exc.StatementError):  # a value left out is an error, not the last one
        db.session.execute(first, {}).scalar()
    db.session.rollback()


def test_weekly_recurrence_json_is_the_sentence_and_a_fresh_copy(app_ctx, make_meeting) -> None:
    weekly = make_meeting(name="Weekly", day=5, time="18:45")
    monthly = make_meeting(name="Monthly", day=5, time="18:45", recurrence=Recurrence(kind=MONTHLY, nths=(2,),
                                                                     starts=date(2026, 2, 1)))
    shown = recurrence_json(weekly)
    assert shown == {"kind": "weekly", "description": describe(weekly)} \
        == {"kind": "weekly", "description": "Every Friday, 18:45"}
    shown["description"] = "changed"
    assert recurrence_json(weekly)["description"] == "Every Friday, 18:45"
    assert recurrence_json(monthly) == {"kind": "monthly", "nths": [2], "starts": "2026-02-01",
                                        "description": describe(monthly)}


def test_a_pages_decisions_are_read_by_index_not_by_a_scan_of_the_audit_log(app_ctx) -> None:
    # Migration 0022: without the index every search read the whole audit log (15 ms at 50,000).
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("reads SQLite's query plan")
    sql = str(freshness._DECISIONS_OF.params(ids=[1, 2, 3]).compile(
        connection, compile_kwargs={"literal_binds": True}))
    plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
    assert any("ix_audit_records_meeting_id" in row[-1] for row in plan), plan


def test_the_page_rows_are_sought_by_id_not_a_scan(app_ctx, mixed) -> None:
    # One text whatever the number of ids (finder/search/driver.py runs it on the driver's cursor).
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("reads SQLite's query plan")
    db.session.execute(sa.text("ANALYZE"))
    # A loaded database's statistics (a table of four rows is read whole, as it should be).
    db.session.execute(sa.text("UPDATE sqlite_stat1 SET stat = '250000' || substr(stat, instr(stat, ' ')) "
                               "WHERE tbl = 'meetings'"))
    db.session.execute(sa.text("ANALYZE sqlite_schema"))
    done = driver.compiled(api.ROWS.statements["sqlite"], connection.dialect)
    plan = " ".join(row[-1] for row in connection.exec_driver_sql(
        "EXPLAIN QUERY PLAN " + done.sql, tuple(done.values.get(name, "[1, 2]") for name in done.order)))
    assert "SEARCH meetings USING INTEGER PRIMARY KEY" in plan, plan


def test_a_driver_statement_wants_every_parameter(app_ctx) -> None:
    found = driver.rows(statement("SELECT :a AS v", {"a": 1}), {"a": 5})
    assert [tuple(row) for row in found] == [(5,)]
    # A value left out is an error (SQLite's positional list, psycopg's "query parameter
    # missing: a"), never the value of an earlier call.
    with pytest.raises(Exception, match=r"^'a'$|missing: a$"):
        driver.rows(statement("SELECT :a AS v", {"a": 1}), {})


def test_no_like_pattern_of_the_page_rows_is_a_bound_parameter(app_ctx) -> None:
    # SQLite re-prepares, at every run, a statement whose LIKE pattern is a bound parameter.
    dialects = {"sqlite": sqlite.dialect(), "postgresql": postgresql.psycopg.dialect()}
    for name, statement_of in api.ROWS.statements.items():
        sql = str(statement_of.compile(dialect=dialects[name]))
        assert "LIKE" in sql
        assert not re.search(r"LIKE\s+(\?|%\(|:)", sql), sql


def test_start_texts_tell_zones_and_the_repeated_hour_apart(app_ctx) -> None:
    new_york, tokyo = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
    instant = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
    assert api.start_texts(instant.astimezone(new_york)) == (
        "2026-03-01T19:30:00-05:00", "2026-03-02T00:30:00Z")
    # The same instant (an equal datetime) in another zone.
    assert api.start_texts(instant.astimezone(tokyo)) == (
        "2026-03-02T09:30:00+09:00", "2026-03-02T00:30:00Z")
    # 01:30 twice on 1 November 2026 in New York: equal datetimes, an hour apart.
    first = datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    second = first.replace(fold=1)
    assert api.start_texts(first) == ("2026-11-01T01:30:00-04:00", "2026-11-01T05:30:00Z")
    assert api.start_texts(second) == ("2026-11-01T01:30:00-05:00", "2026-11-01T06:30:00Z")
