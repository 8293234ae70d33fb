"""The loader's pure steps: collect (with the one duplicate-key check) and diff, without a database."""
from __future__ import annotations

import dataclasses
from collections import namedtuple
from datetime import UTC, datetime

from finder.enums import Attendance, Fellowship
from finder.sources.changes import diff
from finder.sources.collect import DUPLICATE_KEY, collect
from importers.base import Notice, Rejected, Unchanged
from importers.record import Issue, MeetingRecord

Row = namedtuple("Row", "id source_key content_hash sequence removed_at feed_digest", defaults=(None,))
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def record(key: str, name: str = "Meeting", *warnings: str) -> MeetingRecord:
    return MeetingRecord(
        source_key=key, slug=key, fellowship=Fellowship.AA, name=name, day=1, time="19:00",
        timezone="America/Chicago", attendance_option=Attendance.INACTIVE,
        warnings=tuple(Issue(key, w) for w in warnings),
    )


def test_collect_keeps_the_first_of_a_repeated_key_for_any_importer():
    first, again = record("a", "First", "kept warning"), record("a", "Again", "lost warning")
    items = [Notice(None, "feed note"), first, Rejected("#2", "no slug"), again, record("b")]
    collected = collect(items)
    assert [r.name for r in collected.records] == ["First", "Meeting"]
    assert collected.rejected == [Rejected("#2", "no slug"), Rejected("a", DUPLICATE_KEY)]
    # a rejected repeat's own warnings are not reported; the rest keep the feed's order
    assert [w.reason for w in collected.warnings] == ["feed note", "kept warning"]


def test_collect_reports_progress_at_the_end():
    seen: list[int] = []
    collect([record("a"), record("b")], progress=seen.append)
    assert seen == [2]


def test_diff_sorts_records_into_inserts_updates_unchanged_and_removals():
    same, changed = record("same"), record("changed")
    existing = {
        "same": Row(1, "same", same.content_hash(), 3, None),
        "changed": Row(2, "changed", "old-hash", 5, None),
        "back": Row(3, "back", record("back").content_hash(), 1, NOW),  # removed, now listed again
        "gone": Row(4, "gone", "x", 0, None),
        "long-gone": Row(5, "long-gone", "x", 2, NOW),
    }
    changes = diff([same, changed, record("back"), record("new")], existing, source_id=9, now=NOW)
    assert changes.unchanged == 1
    assert [(u["id"], u["sequence"], u["removed_at"]) for u in changes.updates] == [
        (2, 6, None), (3, 2, None)]
    assert [(i["source_key"], i["source_id"], i["sequence"]) for i in changes.inserts] == [
        ("new", 9, 0)]
    assert changes.removals == [{"id": 4, "removed_at": NOW, "changed_at": NOW, "sequence": 1}]
    assert len(existing) == 5  # the caller's rows are left as they were


def test_diff_hashes_what_is_stored():
    renamed = dataclasses.replace(record("a"), name="Renamed")
    existing = {"a": Row(1, "a", record("a").content_hash(), 0, None)}
    changes = diff([renamed], existing, source_id=1, now=NOW)
    assert (changes.unchanged, changes.updates[0]["name"]) == (0, "Renamed")


def test_collect_counts_unchanged_rows_and_checks_their_keys_too():
    items = [Unchanged("a"), record("b"), Unchanged("b"), record("a"), Unchanged("c")]
    collected = collect(items)
    assert collected.unchanged == ["a", "c"]
    assert [r.source_key for r in collected.records] == ["b"]
    assert collected.rejected == [Rejected("b", DUPLICATE_KEY), Rejected("a", DUPLICATE_KEY)]


def test_diff_counts_unchanged_rows_and_refreshes_only_stale_digests():
    kept, read = record("kept"), dataclasses.replace(record("read"), feed_digest="new")
    existing = {
        "kept": Row(1, "kept", kept.content_hash(), 0, None, "d1"),
        "read": Row(2, "read", read.content_hash(), 4, None, None),  # stored before digests
        "gone": Row(3, "gone", "x", 0, None, "d3"),
    }
    changes = diff([read], existing, source_id=1, now=NOW, unchanged=["kept"])
    assert (changes.unchanged, changes.inserts, changes.updates) == (2, [], [])
    assert changes.digests == [{"id": 2, "feed_digest": "new"}]  # no sequence bump
    assert [r["id"] for r in changes.removals] == [3]
