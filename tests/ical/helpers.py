"""Test helpers for feeds.ical: sample meetings, zoneinfo ground truth and two independent expanders.

Run as a script it writes the sample feed to stdout, so a test can render it in a fresh
interpreter (with another PYTHONHASHSEED) and compare bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
EXPAND_MJS = Path(__file__).with_name("expand.mjs")
ICALJS_PACKAGE = ROOT / "node_modules" / "ical.js" / "package.json"

if __name__ == "__main__":  # pragma: no cover - only when run as a script
    sys.path.insert(0, str(ROOT))

from feeds.events import FeedEvent  # noqa: E402
from feeds.ical import render_calendar  # noqa: E402

ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "America/Phoenix",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "America/Santiago",
    "America/Sao_Paulo",
    "Africa/Casablanca",
)
#: (time, Meeting Guide day, minutes): the evening meeting, plus early-Sunday ones that land
#: in DST gaps and folds (01:00-03:00 in most zones, midnight in Santiago, 02:00-03:00 in
#: Casablanca) and a late Saturday one for Santiago's fold at 23:00-24:00.
SLOTS = (("19:00", 1, 60), ("01:30", 0, 90), ("02:30", 0, 60), ("00:00", 0, 60), ("23:30", 6, 60))
UPDATED = datetime(2026, 6, 1, 12, 30, 45, tzinfo=UTC)
#: The window every feed test expands: "now" is fixed so a test means the same thing on every day
#: it runs, and the end (2030 inclusive) stays inside the years feeds.vtimezone scans.
NOW = datetime(2026, 11, 23, tzinfo=UTC)
END = datetime(2031, 1, 1, tzinfo=UTC)


def sample_events() -> list[FeedEvent]:
    """Every zone x slot, with a few cancelled weeks, odd anchors and a TENTATIVE status."""
    cancelled = {
        ("America/New_York", "19:00"): (date(2026, 12, 28), date(2027, 3, 15)),
        # A cancelled week that is also in London's spring-forward gap.
        ("Europe/London", "01:30"): (date(2027, 3, 28),),
        ("Africa/Casablanca", "19:00"): (date(2027, 3, 1),),  # during the Ramadan hour
        ("America/Santiago", "00:00"): (date(2027, 9, 5),),  # in the midnight gap
    }
    events = []
    for index, zone in enumerate(ZONES):
        for hhmm, day, minutes in SLOTS:
            events.append(
                FeedEvent(
                    uid=f"{zone}/{hhmm}",
                    summary=f"Meeting {hhmm} {zone}",
                    day=day,
                    time=hhmm,
                    duration=timedelta(minutes=minutes),
                    timezone=zone,
                    # Anchors from 2018 (before the VTIMEZONE scan) to today-ish.
                    anchor=date(2018 + index % 9, 1 + index % 12, 1 + index),
                    sequence=index % 3,
                    last_modified=UPDATED if index % 2 else None,
                    status="TENTATIVE"
                    if (zone, hhmm) == ("Asia/Kolkata", "19:00")
                    else "CONFIRMED",
                    cancelled_dates=cancelled.get((zone, hhmm), ()),
                )
            )
    events.append(
        FeedEvent(
            uid="online-with-everything",
            summary="Online, hybrid; step study",
            day=3,
            time="12:15",
            duration=timedelta(hours=1, minutes=15),
            timezone="America/New_York",
            anchor=date(2026, 2, 3),
            sequence=4,
            last_modified=UPDATED,
            location="St. Mark's Church, Room 2; enter via side door\nBring ID",
            geo=(40.7306, -73.9866),
            description="Literature: Big Book, ch. 5\\6; open to all",
            url="https://meetings.example.org/meetings/step-study",
            conference_url="https://zoom.us/j/123456789?pwd=abc,def",
            conference_phone="+1 646 558 8656,,123456789#",
            alarm_minutes=30,
        )
    )
    return events


def render_sample(events: Iterable[FeedEvent] | None = None) -> bytes:
    """The sample feed as bytes."""
    return render_calendar(
        sample_events() if events is None else events,
        name="My meetings",
        calendar_uid="8d6f1d8e-6c53-5e8e-9d55-2f4d1c0e7a11",
    )


@dataclass(frozen=True, order=True)
class Occurrence:
    """One expanded instance, as both expanders and the ground truth report it."""

    uid: str
    start: str  # UTC, YYYY-MM-DDTHH:MM:SSZ
    end: str
    status: str


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected_occurrences(
    events: Iterable[FeedEvent], start: datetime, end: datetime
) -> set[Occurrence]:
    """Ground truth straight from zoneinfo (fold=0, RFC 5545 §3.3.5), not from feeds.ical."""
    truth = set()
    for event in events:
        on = event.anchor
        while int(on.strftime("%w")) != event.day:  # %w: 0=Sunday, like Meeting Guide
            on += timedelta(days=1)
        local_time = time.fromisoformat(event.time)
        while True:
            local = datetime.combine(on, local_time, tzinfo=ZoneInfo(event.timezone))
            # In UTC: aware arithmetic in one zone is wall-clock, but DURATION is exact time.
            begin = local.astimezone(UTC)
            if begin >= end:
                break
            if begin >= start:
                cancelled = on in event.cancelled_dates
                status = "CANCELLED" if cancelled else event.status
                truth.add(Occurrence(event.uid, _utc(begin), _utc(begin + event.duration), status))
            on += timedelta(weeks=1)
    return truth


def expand_python(body: bytes, start: datetime, end: datetime) -> set[Occurrence]:
    """Expand with icalendar + recurring_ical_events; occurrences starting in [start, end)."""
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(body)
    found = set()
    margin = timedelta(days=2)  # between() also returns overlaps: filter on start below
    for vevent in recurring_ical_events.of(calendar).between(start - margin, end + margin):
        begin = vevent.start.astimezone(UTC)
        if start <= begin < end:
            found.add(
                Occurrence(str(vevent["UID"]), _utc(begin), _utc(vevent.end), str(vevent["STATUS"]))
            )
    return found


def icaljs_missing_reason() -> str | None:
    """Why ical.js cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not ICALJS_PACKAGE.exists():
        return f"{ICALJS_PACKAGE.parent} is missing: run `npm ci` at the repo root"
    return None


def require_icaljs() -> None:
    """Skip the calling test when ical.js cannot run here; fail instead in CI, where it must."""
    import pytest

    reason = icaljs_missing_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"ical.js is required in CI: {reason}")
    pytest.skip(reason)


def expand_icaljs(path: Path, start: datetime, end: datetime) -> dict:
    """Expand with Mozilla ical.js under Node (tests/ical/expand.mjs); returns its JSON."""
    result = subprocess.run(
        ["node", str(EXPAND_MJS), str(path), _utc(start), _utc(end)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC"},  # floating times, if any slipped through, read as UTC
    )
    if result.returncode != 0:
        raise AssertionError(f"expand.mjs failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout)


def icaljs_occurrences(data: dict) -> set[Occurrence]:
    """The occurrences of an expand.mjs result as a set."""
    return {Occurrence(o["uid"], o["start"], o["end"], o["status"]) for o in data["occurrences"]}


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.buffer.write(render_sample())
