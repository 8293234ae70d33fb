"""Search with meetings that are not every week, the clock fixed around their dates (both engines)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from finder.enums import Attendance
from finder.extensions import db
from finder.pattern import MONTHLY, WEEKS, Recurrence
from finder.search.query import Criteria, search
from tests.search_helpers import add_meeting

NY = ZoneInfo("America/New_York")
ORIGIN = dict(latitude=40.75, longitude=-73.99)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


def names(page) -> list[str]:
    return sorted(hit.meeting.name for hit in page.hits)


def soon(now: datetime, **kw) -> list[str]:
    return names(search(Criteria(tz="America/New_York", starting_within=60, now=now, **kw)))


def test_a_meeting_cancelled_today_is_not_starting_soon(ctx):
    add_meeting("weekly thursday", day=4)
    add_meeting("not on christmas eve", day=4, recurrence=Recurrence(cancelled=(date(2026, 12, 24),)))
    add_meeting("online, not on christmas eve", day=4, attendance_option=Attendance.ONLINE,
                recurrence=Recurrence(cancelled=(date(2026, 12, 24),)))
    eve = datetime(2026, 12, 24, 18, 30, tzinfo=NY)
    assert soon(eve) == ["weekly thursday"]
    assert soon(eve, **ORIGIN) == ["weekly thursday"]
    week_before = datetime(2026, 12, 17, 18, 30, tzinfo=NY)
    assert soon(week_before) == ["not on christmas eve", "online, not on christmas eve",
                                 "weekly thursday"]
    # Without a time filter it is listed, with its real next start a week later.
    page = search(Criteria(tz="America/New_York", now=eve, **ORIGIN))
    starts = {hit.meeting.name: hit.next_start.isoformat() for hit in page.hits}
    assert starts["not on christmas eve"] == "2026-12-31T19:00:00-05:00"
    assert starts["weekly thursday"] == "2026-12-24T19:00:00-05:00"


def test_a_monthly_meeting_only_in_its_week(ctx):
    add_meeting("first monday", day=1, recurrence=Recurrence(kind=MONTHLY, nths=(1,)))
    add_meeting("last monday", day=1, attendance_option=Attendance.ONLINE,
                recurrence=Recurrence(kind=MONTHLY, nths=(-1,)))
    add_meeting("every other monday", day=1,
                recurrence=Recurrence(kind=WEEKS, interval=2, anchor=date(2026, 12, 14)))
    add_meeting("ended", day=1, recurrence=Recurrence(ends=date(2026, 11, 30)))
    add_meeting("every monday", day=1)
    first = datetime(2026, 12, 7, 18, 30, tzinfo=NY)
    assert soon(first) == ["every monday", "first monday"]
    assert soon(first, **ORIGIN) == ["every monday", "first monday"]
    assert soon(datetime(2026, 12, 14, 18, 30, tzinfo=NY)) == ["every monday", "every other monday"]
    assert soon(datetime(2026, 12, 28, 18, 30, tzinfo=NY)) == [
        "every monday", "every other monday", "last monday"]
    # "Monday" from a Tuesday is the next Monday: the 7th holds the first-Monday meeting only.
    monday = search(Criteria(tz="America/New_York", day=1, now=datetime(2026, 12, 1, 12, tzinfo=NY)))
    assert names(monday) == ["every monday", "first monday"]
    monday = search(Criteria(tz="America/New_York", day=1, now=datetime(2026, 12, 8, 12, tzinfo=NY),
                             **ORIGIN))
    assert names(monday) == ["every monday", "every other monday"]
    listed = search(Criteria(tz="America/New_York", now=first))
    assert "ended" not in names(listed) and len(listed.hits) == 4
    starts = {hit.meeting.name: hit.next_start.date() for hit in listed.hits}
    assert starts["last monday"] == date(2026, 12, 28)
    assert starts["every other monday"] == date(2026, 12, 14)


def test_pages_fill_past_meetings_that_do_not_meet(ctx):
    for index in range(7):
        add_meeting(f"monthly {index}", day=1, time=f"19:{index:02d}",
                    attendance_option=Attendance.ONLINE,
                    recurrence=Recurrence(kind=MONTHLY, nths=(3,)))
        add_meeting(f"weekly {index}", day=1, time=f"19:{index:02d}",
                    attendance_option=Attendance.ONLINE)
    now = datetime(2026, 12, 7, 18, 30, tzinfo=NY)
    seen, cursor = [], None
    while True:
        page = search(Criteria(tz="America/New_York", starting_within=60, now=now, limit=3,
                               cursor=cursor))
        seen += [hit.meeting.name for hit in page.hits]
        assert len(page.hits) == 3 or page.next is None
        if page.next is None:
            break
        cursor = page.next
    assert seen == [f"weekly {index}" for index in range(7)]


def test_the_api_gives_the_real_next_start(ctx, client):
    meeting = add_meeting("third friday", day=5, attendance_option=Attendance.ONLINE,
                          recurrence=Recurrence(kind=MONTHLY, nths=(3,)))
    db.session.commit()
    body = client.get(f"/api/v1/meetings/{meeting.id}").json
    start = datetime.fromisoformat(body["next_start"])
    local = start.astimezone(NY)
    assert local.weekday() == 4 and 15 <= local.day <= 21 and local.hour == 19


def test_a_ring_that_fills_the_page_before_drops_reads_on_past_it(ctx):
    """The first ring holds a page's worth (but not the read-ahead's): when meetings in it do
    not meet that week, the page fills from farther rings instead of ending."""
    for index in range(5):  # all within the first ring, nearest first
        pattern = Recurrence(kind=MONTHLY, nths=(3,)) if index % 2 else None
        add_meeting(f"near {index}", latitude=40.75 + 0.001 * index, recurrence=pattern)
    for index in range(3):  # ~10 km north
        add_meeting(f"far {index}", latitude=40.84 + 0.001 * index)
    tuesday = datetime(2026, 12, 1, 12, tzinfo=NY)  # the next Monday is the first of the month
    seen, pages, cursor = [], 0, None
    while True:
        page = search(Criteria(tz="America/New_York", day=1, radius_km=50, limit=3, now=tuesday,
                               attendance=frozenset({Attendance.IN_PERSON}), cursor=cursor,
                               **ORIGIN))
        seen += [hit.meeting.name for hit in page.hits]
        pages += 1
        if page.next is None:
            break
        cursor = page.next
    assert seen == ["near 0", "near 2", "near 4", "far 0", "far 1", "far 2"]
    assert pages == 2


def test_a_day_search_gives_each_pattern_its_real_next_start(ctx):
    add_meeting("first monday", recurrence=Recurrence(kind=MONTHLY, nths=(1,)))
    add_meeting("every other monday", time="09:00",
                recurrence=Recurrence(kind=WEEKS, interval=2, anchor=date(2026, 12, 7)))
    add_meeting("every monday, not the 7th", time="20:00",
                recurrence=Recurrence(cancelled=(date(2026, 12, 7),)))

    def starts(now: datetime) -> dict[str, str]:
        page = search(Criteria(tz="America/New_York", day=1, now=now, **ORIGIN))
        return {hit.meeting.name: hit.next_start.isoformat() for hit in page.hits}

    # From the Tuesday before: the next starts are the Monday's own.
    assert starts(datetime(2026, 12, 1, 12, tzinfo=NY)) == {
        "first monday": "2026-12-07T19:00:00-05:00",
        "every other monday": "2026-12-07T09:00:00-05:00"}
    # On the Monday itself: one in progress since 09:00 is next met two weeks on.
    assert starts(datetime(2026, 12, 7, 12, tzinfo=NY)) == {
        "first monday": "2026-12-07T19:00:00-05:00",
        "every other monday": "2026-12-21T09:00:00-05:00"}
    # The next Monday: neither monthly nor every other week, and the weekly one meets again.
    assert starts(datetime(2026, 12, 8, 12, tzinfo=NY)) == {
        "every monday, not the 7th": "2026-12-14T20:00:00-05:00"}
