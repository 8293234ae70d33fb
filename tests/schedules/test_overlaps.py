"""Overlapping picks: compared in UTC, each meeting in its own zone, for the coming week."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from finder.schedules.overlaps import overlapping_pairs


@dataclass
class Slot:
    id: int
    day: int
    time: str
    end_time: str | None
    timezone: str


def test_same_wall_time_in_two_zones_does_not_clash():
    slots = [Slot(1, 1, "19:00", "20:00", "America/New_York"),
             Slot(2, 1, "19:00", "20:00", "America/Chicago")]
    assert overlapping_pairs(slots, datetime(2026, 11, 23, tzinfo=UTC)) == []


def test_clash_depends_on_the_week_when_dst_rules_differ():
    # 00:30 Tuesday in London vs 19:00-20:00 Monday in New York: 00:00-01:00 UTC in winter
    # (clash), but 23:00-00:00 UTC in the weeks when New York is on EDT and London on GMT.
    slots = [Slot(1, 1, "19:00", "20:00", "America/New_York"),
             Slot(2, 2, "00:30", None, "Europe/London")]
    assert overlapping_pairs(slots, datetime(2026, 11, 23, tzinfo=UTC)) == [(1, 2)]
    assert overlapping_pairs(slots, datetime(2027, 3, 15, tzinfo=UTC), days=7) == []  # EDT vs GMT
    # Plans look eight weeks ahead (issue 15): the summer weeks after it clash again.
    assert overlapping_pairs(slots, datetime(2027, 3, 15, tzinfo=UTC)) == [(1, 2)]
    assert overlapping_pairs(slots, datetime(2027, 4, 5, tzinfo=UTC)) == [(1, 2)]  # both summer


def test_touching_meetings_do_not_clash_and_overnight_ones_do():
    slots = [Slot(1, 3, "18:00", "19:00", "Europe/Berlin"),
             Slot(2, 3, "19:00", "20:00", "Europe/Berlin"),
             Slot(3, 3, "23:00", "01:00", "Europe/Berlin"),
             Slot(4, 4, "00:30", None, "Europe/Berlin")]
    assert overlapping_pairs(slots, datetime(2026, 11, 23, tzinfo=UTC)) == [(3, 4)]


def test_week_edges_are_covered():
    # "now" falls in the middle of a Sunday meeting that clashes with another one.
    slots = [Slot(1, 0, "10:00", "12:00", "UTC"), Slot(2, 0, "11:00", "11:30", "UTC")]
    now = datetime(2026, 11, 22, 11, 45, tzinfo=UTC)  # a Sunday
    assert overlapping_pairs(slots, now) == [(1, 2)]
    assert overlapping_pairs(slots[:1], now) == []
