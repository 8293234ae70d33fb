"""finder.sources.loader: upsert, unchanged re-import, edits and removals."""
from __future__ import annotations

import dataclasses
import gc
import json
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, insert, select, text

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.sources.changes import diff, insert_many
from finder.sources.loader import IMPORT_PAGE_CACHE_KIB, import_source, load
from importers import FeedParseError, ImportOptions, MeetingRecord
from importers.meeting_guide import MeetingGuideImporter
from tests.golden import DATA

FEED = json.loads((DATA / "meeting-guide" / "basic.json").read_text())


def parse(rows):
    importer = MeetingGuideImporter(ImportOptions(fellowship=Fellowship.AA))
    return importer.parse(json.dumps(rows).encode())


@contextmanager
def count_writes():
    writes: list[str] = []

    def listener(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def new_source(name="oc"):
    source = Source(name=name, url="test", format="meeting-guide", fellowship=Fellowship.AA)
    db.session.add(source)
    db.session.flush()
    return source


def listed(source):
    return db.session.scalars(
        select(Meeting).where(Meeting.source_id == source.id, Meeting.removed_at.is_(None))
    ).all()


def test_first_import_adds_everything(app_ctx):
    source = new_source()
    report = load(source, parse(FEED))
    db.session.commit()
    assert (report.added, report.updated, report.unchanged, report.removed) == (6, 0, 0, 0)
    assert len(listed(source)) == 6


def test_unchanged_reimport_writes_nothing(app_ctx):
    source = new_source()
    load(source, parse(FEED))
    db.session.commit()
    with count_writes() as writes:
        report = load(source, parse(FEED))
        db.session.commit()
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 6, 0)
    assert writes == []


def test_one_edited_and_one_removed(app_ctx):
    source = new_source()
    load(source, parse(FEED))
    db.session.commit()
    edited = [dict(row) for row in FEED[1:]]  # the first meeting left the feed
    edited[0]["time"] = "20:00"
    report = load(source, parse(edited))
    db.session.commit()
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 1, 4, 1)
    by_slug = {m.slug: m for m in db.session.scalars(select(Meeting))}
    assert by_slug["here-and-now-laguna-beach"].time == "20:00"
    assert by_slug["here-and-now-laguna-beach"].sequence == 1
    gone = by_slug["40-minutes-to-freedom"]
    assert gone.removed_at is not None and gone.sequence == 1
    # It comes back when the feed lists it again.
    report = load(source, parse(FEED))
    db.session.commit()
    assert (report.added, report.updated, report.removed) == (0, 2, 0)
    assert db.session.get(Meeting, gone.id).removed_at is None


def test_sources_do_not_touch_each_other(app_ctx):
    first, second = new_source("first"), new_source("second")
    load(first, parse(FEED))
    report = load(second, parse(FEED[:2]))
    db.session.commit()
    assert report.added == 2 and report.removed == 0
    assert len(listed(first)) == 6 and len(listed(second)) == 2


def test_a_feed_with_no_usable_meetings_removes_nothing(app_ctx):
    source = new_source()
    load(source, parse(FEED))
    db.session.commit()
    with pytest.raises(FeedParseError, match="refusing to remove all 6"):
        load(source, parse([{"name": "no slug", "day": 1, "time": "10:00"}]))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 6
    assert len(listed(source)) == 6


def test_a_repeated_key_is_rejected_not_a_constraint_error(app_ctx):
    source = new_source()
    # An importer that let a repeat through (a CSV without slugs keys on name, day and
    # time): the loader itself must refuse it rather than hit the unique constraint.
    record = next(item for item in parse([FEED[0]]) if isinstance(item, MeetingRecord))
    report = load(source, [record, dataclasses.replace(record, name="Same key again")])
    db.session.commit()
    assert report.added == 1
    assert [(r.key, r.reason) for r in report.rejected] == [
        (FEED[0]["slug"], "duplicate key: an earlier record has it")]


class GcWatchingImporter(MeetingGuideImporter):
    """Records whether the cyclic collector was on while the feed was read; may fail mid-feed."""

    def __init__(self, options, fail=False):
        super().__init__(options)
        self.fail, self.seen = fail, []

    def parse(self, raw):
        for item in super().parse(raw):
            self.seen.append(gc.isenabled())
            yield item
        if self.fail:
            raise FeedParseError("broken at the end")


@pytest.mark.parametrize("fail", [False, True])
def test_the_collector_is_paused_while_loading_and_restored_after(app_ctx, fail):
    importer = GcWatchingImporter(ImportOptions(fellowship=Fellowship.AA), fail=fail)
    raw = json.dumps(FEED).encode()
    assert gc.isenabled()
    if fail:
        with pytest.raises(FeedParseError):
            import_source(new_source(), importer, raw)
    else:
        import_source(new_source(), importer, raw)
    assert importer.seen and not any(importer.seen)
    assert gc.isenabled()


def test_a_collector_already_off_stays_off(app_ctx):
    gc.disable()
    try:
        import_source(new_source(), MeetingGuideImporter(ImportOptions(fellowship=Fellowship.AA)),
                      json.dumps(FEED).encode())
        assert not gc.isenabled()
    finally:
        gc.enable()


class PageCacheWatchingImporter(MeetingGuideImporter):
    """Records the connection's SQLite page cache size while the feed is read."""

    def __init__(self, options):
        super().__init__(options)
        self.seen = []

    def parse(self, raw):
        self.seen.append(db.session.connection().exec_driver_sql("PRAGMA cache_size").scalar())
        yield from super().parse(raw)


def test_sqlite_imports_with_a_large_page_cache_and_put_it_back(app_ctx):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("an SQLite setting")
    size = db.session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
    importer = PageCacheWatchingImporter(ImportOptions(fellowship=Fellowship.AA))
    import_source(new_source(), importer, json.dumps(FEED).encode())
    assert importer.seen == [-IMPORT_PAGE_CACHE_KIB] and size != -IMPORT_PAGE_CACHE_KIB
    assert db.session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == size


def test_insert_many_stores_what_cores_insert_stores(app_ctx):
    """Every column type (enums, dates, type codes, JSON, booleans, NULLs) comes back the same."""
    rows = [{"slug": "k1", "name": "Hope", "day": 2, "time": "19:00", "timezone": "America/Chicago",
             "types": ["O", "W"], "approximate": True, "latitude": 41.87, "longitude": -87.62,
             "updated": "2026-10-01 12:00:00", "notes": "Meets 1st Tuesday of the month"},
            {"slug": "k2", "name": "Café ☕", "day": 1, "time": "07:00", "timezone": "Europe/Berlin",
             "conference_url": "https://zoom.us/j/123456789"}]
    core, ours = new_source("core"), new_source("ours")
    now = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
    changes = {}
    for source in (core, ours):
        records = [item for item in parse(rows) if isinstance(item, MeetingRecord)]
        changes[source.id] = diff(records, {}, source_id=source.id, now=now).inserts
    assert changes[core.id][0]["recurrence"] is not None  # a pattern, read from the notes
    db.session.execute(insert(Meeting.__table__), changes[core.id])
    insert_many(Meeting.__table__, changes[ours.id])

    def stored(source):
        query = select(Meeting.__table__).where(Meeting.source_id == source.id).order_by(Meeting.slug)
        return [{k: v for k, v in row._mapping.items() if k not in ("id", "source_id")}
                for row in db.session.execute(query)]

    assert stored(ours) == stored(core) and len(stored(core)) == 2
    raw = text("SELECT types, recurrence FROM meetings WHERE source_id = :s ORDER BY slug")
    assert (db.session.execute(raw, {"s": ours.id}).all()
            == db.session.execute(raw, {"s": core.id}).all())
