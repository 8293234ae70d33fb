"""finder.search.windows: a seeker's window as instants, and the local ranges it covers in each zone."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from finder.search.windows import (
    Window,
    ZoneGroup,
    key_ranges,
    seeker_window,
    soon_window,
    zone_groups,
    zone_ranges,
)
from finder.weekly import DAY_MINUTES, WEEK_MINUTES, minute_of_week
from finder.zones import known_zones

NEW_YORK = ZoneInfo("America/New_York")
TUESDAY = 2 * DAY_MINUTES
SATURDAY = 6 * DAY_MINUTES
# Monday 12 January 2026, noon in New York: no clock changes anywhere near.
WINTER_MONDAY = datetime(2026, 1, 12, 12, 0, tzinfo=NEW_YORK)
# New York springs forward at 07:00 UTC on Sunday 8 March 2026 (02:00 EST becomes 03:00 EDT).
BEFORE_SPRING = datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def ranges_in(window: Window, zone: str):
    """The ranges ``zone_ranges`` gives ``zone`` (None when it leaves the zone out)."""
    return next((ranges for ranges, zones in zone_ranges(window) if zone in zones), None)


def true_ranges(window: Window, zone: str):
    """The documented rule, worked out here from each zone's offsets at the window's two instants."""
    local_start = window.start.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    local_end = window.end.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    span = int((local_end - local_start).total_seconds() // 60)
    period = DAY_MINUTES if window.every_day else WEEK_MINUTES
    if span <= 0:
        return None
    if span >= period:
        return ()
    low = minute_of_week(local_start) % period
    high = low + span
    return ((low, high),) if high <= period else ((low, period), (0, high - period))


def disagreeing_zones(window: Window) -> list[str]:
    return [zone for zone in known_zones() if ranges_in(window, zone) != true_ranges(window, zone)]


# --- the seeker's window -------------------------------------------------------------------


def test_no_day_and_no_time_is_no_window():
    assert seeker_window(WINTER_MONDAY, NEW_YORK) is None


def test_a_day_is_the_next_such_day_in_the_seekers_zone_today_included():
    tuesday = seeker_window(WINTER_MONDAY, NEW_YORK, day=2)
    assert tuesday == Window(utc(2026, 1, 13, 5), utc(2026, 1, 14, 5), every_day=False)
    late_monday = WINTER_MONDAY.replace(hour=23, minute=59)
    assert seeker_window(late_monday, NEW_YORK, day=1).start == utc(2026, 1, 12, 5)  # today
    assert seeker_window(WINTER_MONDAY, NEW_YORK, day=0).start == utc(2026, 1, 18, 5)


def test_clock_times_without_a_day_are_today_and_every_day():
    window = seeker_window(WINTER_MONDAY, NEW_YORK, time_from=time(18), time_to=time(21))
    assert window == Window(utc(2026, 1, 12, 23), utc(2026, 1, 13, 2), every_day=True)
    assert seeker_window(WINTER_MONDAY, NEW_YORK, time_from=time(18)).end == utc(2026, 1, 13, 5)
    assert seeker_window(WINTER_MONDAY, NEW_YORK, time_to=time(6)).start == utc(2026, 1, 12, 5)


def test_a_window_past_midnight_ends_the_next_day():
    saturday_night = seeker_window(WINTER_MONDAY, NEW_YORK, day=6, time_from=time(22), time_to=time(2))
    assert saturday_night == Window(utc(2026, 1, 18, 3), utc(2026, 1, 18, 7))
    # In minutes of the week it wraps from Saturday into Sunday, and every day from 22:00 to 02:00.
    assert ranges_in(saturday_night, "America/New_York") == ((SATURDAY + 22 * 60, WEEK_MINUTES), (0, 120))
    nightly = seeker_window(WINTER_MONDAY, NEW_YORK, time_from=time(22), time_to=time(2))
    assert ranges_in(nightly, "America/New_York") == ((22 * 60, DAY_MINUTES), (0, 120))
    assert ranges_in(nightly, "Europe/London") == ((3 * 60, 7 * 60),)


def test_the_day_of_a_clock_change_is_23_hours_long():
    sunday = seeker_window(BEFORE_SPRING, NEW_YORK, day=0)
    assert (sunday.start, sunday.end) == (utc(2026, 3, 8, 5), utc(2026, 3, 9, 4))


def test_a_start_in_the_spring_forward_gap_reads_as_before_the_change():
    window = seeker_window(BEFORE_SPRING, NEW_YORK, day=0, time_from=time(2, 15), time_to=time(2, 45))
    assert (window.start, window.end) == (utc(2026, 3, 8, 7, 15), utc(2026, 3, 8, 7, 45))
    assert ranges_in(window, "America/New_York") == ((3 * 60 + 15, 3 * 60 + 45),)  # 03:15-03:45 EDT


def test_a_window_inside_a_spring_forward_gap_holds_no_local_time():
    # 02:00-03:00 on the night New York skips that hour: no instant at all, so no zone can match.
    window = seeker_window(BEFORE_SPRING, NEW_YORK, day=0, time_from=time(2), time_to=time(3))
    assert window.start == window.end == utc(2026, 3, 8, 7)
    assert zone_ranges(window) == ()
    assert zone_groups(BEFORE_SPRING, (window,)) == ()


def test_soon_window_includes_both_ends_to_the_minute():
    now = datetime(2026, 1, 13, 12, 40, 30, tzinfo=NEW_YORK)
    assert soon_window(now, 30) == Window(utc(2026, 1, 13, 17, 40), utc(2026, 1, 13, 18, 11))


# --- local ranges in each zone -------------------------------------------------------------


def test_each_zone_gets_its_own_local_ranges_in_a_quiet_week():
    window = seeker_window(WINTER_MONDAY, NEW_YORK, day=2, time_from=time(18), time_to=time(21))
    assert ranges_in(window, "America/New_York") == ((TUESDAY + 18 * 60, TUESDAY + 21 * 60),)
    assert ranges_in(window, "America/Chicago") == ((TUESDAY + 17 * 60, TUESDAY + 20 * 60),)
    assert ranges_in(window, "Europe/London") == ((TUESDAY + 23 * 60, TUESDAY + DAY_MINUTES + 120),)
    assert ranges_in(window, "Asia/Kolkata") == ((3 * DAY_MINUTES + 270, 3 * DAY_MINUTES + 450),)
    assert disagreeing_zones(window) == []


def test_every_zone_is_in_exactly_one_group():
    window = seeker_window(WINTER_MONDAY, NEW_YORK, day=2, time_from=time(18), time_to=time(21))
    grouped = [zone for _, zones in zone_ranges(window) for zone in zones]
    assert sorted(grouped) == sorted(known_zones())
    toronto = next(zones for _, zones in zone_ranges(window) if "America/Toronto" in zones)
    assert "America/New_York" in toronto  # same offsets, so one condition serves both
    assert len(zone_ranges(window)) < 60


def test_zone_ranges_across_a_clock_change():
    # 06:00-08:00 UTC on 8 March 2026 is 01:00 EST to 04:00 EDT in New York.
    night = Window(utc(2026, 3, 8, 6), utc(2026, 3, 8, 8))
    assert ranges_in(night, "America/New_York") == ((60, 240),)
    assert ranges_in(night, "America/Chicago") == ((0, 180),)  # 00:00 CST to 03:00 CDT
    assert ranges_in(night, "Europe/London") == ((360, 480),)
    assert ranges_in(night, "America/Phoenix") == ((SATURDAY + 23 * 60, WEEK_MINUTES), (0, 60))
    # The evening before (21:00-23:00 EST) is still two hours of Saturday in New York.
    evening = seeker_window(BEFORE_SPRING, NEW_YORK, day=6, time_from=time(21), time_to=time(23))
    assert ranges_in(evening, "America/New_York") == ((SATURDAY + 21 * 60, SATURDAY + 23 * 60),)
    assert disagreeing_zones(night) == disagreeing_zones(evening) == []


def test_key_ranges_count_from_now_in_each_offset():
    saturday_evening = utc(2026, 1, 17, 23, 50)  # 18:50 in New York
    assert key_ranges(saturday_evening, -300, 0, 60) == ((SATURDAY + 18 * 60 + 50, SATURDAY + 19 * 60 + 50),)
    assert key_ranges(saturday_evening, 0, 5, 20) == ((WEEK_MINUTES - 5, WEEK_MINUTES), (0, 15))


# --- groups of zones -----------------------------------------------------------------------


def test_zone_groups_share_the_offset_now_and_every_windows_ranges():
    now = WINTER_MONDAY
    windows = (seeker_window(now, NEW_YORK, day=2, time_from=time(18), time_to=time(21)),
               soon_window(now, 60))
    groups = zone_groups(now, windows)
    assert sorted(zone for group in groups for zone in group.zones) == sorted(known_zones())
    for group in groups:
        for zone in group.zones:
            assert group.offset == now.astimezone(ZoneInfo(zone)).utcoffset() // timedelta(minutes=1)
            assert group.ranges == tuple(ranges_in(window, zone) for window in windows)
    new_york = next(group for group in groups if "America/New_York" in group.zones)
    assert new_york.offset == -300 and "America/Toronto" in new_york.zones


def test_zone_groups_take_the_offset_at_the_instant_near_a_clock_change():
    now = utc(2026, 3, 8, 4)  # 23:00 EST on Saturday: New York has not changed its clocks yet
    groups = zone_groups(now, (soon_window(now, 60),))
    new_york = next(group for group in groups if "America/New_York" in group.zones)
    assert new_york.offset == -300


def test_zone_groups_name_each_zones_clock_change_to_the_minute_from_any_minute_of_an_hour():
    # The zones' clocks are made once an hour (windows._clocks): each minute of the hour must read
    # the offset at that minute and the change in the week from it, as the zone files give them.
    # New York springs forward at 07:00 UTC on 8 March 2026; London at 01:00 UTC on 29 March.
    minute = timedelta(minutes=1)
    for now in (utc(2026, 3, 1, 6, 59), utc(2026, 3, 1, 7, 0), utc(2026, 3, 1, 7, 1),
                utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 7, 0), utc(2026, 3, 8, 7, 59),
                utc(2026, 3, 22, 0, 59), utc(2026, 3, 22, 1, 0), utc(2026, 3, 22, 1, 1)):
        for group in zone_groups(now, ()):
            for zone in group.zones[:3]:
                offset = now.astimezone(ZoneInfo(zone)).utcoffset() // minute
                assert group.offset == offset, (now, zone)
                later = (now + WEEK_MINUTES * minute).astimezone(ZoneInfo(zone)).utcoffset() // minute
                if group.change is None:
                    assert later == offset, (now, zone)
                    continue
                at, after = group.change
                before = (now + (at - 1) * minute).astimezone(ZoneInfo(zone)).utcoffset() // minute
                assert (before, later) == (offset, after), (now, zone)
                assert (now + at * minute).astimezone(ZoneInfo(zone)).utcoffset() // minute == after
        new_york = next(group for group in zone_groups(now, ()) if "America/New_York" in group.zones)
        expected = (utc(2026, 3, 8, 7) - now) // minute
        assert new_york.change == ((expected, -240) if 0 < expected <= WEEK_MINUTES else None), now


def zone_by_zone(now: datetime, windows: tuple[Window, ...]) -> tuple[ZoneGroup, ...]:
    """The groups of the documented rule, each zone's clock read from its own zone file: the
    offset now, the first minute of the week from now with another offset, the ranges."""
    def offset_at(zone: str, minutes: int) -> int:
        return (now + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone)).utcoffset() // timedelta(minutes=1)

    groups: dict[tuple, list[str]] = {}
    for zone in known_zones():
        ranges = tuple(ranges_in(window, zone) for window in windows)
        if None in ranges:
            continue
        offset, later, change = offset_at(zone, 0), offset_at(zone, WEEK_MINUTES), None
        if later != offset:  # the first hour with another offset, then its first such minute
            hour = next(hour for hour in range(60, WEEK_MINUTES + 60, 60) if offset_at(zone, hour) != offset)
            change = (next(minute for minute in range(hour - 59, hour + 1)
                           if offset_at(zone, minute) != offset), later)
        groups.setdefault((offset, ranges, change), []).append(zone)
    return tuple(ZoneGroup(tuple(zones), offset, ranges, change)
                 for (offset, ranges, change), zones in groups.items())


def test_zone_groups_from_the_shared_clocks_are_the_groups_zone_by_zone_in_the_same_order():
    # zone_groups reads each clock the zones share over the hour (windows._clocks), not each
    # zone: at minutes around clock changes (in the week from now or just past) the groups, their
    # zones and their order must be those of reading every zone on its own.
    for now in (utc(2026, 3, 1, 6, 59), utc(2026, 3, 1, 7, 0), utc(2026, 3, 8, 6, 59),
                utc(2026, 3, 8, 7, 1), utc(2026, 3, 29, 0, 59), utc(2026, 3, 29, 1, 0),
                utc(2026, 10, 25, 0, 30), utc(2026, 11, 1, 6, 0), utc(2026, 4, 4, 15, 29)):
        for windows in ((), (soon_window(now, 60),),
                        (seeker_window(now, NEW_YORK, day=6, time_from=time(22), time_to=time(2)),)):
            assert zone_groups(now, windows) == zone_by_zone(now, windows), (now, windows)


def test_zone_ranges_from_an_hours_clocks_are_the_ranges_zone_by_zone():
    # A window within the current hour's clocks is read from its ~50 clocks (each zone's offsets
    # at both ends), any other zone by zone: the same groups, in the same order, across the
    # spring and autumn changes of both hemispheres and in quiet weeks, for days, clocks past
    # midnight, every-day clocks and "starting soon".
    from finder.search import windows

    compared = 0
    for now in (WINTER_MONDAY, BEFORE_SPRING, utc(2026, 10, 24, 23, 0), utc(2026, 3, 28, 5, 0),
                utc(2026, 4, 4, 13, 0), utc(2026, 12, 2, 1, 0)):
        hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        for zone in (NEW_YORK, ZoneInfo("Europe/London"), ZoneInfo("Australia/Sydney"),
                     ZoneInfo("Asia/Kathmandu")):
            found = [seeker_window(now, zone, day=day, time_from=time(18), time_to=time(22))
                     for day in range(7)]
            found += [seeker_window(now, zone, day=day, time_from=time(22), time_to=time(2))
                      for day in range(7)]
            found += [seeker_window(now, zone, time_from=time(7), time_to=time(9)),
                      soon_window(now, 60)]
            for window in found:
                if windows._within_clocks(window, hour):
                    compared += 1
                    assert windows._zone_ranges(window, hour) == windows._zone_ranges(window, None)
    assert compared > 250  # nearly all of them: the fast path is the one tested here
