"""The online list as one statement: each zone's local slots, checked against the weekly clock
(finder.weekly.next_start) around daylight-saving changes, on both engines."""
from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from finder.enums import Attendance
from finder.extensions import db
from finder.models import Meeting, Source
from finder.search.criteria import Criteria
from finder.search.query import search
from finder.search.sql import slot_params
from finder.search.windows import Window, ZoneGroup, group_slots, seeker_window, soon_window
from finder.weekly import DAY_MINUTES, WEEK_MINUTES, day_of, next_start
from tests.conftest import meeting_values
from tests.statements import statements_run

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata",
         "Australia/Lord_Howe", "America/Sao_Paulo")
# Starts away from 01:00-03:59, where clock changes skip or repeat an hour.
CLOCKS = [f"{hour:02d}:{minute:02d}" for hour in (0, *range(4, 24)) for minute in (10, 40)]
NEW_YORK = ZoneInfo("America/New_York")
INSTANTS = [
    datetime(2026, 3, 7, 23, 30, tzinfo=NEW_YORK),   # hours before the US springs forward
    datetime(2026, 3, 28, 22, 0, tzinfo=UTC),        # the night the EU springs forward
    datetime(2026, 4, 4, 14, 50, tzinfo=UTC),        # Sydney and Lord Howe fall back that night
    datetime(2026, 10, 31, 20, 0, tzinfo=NEW_YORK),  # the night the US falls back
    datetime(2026, 6, 16, 9, 0, tzinfo=NEW_YORK),    # a quiet week
]


@pytest.fixture
def clockwork(app_ctx) -> dict[int, Meeting]:
    """Online meetings in six zones (two with half-hour changes or none), every day, all day."""
    source = Source(name="s", url="https://example.org/f.json", format="meeting-guide",
                    fellowship=meeting_values({})["fellowship"])
    db.session.add(source)
    db.session.flush()
    rows = [meeting_values({
        "source_id": source.id, "source_key": f"{zone}-{day}-{clock}", "name": f"{zone} {day} {clock}",
        "timezone": zone, "day": day, "time": clock, "attendance_option": Attendance.ONLINE,
        "latitude": None, "longitude": None, "conference_url": "https://zoom.us/j/1"})
        for zone in ZONES for day in range(7) for clock in CLOCKS]
    db.session.execute(sa.insert(Meeting.__table__), rows)
    db.session.commit()
    return {meeting.id: meeting for meeting in db.session.scalars(sa.select(Meeting))}


def _every_hit(criteria: dict) -> list:
    hits, cursor = [], None
    while True:
        page = search(Criteria(limit=200, cursor=cursor, **criteria))
        hits += page.hits
        if page.next is None:
            return hits
        cursor = page.next


def _expected(meetings: dict[int, Meeting], window: Window, now: datetime) -> dict[int, datetime]:
    """Meetings with a start in ``window``, and their next start from ``now`` (the oracle), in UTC
    (aware times in a repeated hour never equal those of another zone, PEP 495)."""
    found = {}
    for meeting in meetings.values():
        start = next_start(meeting.day, meeting.time, meeting.timezone, window.start)
        if start < window.end:
            found[meeting.id] = next_start(meeting.day, meeting.time, meeting.timezone, now).astimezone(UTC)
    return found


@pytest.mark.parametrize("now", INSTANTS, ids=lambda moment: moment.isoformat())
def test_starting_soon_across_clock_changes(clockwork, now):
    for minutes in (45, 180, 600):
        hits = _every_hit({"starting_within": minutes, "now": now, "tz": "America/New_York"})
        expected = _expected(clockwork, soon_window(now, minutes), now)
        assert len(expected) > 3
        assert {hit.meeting.id: hit.next_start.astimezone(UTC) for hit in hits} == expected
        starts = [hit.next_start.astimezone(UTC) for hit in hits]
        assert starts == sorted(starts)  # soonest first, whatever the zone's clock change


@pytest.mark.parametrize("now", INSTANTS, ids=lambda moment: moment.isoformat())
def test_a_day_and_hours_across_clock_changes(clockwork, now):
    # Days ahead of the seeker's today (today's window holds starts already past, whose next
    # start is a week on: then a clock change in that week decides whether it still counts).
    today = day_of(now.astimezone(ZoneInfo("Europe/London")))
    for ahead, start, end in ((1, time(9), time(13)), (2, time(22), time(3)), (6, time(0), None)):
        day = (today + ahead) % 7
        criteria = {"day": day, "time_from": start, "time_to": end, "now": now, "tz": "Europe/London"}
        hits = _every_hit(criteria)
        window = seeker_window(now, ZoneInfo("Europe/London"), day=day, time_from=start, time_to=end)
        expected = _expected(clockwork, window, now)
        assert {hit.meeting.id for hit in hits} == set(expected)


def test_slots_are_one_per_local_day_within_every_window():
    now = datetime(2026, 1, 13, 17, 0, tzinfo=UTC)  # Tuesday, 12:00 in New York
    group = ZoneGroup(("America/New_York",), -300, ((((20 * 60, DAY_MINUTES), (0, 60))),))
    every_evening = Window(now, now + timedelta(days=1), every_day=True)
    # The next 30 hours in New York: Tuesday 12:00 to Wednesday 18:00, evenings 20:00-01:00 only.
    assert group_slots(now, group, (every_evening,), 0, 30 * 60) == (
        (-300, 2, 20 * 60, DAY_MINUTES), (-300, 3, 0, 60))
    # The whole week from Saturday 23:00: wraps the week end into Sunday.
    saturday = datetime(2026, 1, 18, 4, 0, tzinfo=UTC)
    whole = ZoneGroup(("America/New_York",), -300, ())
    slots = group_slots(saturday, whole, (), 0, WEEK_MINUTES)
    assert [slot[1] for slot in slots] == [0, 1, 2, 3, 4, 5, 6]
    assert sum(high - low for _, _, low, high in slots) == WEEK_MINUTES
    assert group_slots(saturday, whole, (), 0, 120) == (
        (-300, 6, 23 * 60, DAY_MINUTES), (-300, 0, 0, 60))


def test_slot_params_seek_every_zone_of_a_slot_with_the_day_end_after_every_start():
    slots = ((("America/New_York", "America/Toronto"), -300, 2, 22 * 60 + 5, DAY_MINUTES, "online"),
             ((), 60, 3, 0, 30, "online"),
             (("Asia/Kolkata",), 330, 0, 0, 90, "hybrid"))
    rows = [["America/New_York", -300, 2, "22:05", "24:00", "online"],
            ["America/Toronto", -300, 2, "22:05", "24:00", "online"],
            ["Asia/Kolkata", 330, 0, "00:00", "01:30", "hybrid"]]
    assert json.loads(slot_params(slots, "sqlite")["slots"]) == rows
    assert slot_params(slots, "postgresql") == {
        "zones": ["America/New_York", "America/Toronto", "Asia/Kolkata"], "offsets": [-300, -300, 330],
        "days": [2, 2, 0], "lows": ["22:05", "22:05", "00:00"], "highs": ["24:00", "24:00", "01:30"],
        "options": ["online", "online", "hybrid"]}


def test_one_statement_text_for_every_online_search(clockwork):
    with statements_run(db.engine, "slot") as statements:
        for now in INSTANTS:
            for criteria in ({"starting_within": 60}, {"starting_within": 600},
                             {"day": 3, "time_from": time(18), "time_to": time(21)}):
                assert search(Criteria(now=now, tz="America/New_York", **criteria)).hits
    # The zones, slots and instant are parameters: one text, planned once, whatever the search.
    assert len(statements) >= 15 and len(set(statements)) == 1
    assert "UNION" not in statements[0]
