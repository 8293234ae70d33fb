"""feeds.ical: the rendered feed expands to zoneinfo's instants in two independent parsers.

One feed holds every zone and slot; it is expanded once by icalendar + recurring_ical_events
and once by Mozilla ical.js (Node, using only the VTIMEZONEs embedded in the file). "Now" is
fixed at 2026-11-23 so the test means the same thing on every day it runs, and the window
(to the end of 2030) stays inside the years feeds.vtimezone scans.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from feeds.events import FeedEvent
from feeds.ical import render_calendar, vtimezone
from feeds.vtimezone import scan_transitions, vtimezone_form
from tests.ical import helpers
from tests.ical.lint import lint

NOW, END = helpers.NOW, helpers.END
ZONES = helpers.ZONES


@pytest.fixture(scope="module")
def events() -> list[FeedEvent]:
    return helpers.sample_events()


@pytest.fixture(scope="module")
def body(events) -> bytes:
    return helpers.render_sample(events)


@pytest.fixture(scope="module")
def feed_path(body, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "feed.ics"
    path.write_bytes(body)
    return path


@pytest.fixture(scope="module")
def truth(events):
    return helpers.expected_occurrences(events, NOW, END)


@pytest.fixture(scope="module")
def python_expansion(body):
    return helpers.expand_python(body, NOW, END)


@pytest.fixture(scope="module")
def icaljs_result(feed_path) -> dict:
    helpers.require_icaljs()
    return helpers.expand_icaljs(feed_path, NOW, END)


def _of_zone(occurrences, zone: str) -> list:
    return sorted(o for o in occurrences if o.uid.startswith(zone + "/"))


def _diff(got, want) -> str:
    got, want = set(got), set(want)
    return f"missing {sorted(want - got)[:5]}, unexpected {sorted(got - want)[:5]}"


def test_ground_truth_follows_dst(truth):
    """The reference itself moves in UTC across DST, else the comparisons below prove little."""
    starts = {(o.uid, o.start) for o in truth}
    assert ("America/New_York/19:00", "2026-11-24T00:00:00Z") in starts  # EST
    assert ("America/New_York/19:00", "2027-03-22T23:00:00Z") in starts  # EDT
    assert ("Africa/Casablanca/19:00", "2027-03-08T19:00:00Z") in starts  # Ramadan +00
    assert ("Africa/Casablanca/19:00", "2027-03-22T18:00:00Z") in starts  # back to +01
    # RFC 5545 §3.3.5: a missing wall time takes the offset before the gap ...
    assert ("Europe/London/01:30", "2028-03-26T01:30:00Z") in starts
    # ... and a repeated one is its first occurrence.
    assert ("America/New_York/01:30", "2027-11-07T05:30:00Z") in starts
    for zone in ZONES:
        assert len(_of_zone(truth, zone)) > 5 * 200


@pytest.mark.parametrize("zone", ZONES)
def test_python_expansion_matches_zoneinfo(zone, truth, python_expansion):
    got, want = _of_zone(python_expansion, zone), _of_zone(truth, zone)
    assert got == want, _diff(got, want)


@pytest.mark.parametrize("zone", ZONES)
def test_icaljs_expansion_matches_zoneinfo(zone, truth, icaljs_result):
    got = _of_zone(helpers.icaljs_occurrences(icaljs_result), zone)
    want = _of_zone(truth, zone)
    assert got == want, _diff(got, want)


def test_both_parsers_match_zoneinfo_for_the_whole_feed(truth, python_expansion, icaljs_result):
    assert python_expansion == truth, _diff(python_expansion, truth)
    icaljs = helpers.icaljs_occurrences(icaljs_result)
    assert icaljs == truth, _diff(icaljs, truth)


CANCELLED = [
    ("America/New_York/19:00", "2027-03-15T23:00:00Z", date(2027, 3, 15)),
    ("Europe/London/01:30", "2027-03-28T01:30:00Z", date(2027, 3, 28)),  # in the DST gap
    ("Africa/Casablanca/19:00", "2027-03-01T19:00:00Z", date(2027, 3, 1)),
    ("America/Santiago/00:00", "2027-09-05T04:00:00Z", date(2027, 9, 5)),
]


@pytest.mark.parametrize(("uid", "start", "day"), CANCELLED)
def test_cancelled_week_is_cancelled_in_both_parsers(uid, start, day, body, truth, icaljs_result):
    calendar = icalendar.Calendar.from_ical(body)
    python = [e for e in recurring_ical_events.of(calendar).at(day) if str(e["UID"]) == uid]
    assert [str(e["STATUS"]) for e in python] == ["CANCELLED"]
    assert str(python[0]["SUMMARY"]).startswith("Cancelled: Meeting ")
    assert python[0].start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") == start

    icaljs = [o for o in icaljs_result["occurrences"] if (o["uid"], o["start"]) == (uid, start)]
    assert [o["status"] for o in icaljs] == ["CANCELLED"]
    assert icaljs[0]["summary"].startswith("Cancelled: Meeting ")
    # No other week of the series is cancelled.
    cancelled = {
        o["start"]
        for o in icaljs_result["occurrences"]
        if o["uid"] == uid and o["status"] == "CANCELLED"
    }
    assert cancelled == {o.start for o in truth if o.uid == uid and o.status == "CANCELLED"}


def test_gap_and_fold_weeks_get_an_unambiguous_override(body):
    text = body.decode().replace("\r\n ", "")
    # The master keeps local time, so the series does not drift ...
    assert "DTSTART;TZID=Europe/London:" in text
    # ... and the week whose 01:30 happens twice is pinned to the first one in UTC.
    override = text.split("RECURRENCE-ID;TZID=Europe/London:20271031T013000\r\n")
    assert len(override) == 2
    block = override[0].rsplit("BEGIN:VEVENT", 1)[1] + override[1].split("END:VEVENT", 1)[0]
    assert "DTSTART:20271031T003000Z" in block
    assert "STATUS:CONFIRMED" in block


def _render_in_subprocess(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(helpers.ROOT), env.get("PYTHONPATH")]))
    script = Path(helpers.__file__)
    return subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, check=True, timeout=120
    ).stdout


def test_bytes_identical_across_processes_and_hash_seeds(body, events):
    rendered = {seed: _render_in_subprocess(seed) for seed in ("0", "1", "4242")}
    assert len(set(rendered.values())) == 1
    assert rendered["0"] == body
    # Input order does not matter either: events are emitted sorted by UID.
    assert helpers.render_sample(reversed(events)) == body


def test_lint_passes_on_the_sample_feed(body):
    assert lint(body, secrets=["s3cr3t-token"]) == []


def test_lint_catches_what_it_is_for():
    """A feed built the naive way trips every check the linter exists for."""
    calendar = icalendar.Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", "-//naive//EN")
    calendar.add("REFRESH-INTERVAL", timedelta(hours=6))
    calendar.add("X-WR-TIMEZONE", "America/New_York")
    event = icalendar.Event()
    event.add("UID", "a")
    event.add("DTSTAMP", datetime(2026, 1, 1, tzinfo=UTC))
    event.add("DTSTART", datetime(2026, 1, 4, 19, tzinfo=ZoneInfo("Europe/Paris")))
    event.add("RRULE", {"FREQ": "WEEKLY", "BYDAY": "MO"})  # 2026-01-04 is a Sunday
    event.add("SUMMARY", "x" * 100 + "\n")
    calendar.add_component(icalendar.Timezone.from_tzid("America/New_York"))
    calendar.add_component(event)
    problems = "\n".join(lint(calendar.to_ical().replace(b"\r\n", b"\n"), secrets=["xxxxx"]))
    for expected in (
        "CRLF only",
        "VALUE=DURATION",
        "X-WR-TIMEZONE must not",
        "multi-value RDATE",
        "STANDARD blocks",
        "TZID Europe/Paris has no VTIMEZONE",
        "is not on BYDAY",
        "exactly one X-WR-CALNAME",
        "a secret",
    ):
        assert expected in problems
    folded = calendar.to_ical()
    assert any("octets" in p for p in lint(folded.replace(b"\r\n ", b"")))


def test_conference_properties_parse_in_icaljs(icaljs_result):
    conferences = icaljs_result["masters"]["online-with-everything"]["conferences"]
    video, phone = conferences
    assert video["value"] == "https://zoom.us/j/123456789?pwd=abc,def"
    assert video["type"] == "uri"
    assert video["feature"] == "VIDEO"
    assert phone["value"] == "tel:+16465588656,,123456789%23"
    features = (
        phone["feature"] if isinstance(phone["feature"], list) else phone["feature"].split(",")
    )
    assert sorted(features) == ["AUDIO", "PHONE"]


def test_text_is_escaped_and_round_trips(body, events, icaljs_result):
    event = next(e for e in events if e.uid == "online-with-everything")
    unfolded = body.replace(b"\r\n ", b"")
    assert b"SUMMARY:Online\\, hybrid\\; step study\r\n" in unfolded
    assert b"Room 2\\; enter via side door\\nBring ID\r\n" in unfolded
    assert b"ch. 5\\\\6\\; open to all" in unfolded

    calendar = icalendar.Calendar.from_ical(body)
    parsed = next(c for c in calendar.walk("VEVENT") if str(c["UID"]) == event.uid)
    assert str(parsed["SUMMARY"]) == event.summary
    assert str(parsed["LOCATION"]) == event.location
    description = str(parsed["DESCRIPTION"])
    assert description.startswith(event.description + "\n\n")
    assert "Join online: https://zoom.us/j/123456789?pwd=abc,def" in description
    assert "Join by phone: +1 646 558 8656,,123456789#" in description

    master = icaljs_result["masters"][event.uid]
    assert master["location"] == event.location
    assert master["description"] == description
    assert {o["summary"] for o in icaljs_result["occurrences"] if o["uid"] == event.uid} == {
        event.summary
    }


def test_empty_calendar_is_valid(tmp_path):
    body = render_calendar([], name="My meetings", calendar_uid="u", home_timezone="Europe/London")
    assert lint(body) == []
    calendar = icalendar.Calendar.from_ical(body)
    calendar.validate()
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert calendar.walk("VEVENT") == []
    helpers.require_icaljs()
    path = tmp_path / "empty.ics"
    path.write_bytes(body)
    assert helpers.expand_icaljs(path, NOW, END)["occurrences"] == []


def test_calendar_properties(body):
    unfolded = body.replace(b"\r\n ", b"").split(b"\r\n")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in unfolded
    assert b"X-PUBLISHED-TTL:PT6H" in unfolded
    assert b"UID:8d6f1d8e-6c53-5e8e-9d55-2f4d1c0e7a11" in unfolded
    assert unfolded.count(b"X-WR-CALNAME:My meetings") == 1
    assert b"METHOD:PUBLISH" in unfolded
    tzids = [line for line in unfolded if line.startswith(b"TZID:")]
    assert tzids == sorted(tzids) and len(tzids) == len(ZONES)
    assert all(b"DTEND" not in line for line in unfolded)


@pytest.mark.parametrize("day", range(7))
def test_dtstart_is_the_first_meeting_day_on_or_after_the_anchor(day):
    anchor = date(2026, 11, 25)  # a Wednesday
    event = FeedEvent("u", "s", day, "07:05", timedelta(hours=1), "Asia/Kolkata", anchor)
    calendar = icalendar.Calendar.from_ical(render_calendar([event], name="n", calendar_uid="c"))
    (vevent,) = calendar.walk("VEVENT")
    start = vevent.start
    assert 0 <= (start.date() - anchor).days < 7
    assert start.strftime("%w") == str(day)  # %w: 0=Sunday, Meeting Guide's numbering
    assert (start.hour, start.minute) == (7, 5)
    assert vevent["RRULE"]["BYDAY"] == [("SU", "MO", "TU", "WE", "TH", "FR", "SA")[day]]


@pytest.mark.parametrize(
    "change",
    [
        {"day": 7},
        {"time": "7:00"},
        {"time": "24:00"},
        {"timezone": "Mars/Olympus_Mons"},
        {"duration": timedelta(0)},
        {"status": "MAYBE"},
        {"last_modified": datetime(2026, 1, 1)},
        {"cancelled_dates": (date(2026, 11, 24),)},  # a Tuesday, meeting is on Monday
        {"cancelled_dates": (date(2026, 11, 16),)},  # before the first occurrence
        {"uid": ""},
        {"geo": (91.0, 0.0)},
    ],
)
def test_feed_event_rejects_bad_values(change):
    fields = dict(
        uid="u",
        summary="s",
        day=1,
        time="19:00",
        duration=timedelta(hours=1),
        timezone="America/New_York",
        anchor=date(2026, 11, 23),
    )
    with pytest.raises(ValueError):
        FeedEvent(**{**fields, **change})


def test_duplicate_uids_are_rejected():
    event = FeedEvent("u", "s", 1, "19:00", timedelta(hours=1), "UTC", date(2026, 11, 23))
    with pytest.raises(ValueError, match="duplicate"):
        render_calendar([event, event], name="n", calendar_uid="c")


@pytest.mark.parametrize(
    ("zone", "form"),
    [
        ("America/New_York", "rule"),
        ("Europe/London", "rule"),
        ("Australia/Sydney", "rule"),
        ("Pacific/Auckland", "rule"),
        ("America/Phoenix", "fixed"),
        ("Asia/Kolkata", "fixed"),
        ("America/Sao_Paulo", "fixed"),
        ("UTC", "fixed"),
        ("America/Santiago", "rdate"),  # "Sunday on or after the 2nd" is no nth-Sunday
        ("Africa/Casablanca", "rdate"),  # Ramadan moves every year
    ],
)
def test_vtimezone_form(zone, form):
    assert vtimezone_form(zone) == form


def test_vtimezone_is_a_fresh_component_each_call():
    first = vtimezone("America/New_York")
    first.add("X-SCRIBBLE", "x")
    assert "X-SCRIBBLE" not in vtimezone("America/New_York")
    with pytest.raises(ValueError):
        vtimezone("Not/A_Zone")


@pytest.mark.parametrize("zone", ["Africa/Casablanca", "America/Santiago", "Pacific/Auckland"])
def test_zone_scan_finds_every_change_zoneinfo_has(zone):
    """An hourly walk of zoneinfo finds no change the day-step scan missed or misplaced."""
    tz = ZoneInfo(zone)
    changes = [t for t in scan_transitions(zone) if NOW <= t.at < END]
    instant, previous, seen = NOW, NOW.astimezone(tz).utcoffset(), []
    while instant < END:
        instant += timedelta(hours=1)
        offset = instant.astimezone(tz).utcoffset()
        if offset != previous:
            seen.append((previous, offset))
            previous = offset
    assert [(t.before, t.after) for t in changes] == seen
    for change in changes:
        assert (change.at - timedelta(minutes=1)).astimezone(tz).utcoffset() == change.before
        assert change.at.astimezone(tz).utcoffset() == change.after
    if zone == "Africa/Casablanca":
        # The two changes icalendar's Timezone.from_tzid misses (ical.md §2.3 item 10).
        dates = {t.at.date() for t in changes}
        assert {date(2027, 2, 7), date(2027, 3, 14)} <= dates
