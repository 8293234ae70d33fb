"""finder.search.query: search by distance, attendance, day, time, types and text, on both engines."""
from __future__ import annotations

import math
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from geopy.distance import great_circle

from finder.enums import Attendance, Fellowship
from finder.geo.points import EARTH_RADIUS_KM
from finder.search.criteria import Criteria
from finder.search.query import CursorError, search
from tests.statements import statements_run

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday 13 January 2026, 12:00 in New York (17:00 UTC): no daylight saving on either side.
WINTER_TUESDAY = datetime(2026, 1, 13, 12, 0, tzinfo=NEW_YORK)


def names(page) -> list[str]:
    return [hit.meeting.name for hit in page.hits]


def near(lat: float, lon: float, radius_km: float = 25.0, **kw) -> Criteria:
    return Criteria(latitude=lat, longitude=lon, radius_km=radius_km, now=WINTER_TUESDAY, **kw)


# --- distance ------------------------------------------------------------------------------


def test_bmlt_distance_vectors(app_ctx, add_meeting, bmlt_origin) -> None:
    add_meeting("far", latitude=36.0869819, longitude=-79.9023415)
    add_meeting("near", latitude=36.0733691, longitude=-79.8240715)
    add_meeting("outside", latitude=36.3, longitude=-79.79)  # 26 km north
    page = search(near(*bmlt_origin, radius_km=20))
    assert names(page) == ["near", "far"]
    # BMLT's own test expectations, within 0.5 %.
    assert page.hits[0].distance_km == pytest.approx(2.85, rel=0.005)
    assert page.hits[1].distance_km == pytest.approx(10.03, rel=0.005)


def test_radius_edge_along_a_meridian_and_in_the_box_corner(app_ctx, add_meeting) -> None:
    # Along a meridian the distance is R * delta-latitude, so these are 24.99 and 25.01 km away.
    for km in (24.99, 25.01):
        add_meeting(f"north {km}", latitude=40 + math.degrees(km / EARTH_RADIUS_KM), longitude=-75)
    sphere = great_circle(radius=EARTH_RADIUS_KM)
    for km in (24.9, 30.0):  # north-east: the 30 km point is inside the box but outside the circle
        point = sphere.destination((40, -75), 45, km)
        add_meeting(f"north-east {km}", latitude=point.latitude, longitude=point.longitude)
    page = search(near(40, -75))
    assert names(page) == ["north-east 24.9", "north 24.99"]
    assert page.hits[1].distance_km == pytest.approx(24.99, abs=1e-6)


def test_antimeridian(app_ctx, add_meeting) -> None:
    # Fiji: 0.1 degree of longitude across the date line at 17.75 S is 10.59 km.
    add_meeting("across", latitude=-17.75, longitude=-179.95, timezone="Pacific/Fiji")
    add_meeting("same side, 47.7 km", latitude=-17.75, longitude=179.5, timezone="Pacific/Fiji")
    add_meeting("across, 58 km", latitude=-17.75, longitude=-179.4, timezone="Pacific/Fiji")
    page = search(near(-17.75, 179.95))
    assert names(page) == ["across"]
    assert page.hits[0].distance_km == pytest.approx(10.590, abs=0.001)


def test_high_latitudes_and_the_pole(app_ctx, add_meeting) -> None:
    # Longyearbyen: one degree of longitude at 78.22 N is about 111.2 * cos(78.22) = 22.7 km.
    add_meeting("one degree east", latitude=78.2232, longitude=16.6267, timezone="Arctic/Longyearbyen")
    add_meeting("31 km east", latitude=78.2232, longitude=17.0, timezone="Arctic/Longyearbyen")
    page = search(near(78.2232, 15.6267))
    assert names(page) == ["one degree east"]
    assert page.hits[0].distance_km == pytest.approx(22.69, abs=0.01)
    # Across the North Pole: 0.05 degree to the pole and 0.05 beyond it is 11.12 km.
    add_meeting("over the pole", latitude=89.95, longitude=180.0, timezone="UTC")
    page = search(near(89.95, 0.0))
    assert names(page) == ["over the pole"]
    assert page.hits[0].distance_km == pytest.approx(11.12, abs=0.01)


def test_online_meetings_are_never_dropped_by_the_radius_and_come_after(app_ctx, add_meeting) -> None:
    add_meeting("online in London", attendance_option=Attendance.ONLINE, timezone="Europe/London",
                day=2, time="19:00")
    add_meeting("online, junk coordinates", attendance_option=Attendance.ONLINE, day=2,
                time="12:30", latitude=10.0, longitude=10.0)
    add_meeting("close", latitude=40.76, longitude=-73.99)
    add_meeting("far away", latitude=34.05, longitude=-118.24)
    page = search(near(40.75, -73.99, radius_km=5))
    # Online ones by next start from Tuesday 12:00 New York: 12:30 here, then 14:00 (London 19:00).
    assert names(page) == ["close", "online, junk coordinates", "online in London"]
    assert [hit.distance_km for hit in page.hits[1:]] == [None, None]


def test_hybrid_semantics_and_inactive_never_shown(app_ctx, add_meeting) -> None:
    for option in Attendance:
        add_meeting(option.value, attendance_option=option)

    def found(*wanted: Attendance) -> set[str]:
        return set(names(search(near(40.75, -73.99, attendance=frozenset(wanted)))))

    assert found() == {"in_person", "hybrid", "online"}
    assert found(Attendance.IN_PERSON) == {"in_person", "hybrid"}
    assert found(Attendance.ONLINE) == {"online", "hybrid"}
    assert found(Attendance.HYBRID) == {"hybrid"}
    assert found(Attendance.IN_PERSON, Attendance.ONLINE) == {"in_person", "hybrid", "online"}
    assert set(names(search(Criteria(attendance=frozenset({Attendance.HYBRID}))))) == {"hybrid"}


def test_hybrid_for_an_online_seeker_is_not_limited_by_the_radius(app_ctx, add_meeting) -> None:
    add_meeting("hybrid in Los Angeles", attendance_option=Attendance.HYBRID, latitude=34.05,
                longitude=-118.24, conference_url="https://zoom.us/j/1")
    page = search(near(40.75, -73.99, attendance=frozenset({Attendance.ONLINE})))
    assert names(page) == ["hybrid in Los Angeles"]
    assert page.hits[0].distance_km == pytest.approx(3936, rel=0.01)
    assert search(near(40.75, -73.99, attendance=frozenset({Attendance.IN_PERSON}))).hits == []


def test_removed_meetings_and_filters(app_ctx, add_meeting) -> None:
    add_meeting("removed", removed_at=datetime(2026, 1, 1, tzinfo=UTC))
    original = add_meeting("open speaker", types=("O", "SP"))
    add_meeting("copy from another source", types=("O", "SP"), duplicate_of_id=original.id)
    add_meeting("online copy", attendance_option=Attendance.ONLINE, duplicate_of_id=original.id)
    add_meeting("closed speaker", types=("C", "SP"))
    add_meeting("NA open", types=("O",), fellowship=Fellowship.NA)
    assert set(names(search(near(40.75, -73.99)))) == {"open speaker", "closed speaker", "NA open"}
    assert names(search(near(40.75, -73.99, types=("O", "SP")))) == ["open speaker"]
    assert names(search(near(40.75, -73.99, fellowships=frozenset({Fellowship.NA})))) == ["NA open"]


def test_region_as_its_source_names_it(app_ctx, add_meeting) -> None:
    add_meeting("Irvine noon", region="IRVINE")
    add_meeting("Santa Ana noon", region="SANTA ANA")
    add_meeting("Online", region="IRVINE", attendance_option=Attendance.ONLINE)
    add_meeting("No region")
    assert set(names(search(near(40.75, -73.99, region="IRVINE")))) == {"Irvine noon", "Online"}
    assert names(search(near(40.75, -73.99, region="IRVINE", order="time",
                             attendance=frozenset({Attendance.IN_PERSON})))) == ["Irvine noon"]
    assert names(search(near(40.75, -73.99, region="Irvine"))) == []  # exact, as listed


def test_free_text_is_case_insensitive_on_both_engines(app_ctx, add_meeting) -> None:
    add_meeting("Café Serenity")
    add_meeting("Noon Group", location="ÉGLISE Saint-Jean")
    add_meeting("Step Study", notes="Big Book 100% of the time", group="Downtown")
    add_meeting("Other", notes="Big Book 100 of the time")
    assert names(search(near(40.75, -73.99, q="CAFÉ"))) == ["Café Serenity"]
    assert names(search(near(40.75, -73.99, q="église"))) == ["Noon Group"]
    assert names(search(near(40.75, -73.99, q="100% downtown"))) == ["Step Study"]


# --- time ----------------------------------------------------------------------------------


def test_london_evening_is_new_york_afternoon(app_ctx, add_meeting) -> None:
    add_meeting("London 19:00", attendance_option=Attendance.ONLINE, timezone="Europe/London",
                day=2, time="19:00")
    window = {"tz": "America/New_York", "day": 2, "now": WINTER_TUESDAY}
    page = search(Criteria(time_from=time(13, 30), time_to=time(14, 30), **window))
    assert names(page) == ["London 19:00"]
    assert page.hits[0].next_start.isoformat() == "2026-01-13T14:00:00-05:00"
    assert search(Criteria(time_from=time(18, 30), time_to=time(19, 30), **window)).hits == []


@pytest.mark.parametrize(("now", "local_start"), [
    # The US springs forward on 8 March 2026, the UK only on 29 March: London 19:00 is 15:00.
    (datetime(2026, 3, 10, 9, 0, tzinfo=NEW_YORK), "2026-03-10T15:00:00-04:00"),
    # The UK falls back on 25 October 2026, the US only on 1 November: again 15:00.
    (datetime(2026, 10, 27, 9, 0, tzinfo=NEW_YORK), "2026-10-27T15:00:00-04:00"),
    # Both on summer time: 14:00 again.
    (datetime(2026, 6, 16, 9, 0, tzinfo=NEW_YORK), "2026-06-16T14:00:00-04:00"),
])
def test_daylight_saving_weeks(app_ctx, add_meeting, now, local_start) -> None:
    add_meeting("London 19:00", attendance_option=Attendance.ONLINE, timezone="Europe/London",
                day=2, time="19:00")
    hour = int(local_start[11:13])
    window = {"tz": "America/New_York", "day": 2, "now": now}
    page = search(Criteria(time_from=time(hour - 1, 30), time_to=time(hour, 30), **window))
    assert [hit.next_start.isoformat() for hit in page.hits] == [local_start]
    wrong_hour = 29 - hour  # 15 -> 14, 14 -> 15
    assert search(Criteria(time_from=time(wrong_hour, 0), time_to=time(wrong_hour, 30),
                           **window)).hits == []


def test_window_across_midnight(app_ctx, add_meeting) -> None:
    for day, start in ((5, "21:00"), (5, "23:00"), (6, "01:00"), (6, "03:00")):
        add_meeting(f"{day} {start}", day=day, time=start)
    page = search(Criteria(tz="America/New_York", day=5, time_from=time(22), time_to=time(2),
                           now=WINTER_TUESDAY))
    assert names(page) == ["5 23:00", "6 01:00"]


def test_window_across_saturday_to_sunday(app_ctx, add_meeting) -> None:
    for day, start in ((6, "22:30"), (6, "23:30"), (0, "00:30"), (0, "01:30"), (1, "00:30")):
        add_meeting(f"{day} {start}", day=day, time=start)
    page = search(Criteria(tz="America/New_York", day=6, time_from=time(23), time_to=time(1),
                           now=WINTER_TUESDAY))
    assert names(page) == ["6 23:30", "0 00:30"]
    # The same window seen from London: Saturday 23:00-01:00 there is 18:00-20:00 in New York.
    page = search(Criteria(tz="Europe/London", day=6, time_from=time(23), time_to=time(1),
                           now=WINTER_TUESDAY))
    assert names(page) == []


def test_starting_within_across_the_week_end(app_ctx, add_meeting) -> None:
    for day, start in ((6, "23:30"), (0, "00:05"), (0, "00:20"), (6, "00:05")):
        add_meeting(f"{day} {start}", day=day, time=start)
    saturday_night = datetime(2026, 1, 17, 23, 40, 30, tzinfo=NEW_YORK)
    page = search(Criteria(tz="America/New_York", starting_within=30, now=saturday_night))
    assert names(page) == ["0 00:05"]
    page = search(Criteria(tz="America/New_York", starting_within=40, now=saturday_night))
    assert names(page) == ["0 00:05", "0 00:20"]
    assert page.hits[0].next_start.isoformat() == "2026-01-18T00:05:00-05:00"


def test_starting_within_converts_each_meeting_zone(app_ctx, add_meeting) -> None:
    add_meeting("London 19:00", attendance_option=Attendance.ONLINE, timezone="Europe/London",
                day=2, time="19:00")
    add_meeting("London 20:00", attendance_option=Attendance.ONLINE, timezone="Europe/London",
                day=2, time="20:00")
    now = datetime(2026, 1, 13, 13, 30, tzinfo=NEW_YORK)
    page = search(Criteria(tz="America/New_York", starting_within=60, now=now))
    assert names(page) == ["London 19:00"]


def test_time_of_day_without_a_day_matches_every_day(app_ctx, add_meeting) -> None:
    add_meeting("Sunday London 23:30", attendance_option=Attendance.ONLINE,
                timezone="Europe/London", day=0, time="23:30")
    add_meeting("Friday London 12:00", attendance_option=Attendance.ONLINE,
                timezone="Europe/London", day=5, time="12:00")
    page = search(Criteria(tz="America/New_York", time_from=time(18), time_to=time(19),
                           now=WINTER_TUESDAY))
    assert names(page) == ["Sunday London 23:30"]
    assert page.hits[0].next_start.isoformat() == "2026-01-18T18:30:00-05:00"


# --- paging --------------------------------------------------------------------------------


def test_paging_is_stable_across_both_lists(app_ctx, add_meeting) -> None:
    for index in range(7):
        add_meeting(f"near {index}", latitude=40.75 + index // 2 * 0.01, longitude=-73.99)
    for index in range(4):
        add_meeting(f"online {index}", attendance_option=Attendance.ONLINE, day=3,
                    time=f"1{index}:00")
    everything = names(search(near(40.75, -73.99, limit=100)))
    assert len(everything) == 11
    for size in (1, 3, 4, 7, 11):
        seen, cursor, pages = [], None, 0
        while True:
            page = search(near(40.75, -73.99, limit=size, cursor=cursor))
            seen += names(page)
            pages += 1
            cursor = page.next
            if cursor is None:
                break
        assert seen == everything
        assert pages == math.ceil(11 / size)


def test_bad_cursor(app_ctx) -> None:
    with pytest.raises(CursorError):
        search(Criteria(cursor="not-a-cursor"))


def test_dated_window_after_a_clock_change(app_ctx, add_meeting) -> None:
    # Saturday 7 March 2026; New York springs forward early on Sunday 8 March.
    add_meeting("Monday 18:30 online", attendance_option=Attendance.ONLINE, day=1, time="18:30")
    add_meeting("Monday 19:30 online", attendance_option=Attendance.ONLINE, day=1, time="19:30")
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)
    page = search(Criteria(tz="America/New_York", day=1, time_from=time(18), time_to=time(19),
                           now=saturday))
    assert names(page) == ["Monday 18:30 online"]
    assert page.hits[0].next_start.isoformat() == "2026-03-09T18:30:00-04:00"


def test_evening_window_the_night_before_a_clock_change(app_ctx, add_meeting) -> None:
    # New York springs forward at 02:00 on Sunday 8 March 2026; Saturday evening is still EST.
    for start in ("21:30", "23:30"):
        add_meeting(f"Saturday {start}", attendance_option=Attendance.ONLINE, day=6, time=start)
    friday = datetime(2026, 3, 6, 12, 0, tzinfo=NEW_YORK)
    page = search(Criteria(tz="America/New_York", day=6, time_from=time(21), time_to=time(23),
                           now=friday))
    assert names(page) == ["Saturday 21:30"]


def test_a_ring_over_half_the_circle_is_the_whole_circle(app_ctx, add_meeting, monkeypatch) -> None:
    from finder.search import query

    add_meeting("Far", latitude=40.75 + 0.15, longitude=-73.99)  # 16.7 km north
    # As if the radius held many rows (a city further off): no reading it whole at once.
    monkeypatch.setattr(query, "CHEAP_ROWS", 0)
    rings: list[float] = []
    real = query.near_keys
    monkeypatch.setattr(query, "near_keys", lambda *args: rings.append(args[5]) or real(*args))
    assert names(search(near(40.75, -73.99, attendance=frozenset({Attendance.IN_PERSON})))) == ["Far"]
    # Nothing within 2 km: the next ring (17.9 km) would cover half the circle, so it is all 25.
    assert rings == [2.0, 25.0]


def test_the_online_list_of_a_minute_is_read_once(app_ctx, add_meeting) -> None:
    from finder.extensions import db

    add_meeting("Here")
    add_meeting("Online", attendance_option=Attendance.ONLINE)
    with statements_run(db.engine, "slot") as statements:
        assert names(search(near(40.75, -73.99, tz="America/New_York"))) == ["Here", "Online"]
        first = len(statements)  # a span of start times, then wider ones: the list is short
        # From London, in the same minute: the online list has no origin, so it is not read again
        # (nor cut short by the in-person rows before it); with no day or clock window, the
        # seeker's zone changes nothing in it either.
        assert names(search(near(51.5, -0.12, tz="Europe/London"))) == ["Online"]
        assert len(statements) == first
        # A day is a day in the seeker's zone, so each zone's list is its own: the meeting of
        # Monday 19:00 in New York is on Tuesday in London (00:00) but not in New York.
        assert names(search(near(51.5, -0.12, tz="Europe/London", day=2))) == ["Online"]
        in_london = len(statements)
        assert in_london > first
        assert names(search(near(40.75, -73.99, tz="America/New_York", day=2))) == []
        assert len(statements) > in_london
        first = len(statements)
        add_meeting("Also online", attendance_option=Attendance.ONLINE, time="19:30")
        db.session.remove()  # a new request: the data version is read again, and has moved
        assert names(search(near(51.5, -0.12))) == ["Online", "Also online"]
        assert len(statements) > first
        # Without an origin the online list is the whole search, shared the same way: read
        # once for the minute, whatever the seeker's zone, and again only for another minute.
        everything = ["Here", "Online", "Also online"]
        seen = len(statements)
        assert names(search(Criteria(now=WINTER_TUESDAY, tz="America/New_York"))) == everything
        once = len(statements) - seen
        assert once > 0
        assert names(search(Criteria(now=WINTER_TUESDAY, tz="Asia/Tokyo"))) == everything
        assert len(statements) == seen + once
        assert names(search(Criteria(now=WINTER_TUESDAY.replace(minute=1)))) == everything
        assert len(statements) == seen + 2 * once
