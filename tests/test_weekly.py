"""finder.weekly: Meeting Guide day numbers, HH:MM clocks, lengths, and the next start of a weekly time."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from finder.weekly import (
    DAY_MINUTES,
    clock,
    day_of,
    duration,
    length_minutes,
    local_start,
    minute_of_week,
    minutes,
    next_start,
    parse_clock,
)

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("moment", "day"), [
    (date(2026, 11, 22), 0),  # a Sunday
    (date(2026, 11, 23), 1),
    (date(2026, 11, 28), 6),
    (datetime(2026, 11, 22, 23, 59), 0),
    (datetime(2026, 11, 29, 0, 0, tzinfo=UTC), 0),
])
def test_day_of_counts_from_sunday(moment, day):
    assert day_of(moment) == day


@pytest.mark.parametrize(("text", "total"), [("00:00", 0), ("00:01", 1), ("09:30", 570), ("23:59", 1439)])
def test_minutes_and_clock(text, total):
    assert minutes(text) == total
    assert clock(total) == text


def test_every_minute_of_the_day_round_trips():
    assert [minutes(clock(total)) for total in range(DAY_MINUTES)] == list(range(DAY_MINUTES))


@pytest.mark.parametrize(("total", "text"), [
    (DAY_MINUTES, "00:00"), (DAY_MINUTES + 61, "01:01"), (-1, "23:59"), (-60, "23:00"),
    (3 * DAY_MINUTES + 5, "00:05"),
])
def test_clock_wraps_into_one_day(total, text):
    assert clock(total) == text


def test_parse_clock_takes_exactly_hh_mm():
    assert parse_clock("07:05") == time(7, 5)
    assert parse_clock("23:59") == time(23, 59)
    for text in ("7:05", "07:5", "24:00", "07:60", "0705", "07-05", " 07:05", "07:05 ", "ab:cd", ""):
        with pytest.raises(ValueError):
            parse_clock(text)


@pytest.mark.parametrize(("local", "minute"), [
    (datetime(2026, 11, 22, 0, 0), 0),  # Sunday midnight starts the week
    (datetime(2026, 11, 23, 1, 2), DAY_MINUTES + 62),
    (datetime(2026, 11, 28, 23, 59), 7 * DAY_MINUTES - 1),
])
def test_minute_of_week(local, minute):
    assert minute_of_week(local) == minute


@pytest.mark.parametrize(("start", "end", "length"), [
    ("19:00", "20:30", 90), ("23:30", "00:30", 60), ("19:00", "19:00", 0), ("19:00", "18:00", 1380),
])
def test_length_minutes_runs_past_midnight(start, end, length):
    assert length_minutes(start, end) == length


@pytest.mark.parametrize(
    ("time", "end_time", "minutes"),
    [("19:00", "20:30", 90), ("19:00", None, 60), ("23:30", "00:30", 60), ("19:00", "19:00", 60)],
)
def test_duration(time, end_time, minutes):
    """A missing end, or one equal to the start, is an hour; an end past midnight is the next day."""
    assert duration(time, end_time) == timedelta(minutes=minutes)


def test_local_start_keeps_the_wall_clock_even_in_a_gap():
    start = local_start("02:30", "America/New_York", date(2027, 3, 14))  # does not exist there
    assert (start.hour, start.minute, start.fold) == (2, 30, 0)
    assert start.tzinfo == NEW_YORK


def test_next_start_handles_the_week_and_dst():
    tuesday_evening = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 18:30 in New York
    start = next_start(2, "19:00", "America/New_York", tuesday_evening)
    assert start.isoformat() == "2026-11-24T19:00:00-05:00"
    start = next_start(2, "18:00", "America/New_York", tuesday_evening)
    assert start.isoformat() == "2026-12-01T18:00:00-05:00"
    # 02:30 on the spring-forward Sunday does not exist in New York: it happens at 03:30 EDT.
    start = next_start(0, "02:30", "America/New_York", datetime(2027, 3, 13, 12, tzinfo=UTC))
    assert start.isoformat() == "2027-03-14T03:30:00-04:00"


def test_next_start_in_a_london_gap_moves_forward_by_the_gap():
    start = next_start(0, "01:30", "Europe/London", datetime(2027, 3, 27, 12, tzinfo=UTC))
    assert start.isoformat() == "2027-03-28T02:30:00+01:00"
    assert start.astimezone(UTC).isoformat() == "2027-03-28T01:30:00+00:00"


def test_next_start_of_a_repeated_time_is_the_first_one():
    # New York falls back on 1 November 2026: 01:30 happens twice; the meeting is the first.
    start = next_start(0, "01:30", "America/New_York", datetime(2026, 10, 31, 12, tzinfo=UTC))
    assert start.isoformat() == "2026-11-01T01:30:00-04:00"


def test_next_start_at_exactly_now_is_now():
    now = datetime(2026, 11, 24, 19, 0, tzinfo=NEW_YORK)  # a Tuesday
    assert next_start(2, "19:00", "America/New_York", now) == now
    assert next_start(2, "19:00", "America/New_York", now.astimezone(UTC)) == now
    later = next_start(2, "19:00", "America/New_York", now + timedelta(seconds=1))
    assert later == now + timedelta(weeks=1)
    assert later.tzinfo == NEW_YORK  # in the meeting's own zone, whatever zone ``now`` has
