"""Messy real-world shapes import, each with a note where a value was interpreted (issue #12)."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from importers import ImportOptions, detect_importer
from importers.base import Notice, Rejected
from importers.meeting_guide import MeetingGuideImporter
from importers.record import MeetingRecord
from importers.tsml_csv import TsmlCsvImporter

ROW = {"name": "Women'S Step Study", "slug": "ws", "day": 1, "time": "7:00 PM",
       "timezone": "America/Los_Angeles", "formatted_address": "1 Main St, Anaheim, CA 92805, USA"}


def _parse(importer, raw: bytes) -> tuple[list[MeetingRecord], list[str]]:
    items = list(importer(ImportOptions()).parse(raw))
    return ([i for i in items if isinstance(i, MeetingRecord)],
            [i.reason for i in items if isinstance(i, Notice | Rejected)]
            + [w.reason for i in items if isinstance(i, MeetingRecord) for w in i.warnings])


def test_json_lines():
    raw = "\n".join(json.dumps(dict(ROW, slug=f"m{n}", day=n)) for n in range(3)).encode()
    assert detect_importer(raw) is MeetingGuideImporter
    records, notes = _parse(MeetingGuideImporter, raw)
    assert len(records) == 3
    assert "feed is JSON Lines (3 lines), not an array: read one meeting a line" in notes


def test_windows_1252():
    raw = json.dumps([dict(ROW, name="Caf\u00e9 Group")], ensure_ascii=False).encode("cp1252")
    records, notes = _parse(MeetingGuideImporter, raw)
    assert records[0].name == "Caf\u00e9 Group"
    assert any("read as Windows-1252" in n for n in notes)


def test_us_updated_format():
    records, notes = _parse(MeetingGuideImporter, json.dumps([dict(ROW, updated="8/25/2022 11:17:07 AM")]).encode())
    assert records[0].updated == datetime(2022, 8, 25, 11, 17, 7, tzinfo=UTC)
    assert "updated '8/25/2022 11:17:07 AM' read as US month/day/year: 2022-08-25 11:17" in notes


def test_day_list_string_types_string_numeric_slug_and_postcode():
    row = dict(ROW, day="3", types="O, D", slug=1234, postal_code=92805)
    records, _ = _parse(MeetingGuideImporter, json.dumps([row, dict(ROW, day=[6], slug="x")]).encode())
    assert [(r.day, r.time) for r in records] == [(3, "19:00"), (6, "19:00")]
    assert records[0].types == ("D", "O") and records[0].slug == "1234"


def test_csv_rows_without_id_at_different_places_are_both_kept():
    raw = (b"name,day,time,address,city,state,postal_code,timezone\n"
           b"Big Book,Monday,19:00,1 Main St,Anaheim,CA,92805,America/Los_Angeles\n"
           b"Big Book,Monday,19:00,9 Elm St,Irvine,CA,92618,America/Los_Angeles\n")
    records, notes = _parse(TsmlCsvImporter, raw)
    assert len({r.source_key for r in records}) == 2
    assert records[0].source_key == "big-book-monday-19-00"  # the first keeps the plain key
    assert any("keyed by its place" in n for n in notes)


def test_report_first_line_when_over_two_percent_rejected(runner, tmp_path):
    rows = [dict(ROW, slug=f"m{n}") for n in range(20)] + [dict(ROW, slug="bad", day=9)]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(rows))
    result = runner.invoke(args=["import", str(path), "--name", "f"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Look at this feed: 1 of 21 records (4.8%) were rejected"
