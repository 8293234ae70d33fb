"""Loading parsed records into the database: one upsert keyed on source + source key.

The import run lives here (its report, the geocoder, the garbage collector paused and SQLite's
cache for the run); sorting the parse is ``collect.py``'s, comparing and writing rows
``changes.py``'s.
"""
from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Row, select

from finder.enums import RunStatus
from finder.extensions import db
from finder.models import ImportRun, Meeting, Source, utcnow
from finder.sources.changes import diff, write
from finder.sources.collect import collect
from finder.sources.geocoding import AddressPlacer
from importers.base import Importer, Notice, ParseItem
from importers.errors import FeedParseError
from importers.record import Issue

# A stored run lists this many rejections and warnings (each under 300 characters, record.py)
# and counts the rest: a run's report stays well under a megabyte.
STORED_ISSUES = 1000


@dataclass
class ImportReport:
    """What one import did: counts, and each rejected record and warning with its key."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True if the import wrote any meeting."""
        return bool(self.added or self.updated or self.removed)

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        """The report as one JSON-ready object (the ``finder import --json`` shape).

        With ``limit``, only the first ``limit`` rejections and warnings are listed, and
        ``more_rejected`` / ``more_warnings`` count the rest (a stored run stays small).
        """
        out: dict[str, Any] = {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "rejected": [issue.as_dict() for issue in self.rejected[:limit]],
            "warnings": [issue.as_dict() for issue in self.warnings[:limit]],
        }
        if limit is not None:
            out["more_rejected"] = max(len(self.rejected) - limit, 0)
            out["more_warnings"] = max(len(self.warnings) - limit, 0)
        return out


def import_source(
    source: Source,
    importer: Importer,
    raw: bytes | IO[bytes],
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[ImportRun, ImportReport]:
    """Parse the fetched feed ``raw`` and load it into ``source``; the caller commits.

    Raises FeedError (nothing written) when the feed cannot be parsed.
    """
    started = utcnow()
    placer, options = None, importer.options
    existing = _stored_rows(source.id) if source.id is not None else {}
    if options.geocode is None:  # addresses without coordinates are placed (geocoding.py)
        placer = AddressPlacer()
        importer.options = dataclasses.replace(importer.options, geocode=placer)
    if options.unchanged is None:  # rows read before and unchanged since are not read again
        importer.options = dataclasses.replace(importer.options, unchanged=_by_digest(existing).get)
    try:
        with gc_paused(), sqlite_page_cache():
            report = load(source, importer.parse(raw), progress=progress, existing=existing)
    finally:
        importer.options = options
    if placer is not None:
        placer.save()
        if placer.failures:
            report.warnings.insert(0, Notice(None, (
                f"the geocoder failed {placer.failures} times: those addresses were placed by "
                "postal code or town, and will be asked again next time")))
    run = ImportRun(
        source=source,
        started_at=started,
        finished_at=utcnow(),
        status=RunStatus.OK,
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        removed=report.removed,
        rejected=len(report.rejected),
        report=report.as_dict(limit=STORED_ISSUES),
    )
    source.last_run_at = source.last_success_at = run.finished_at
    source.failures, source.last_error, source.flagged_at = 0, None, None
    # What the feed's answer said, sent back by the next refresh to ask "changed since?".
    source.etag, source.last_modified = importer.validators or (None, None)
    db.session.add(run)
    return run, report


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, back as it was after it.

    A feed's records and rows hold no reference cycles, so reference counting frees them all;
    but every collection walks the whole heap, and with 100,000 records alive the collector
    ran often enough to cost 15% of a first import and 30% of an unchanged one.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: SQLite's page cache while an import writes, in KiB (SQLite's default is 2 MiB): with it, a
#: large feed's new rows and their eleven indexes stay in memory instead of being spilled to
#: the log and read back mid-import (a third of a second of system time at 100,000 meetings).
IMPORT_PAGE_CACHE_KIB = 65536


@contextmanager
def sqlite_page_cache(kib: int = IMPORT_PAGE_CACHE_KIB) -> Iterator[None]:
    """The session's SQLite connection with a ``kib`` page cache for the block, as before after.

    Only for the import: a web process's connections keep SQLite's small default. Nothing on
    other engines.
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection  # usable even after a failed statement
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {before}")


def load(
    source: Source,
    items: Iterable[ParseItem],
    *,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    existing: Mapping[str, Row[Any]] | None = None,
) -> ImportReport:
    """Upsert ``items`` as the complete list of ``source``'s meetings; the caller commits.

    New keys are added, changed ones updated (their ``sequence`` bumped), keys that left the
    feed are marked removed, and unchanged meetings are not written at all. ``existing``: the
    source's stored rows, when the caller read them already.
    """
    now = now or utcnow()
    records, rejected, warnings, same = collect(items, progress=progress)
    if source.id is None:
        db.session.flush()
    if existing is None:
        existing = _stored_rows(source.id)
    listed = sum(1 for row in existing.values() if row.removed_at is None)
    if not records and not same and listed:
        raise FeedParseError(
            f"the feed has no usable meetings; refusing to remove all {listed} listed ones",
            source=source.name,
        )
    if not records and not same:  # nothing to list: not a source (a first import registers nothing)
        why = f" ({len(rejected)} records rejected, first: {rejected[0].reason})" if rejected else ""
        raise FeedParseError(f"the feed has no usable meetings{why}", source=source.name)
    changes = diff(records, existing, source_id=source.id, now=now, unchanged=same)
    write(changes)
    return ImportReport(
        added=len(changes.inserts), updated=len(changes.updates), unchanged=changes.unchanged,
        removed=len(changes.removals), rejected=rejected, warnings=warnings,
    )


def _stored_rows(source_id: int) -> dict[str, Row[Any]]:
    statement = select(Meeting.id, Meeting.source_key, Meeting.content_hash, Meeting.feed_digest,
                       Meeting.sequence, Meeting.removed_at).where(Meeting.source_id == source_id)
    return {row.source_key: row for row in db.session.execute(statement)}


def _by_digest(existing: Mapping[str, Row[Any]]) -> dict[str, str]:
    """The listed meetings' keys by the digest of the feed row each was read from."""
    return {row.feed_digest: key for key, row in existing.items()
            if row.feed_digest is not None and row.removed_at is None}
