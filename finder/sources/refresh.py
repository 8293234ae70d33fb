"""Keeping sources fresh: which are due, re-importing one, and recording failures."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from finder.enums import RunStatus
from finder.extensions import db
from finder.models import ImportRun, Meeting, Source, utcnow
from finder.sources.loader import ImportReport, import_source
from finder.sources.lock import lock_source
from importers import FeedError, ImportOptions, get_importer
from importers.base import Notice, Validators
from importers.errors import FeedNotModified
from importers.normalize import storable

# A source is flagged for a person to look at after this many failures in a row, or this long
# without a success; its meetings stay listed as last imported.
FLAG_AFTER_FAILURES = 3
FLAG_AFTER = timedelta(days=7)
NOT_MODIFIED = "the feed has not changed since the last import (HTTP 304): nothing was read"


@dataclass
class RefreshResult:
    """What refreshing one source did."""

    source: Source
    run: ImportRun
    report: ImportReport | None = None

    @property
    def ok(self) -> bool:
        """True if the feed was imported."""
        return self.run.status is RunStatus.OK


def is_due(source: Source, now: datetime) -> bool:
    """True if ``source`` has never run, or its refresh interval has passed since its last run."""
    return source.last_run_at is None or now - source.last_run_at >= timedelta(hours=source.refresh_hours)


def due_sources(now: datetime | None = None) -> list[Source]:
    """Every source that is due for a refresh, oldest run first."""
    now = now or utcnow()
    sources = db.session.execute(db.select(Source).order_by(Source.name)).scalars()
    due = [s for s in sources if is_due(s, now)]
    return sorted(due, key=lambda s: (s.last_run_at is not None, s.last_run_at or now))


def refresh_source(source: Source, options: ImportOptions, *,
                   now: datetime | None = None) -> RefreshResult:
    """Fetch and import ``source`` with ``options``; a failure is recorded and changes none of
    its meetings.

    The caller commits. Importers write nothing before a FeedError, so a failed run leaves
    the session holding only the failure record.
    """
    started = now or utcnow()
    lock_source(source.name)  # SourceBusy (nothing recorded) while another import holds it
    if source.etag or source.last_modified:  # "changed since?" (importers that can ask do)
        options = dataclasses.replace(options, validators=Validators(source.etag, source.last_modified))
    try:
        importer = get_importer(source.format)(options)
        run, report = import_source(source, importer, importer.fetch(source.url))
    except FeedNotModified:
        return RefreshResult(source, *record_not_modified(source, started=started))
    except FeedError as exc:
        return RefreshResult(source, record_failure(source, str(exc), started=started))
    return RefreshResult(source, run, report)


def record_not_modified(source: Source, *, started: datetime) -> tuple[ImportRun, ImportReport]:
    """Store a run for a feed answered 304: read nothing, changed nothing, and all is well."""
    now = utcnow()
    listed = db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.source_id == source.id, Meeting.removed_at.is_(None))) or 0
    report = ImportReport(unchanged=listed, warnings=[Notice(None, NOT_MODIFIED)])
    run = ImportRun(source=source, started_at=started, finished_at=now, status=RunStatus.OK,
                    unchanged=listed, report=report.as_dict() | {"not_modified": True})
    db.session.add(run)
    source.last_run_at = source.last_success_at = now
    source.failures, source.last_error, source.flagged_at = 0, None, None
    return run, report


def record_failure(source: Source, error: str, *, started: datetime | None = None) -> ImportRun:
    """Store a failed run, count the failure, and flag the source if it has failed for long."""
    now = utcnow()
    error = storable(error)[:2000]
    run = ImportRun(source=source, started_at=started or now, finished_at=now,
                    status=RunStatus.FAILED, error=error, report={"error": error})
    db.session.add(run)
    source.failures = (source.failures or 0) + 1
    source.last_error = error
    source.last_run_at = now
    if source.flagged_at is None and failing_for_long(source, now):
        source.flagged_at = now
    return run


def failing_for_long(source: Source, now: datetime) -> bool:
    """True after FLAG_AFTER_FAILURES failures in a row or FLAG_AFTER without a success."""
    since = source.last_success_at or source.created_at
    return source.failures >= FLAG_AFTER_FAILURES or (since is not None and now - since >= FLAG_AFTER)


def source_status(source: Source) -> str:
    """``flagged``, ``failing``, ``ok`` or ``never run``: a one-word state for listings."""
    if source.flagged_at is not None:
        return "flagged"
    if source.failures:
        return "failing"
    return "ok" if source.last_success_at else "never run"
