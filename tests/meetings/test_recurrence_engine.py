"""The occurrence engine (finder/recurrence.py): dates, DST, exceptions, next start, words."""
from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from finder.pattern import MONTHLY, PLAIN, WEEKS, Moved, Recurrence
from finder.recurrence import describe, is_cancelled, next_start, occurrences, upcoming


def slot(day=1, time="19:00", zone="America/New_York", end_time=None, **pattern):
    recurrence = Recurrence(**pattern) if pattern else None
    if recurrence is not None:
        recurrence.check(day)
    return SimpleNamespace(day=day, time=time, end_time=end_time, timezone=zone,
                           recurrence=recurrence)


def local_dates(meeting, start, end, **kw):
    return [o.start.date() for o in occurrences(meeting, start, end, **kw)]


DEC = datetime(2026, 12, 1, tzinfo=UTC)
MAR = datetime(2027, 3, 1, tzinfo=UTC)


def test_first_and_third_monday():
    meeting = slot(kind=MONTHLY, nths=(1, 3))
    assert local_dates(meeting, DEC, MAR) == [
        date(2026, 12, 7), date(2026, 12, 21), date(2027, 1, 4), date(2027, 1, 18),
        date(2027, 2, 1), date(2027, 2, 15)]
    assert describe(meeting) == "First and third Monday of the month, 19:00"


def test_last_saturday_and_fifth():
    meeting = slot(day=6, kind=MONTHLY, nths=(-1,))
    assert local_dates(meeting, DEC, MAR) == [date(2026, 12, 26), date(2027, 1, 30),
                                              date(2027, 2, 27)]
    assert describe(meeting) == "Last Saturday of the month, 19:00"
    fifth = slot(day=2, kind=MONTHLY, nths=(5,))  # months with five Tuesdays only
    assert local_dates(fifth, DEC, MAR) == [date(2026, 12, 29), date(2027, 3, 30)][:1]
    assert describe(slot(kind=MONTHLY, nths=(-1, 1, 3))) == \
        "First, third and last Monday of the month, 19:00"


def test_every_other_week_from_anchor():
    meeting = slot(day=5, kind=WEEKS, interval=2, anchor=date(2026, 12, 4))
    assert local_dates(meeting, DEC, datetime(2027, 1, 1, tzinfo=UTC)) == [
        date(2026, 12, 4), date(2026, 12, 18)]
    # Before the anchor too: the phase is what counts.
    assert local_dates(meeting, datetime(2026, 11, 1, tzinfo=UTC), DEC) == [
        date(2026, 11, 6), date(2026, 11, 20)]
    assert describe(meeting) == "Every other Friday, 19:00"
    with pytest.raises(ValueError, match="not a Friday"):
        slot(day=5, kind=WEEKS, interval=2, anchor=date(2026, 12, 5))


def test_cancelled_moved_and_dates():
    meeting = slot(day=4, cancelled=(date(2026, 12, 24),), starts=date(2026, 12, 10),
                   ends=date(2027, 1, 14),
                   moved=(Moved(date(2026, 12, 31), time="17:00", location="Annex"),))
    found = list(occurrences(meeting, DEC, MAR, cancelled=True))
    assert [(o.on, o.cancelled) for o in found] == [
        (date(2026, 12, 10), False), (date(2026, 12, 17), False), (date(2026, 12, 24), True),
        (date(2026, 12, 31), False), (date(2027, 1, 7), False), (date(2027, 1, 14), False)]
    assert found[3].start.hour == 17 and found[3].moved.location == "Annex"
    assert is_cancelled(meeting, date(2026, 12, 24)) and not is_cancelled(meeting, date(2026, 12, 17))
    assert next_start(meeting, datetime(2026, 12, 24, 12, tzinfo=UTC)).date() == date(2026, 12, 31)
    assert next_start(meeting, datetime(2027, 2, 1, tzinfo=UTC)) is None
    assert [o.on for o in upcoming(meeting, DEC, 3, cancelled=False)] == [
        date(2026, 12, 10), date(2026, 12, 17), date(2026, 12, 31)]
    with pytest.raises(ValueError, match="not a date this meeting meets"):
        slot(day=4, cancelled=(date(2026, 12, 23),))


def test_dst_gap_moves_forward_like_weekly():
    meeting = slot(day=0, time="02:30", kind=MONTHLY, nths=(2,))
    start = next_start(meeting, datetime(2027, 3, 1, tzinfo=UTC))
    assert start.isoformat() == "2027-03-14T03:30:00-04:00"


def test_json_round_trip_and_refusals():
    pattern = Recurrence(kind=MONTHLY, nths=(1, -1), ends=date(2027, 6, 1),
                         cancelled=(date(2027, 1, 4),), moved=(Moved(date(2027, 2, 1), "18:00"),))
    assert Recurrence.from_json(pattern.to_json()) == pattern
    assert PLAIN.to_json() is None and Recurrence.from_json(None) == PLAIN
    for bad in (dict(kind="yearly"), dict(kind=MONTHLY), dict(kind=MONTHLY, nths=(6,)),
                dict(kind=WEEKS, interval=2), dict(kind=WEEKS, interval=1, anchor=date.today()),
                dict(starts=date(2027, 1, 2), ends=date(2027, 1, 1)),
                dict(cancelled=(date(2027, 1, 4),), moved=(Moved(date(2027, 1, 4)),)),
                dict(moved=(Moved(date(2027, 1, 4), time="7pm"),))):
        with pytest.raises(ValueError):
            Recurrence(**bad)
    with pytest.raises(ValueError):
        Recurrence.from_json({"kind": "monthly", "nths": "x"})


def test_plan_overlaps_use_real_dates():
    from finder.schedules.overlaps import overlapping_pairs

    now = datetime(2026, 11, 30, tzinfo=UTC)
    weekly = SimpleNamespace(id=1, **vars(slot(day=1)))
    third_monday = SimpleNamespace(id=2, **vars(slot(day=1, kind=MONTHLY, nths=(3,))))
    assert overlapping_pairs([weekly, third_monday], now) == [(1, 2)]
    # Cancelled on the only Monday it would clash in the window: no clash.
    both_cancelled = SimpleNamespace(id=3, **vars(slot(
        day=1, kind=MONTHLY, nths=(3,), cancelled=(date(2026, 12, 21), date(2027, 1, 18)))))
    assert overlapping_pairs([weekly, both_cancelled], now, days=49) == []
    in_phase = SimpleNamespace(id=4, **vars(slot(day=1, kind=WEEKS, interval=2,
                                                 anchor=date(2026, 12, 7))))
    out_of_phase = SimpleNamespace(id=5, **vars(slot(day=1, kind=WEEKS, interval=2,
                                                     anchor=date(2026, 12, 14))))
    assert overlapping_pairs([third_monday, in_phase, out_of_phase], now, days=35) == [(2, 4)]
