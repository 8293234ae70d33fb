"""Schedules in words (importers/phrases.py): real notes, the phrases groups write, and every
format reading them the same way with a warning."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date

import pytest

from finder.enums import Fellowship
from finder.pattern import MONTHLY, WEEKS
from importers import ImportOptions
from importers.bmlt import BmltImporter
from importers.phrases import read_schedule
from importers.record import MeetingRecord
from tests.golden import DATA


def test_real_notes_yield_only_the_meetings_that_say_they_are_monthly():
    """Records of two real Meeting Guide feeds: four say they meet on one week of the month; the
    rest only name what happens on some week (format notes, business meetings)."""
    found = {}
    for row in json.loads((DATA / "realfeeds" / "phrases-sample.json").read_text()):
        reading = read_schedule(row["day"], row["name"], ("notes", row.get("notes")),
                                ("location_notes", row.get("location_notes")))
        if reading is not None:
            found[row["slug"]] = (reading.pattern.kind, reading.pattern.nths)
    assert found == {
        "steps-1-8-workshop-2nd-sat": (MONTHLY, (2,)),
        "dp-harbor-monthly-speaker-birthday-group": (MONTHLY, (1,)),
        "first-saturday-group": (MONTHLY, (1,)),
        "meeting-st-peter-the-apostle-church-the-national-shrine-of-st-john-nuemann-and-the-"
        "john-neumann-center-1019-n-5th-st-philadelphia-pa-19123-usa-6-133000": (MONTHLY, (1,)),
    }


@pytest.mark.parametrize(("day", "name", "note", "nths"), [
    (0, "Sunday Speakers", "1st Sunday", (1,)),
    (1, "Group", "Meets first and third Mondays of the month", (1, 3)),
    (2, "2nd & 4th Tuesday Women", None, (2, 4)),
    (5, "Group", "last Friday of the month", (-1,)),
    (5, "Group", "Only meets the 1st, 3rd and last Friday", (1, 3, -1)),
    (0, "Grupo", "Solo el primer domingo de cada mes.", (1,)),
    (3, "Group", "Meets at a residence on the last Wednesday of the month.", None),  # a place
    (0, "Group", "No meeting on holidays", None),
    (0, "Group", "Business meeting is held every 1st Sunday of the month", None),
    (0, "Group", "Last wk Trad/1st wk Step", None),
    (1, "Group", "1st Sunday", None),  # another day's event
    (1, "First Things First", None, None),
    (6, "Saturday Night Live", "2nd Floor", None),
])
def test_phrases(day, name, note, nths):
    reading = read_schedule(day, name, ("notes", note))
    assert (reading.pattern.nths if reading else None) == nths


def test_every_other_week_needs_a_date_to_know_which_weeks():
    undated = read_schedule(2, "Every Other Tuesday Men")
    assert undated.pattern is None
    assert "not which weeks" in undated.warning("Every Other Tuesday Men", 2, "20:00")
    dated = read_schedule(2, "Men", ("notes", "every other Tuesday starting 3/3/2026"))
    assert (dated.pattern.kind, dated.pattern.anchor) == (WEEKS, date(2026, 3, 3))


def test_bmlt_comments_are_read_with_a_warning_naming_meeting_and_phrase():
    rows = json.loads((DATA / "bmlt" / "plain-array.json").read_text())
    rows[0]["comments"] = "This meeting is held on the 2nd and 4th Monday of the month."
    rows[0]["weekday_tinyint"] = "2"  # Monday
    rows[1]["comments"] = "Speaker on the last Friday of the month"  # a format note: weekly
    items = list(BmltImporter(ImportOptions(fellowship=Fellowship.NA)).parse(json.dumps(rows).encode()))
    records = {r.name: r for r in items if isinstance(r, MeetingRecord)}
    assert records["Step up and Be Free"].recurrence.nths == (2, 4)
    assert records["Viernes de Esperanza"].recurrence is None
    warnings = [w.reason for w in records["Step up and Be Free"].warnings]
    assert any("'Step up and Be Free'" in w and "2nd and 4th Monday" in w for w in warnings)


def test_a_weekly_record_keeps_the_digest_it_had_before_patterns():
    """So the first import after this change rewrites nothing that is every week."""
    record = MeetingRecord(source_key="k", slug="k", fellowship=Fellowship.AA, name="n", day=1,
                           time="19:00", timezone="UTC", attendance_option="online")
    before = {k: v for k, v in record.columns().items() if not k.startswith("recurrence")}
    payload = json.dumps(before, sort_keys=True, default=str, separators=(",", ":"))
    assert record.content_hash() == hashlib.sha1(payload.encode()).hexdigest()
    monthly = replace(record, recurrence=read_schedule(1, "1st Monday Group").pattern)
    assert monthly.content_hash() != record.content_hash()
    assert (record.columns()["recurrence_kind"], monthly.columns()["recurrence_kind"]) == (None, MONTHLY)


def test_our_own_export_reads_back_as_the_same_monthly_pattern():
    """A Meeting Guide export (feeds/meeting_guide.py) says "Meets: ..." first in notes."""
    from types import SimpleNamespace

    from feeds.meeting_guide import pattern_notes
    from finder.pattern import Recurrence

    pattern = Recurrence(kind=MONTHLY, nths=(1, -1), cancelled=(date(2030, 1, 6),))
    notes = pattern_notes(SimpleNamespace(day=0, time="19:00", end_time=None, timezone="UTC",
                                          recurrence=pattern))
    assert notes.startswith("Meets: First and last Sunday of the month, 19:00.")
    reading = read_schedule(0, "Group", ("notes", notes))
    assert reading.pattern == Recurrence(kind=MONTHLY, nths=(1, -1))  # dates stay in the notes


def test_texts_naming_no_day_are_not_searched_and_compile_no_phrase_pattern():
    """Every phrase names a day: a name or note without one is passed over, and the phrases'
    patterns (some 5 ms to compile) wait for the first text that names one."""
    from importers import phrases

    for compiled in (phrases._name_pattern, phrases._note_patterns, phrases._other_event):
        compiled.cache_clear()
    assert read_schedule(0, "Living Sober", ("notes", "2nd floor, 1st door on the left")) is None
    assert not phrases._name_pattern.cache_info().currsize
    assert not phrases._note_patterns.cache_info().currsize
    assert read_schedule(0, "First Sunday Group").pattern.nths == (1,)
    assert phrases._name_pattern.cache_info().currsize and not phrases._note_patterns.cache_info().currsize
    assert read_schedule(0, "Group", ("notes", "Meets the 1st Sunday")).pattern.nths == (1,)
    assert phrases._note_patterns.cache_info().currsize
