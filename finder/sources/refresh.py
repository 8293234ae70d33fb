"""Keeping sources fresh: which are due, re-importing one, and recording failures."""
from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING

from sqlalchemy import func, select

from finder.enums import RunStatus
from finder.extensions import db
from finder.models import ImportRun, Meeting, Source, utcnow
from finder.sources.loader import ImportReport, import_source
from finder.sources.lock import lock_source
from importers import FeedError, Importer, ImportOptions, get_importer
from importers.base import Notice, Validators
from importers.errors import FeedNotModified
from importers.normalize import storable

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

# A source is flagged for a person to look at after this many failures in a row, or this long
# without a success; its meetings stay listed as last imported.
FLAG_AFTER_FAILURES = 3
FLAG_AFTER = timedelta(days=7)
#: How many sources ``finder refresh`` fetches at once (each within its own deadline).
FETCHERS = 4
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


@dataclass
class Fetched:
    """A source's feed as fetched: its bytes and the importer to read them, or why not."""

    importer: Importer | None
    raw: bytes | IO[bytes] | None = None  # a stream when the importer reads from disk
    error: Exception | None = None


def fetch_source(importer: Importer, url: str) -> Fetched:
    """Fetch ``url`` for ``importer`` within the importer's deadline; no database, no Flask."""
    try:
        return Fetched(importer, importer.fetch(url))
    except Exception as exc:  # noqa: BLE001 (the caller records it as the source's failure)
        return Fetched(importer, error=exc)


def fetch_ahead(jobs: Iterable[tuple[Source, ImportOptions]],
                workers: int = FETCHERS) -> Iterator[tuple[Source, Fetched]]:
    """Each source with its fetched feed, in order, fetching up to ``workers`` sources at once.

    Fetching is most of a refresh's waiting, and every fetch has its own deadline, so a slow
    or stalled feed holds up only itself. At most ``workers`` feeds are held in memory.
    """
    # Here, not at the top: finder import, which loads this module, starts no thread (2 M
    # instructions of start-up).
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        pending: deque[tuple[Source, Future[Fetched] | Fetched]] = deque()
        for source, options in jobs:
            pending.append((source, _start_fetch(pool, source, options)))
            if len(pending) >= workers:
                yield _finished(pending.popleft())
        while pending:
            yield _finished(pending.popleft())


def with_validators(source: Source, options: ImportOptions) -> ImportOptions:
    """``options`` with what the source's last answer said, to ask "changed since?" (importers
    that can ask do, and raise FeedNotModified on a 304)."""
    if not (source.etag or source.last_modified):
        return options
    return dataclasses.replace(options, validators=Validators(source.etag, source.last_modified))


def _start_fetch(pool: ThreadPoolExecutor, source: Source, options: ImportOptions) -> Future[Fetched] | Fetched:
    try:
        importer = get_importer(source.format)(with_validators(source, options))
    except Exception as exc:  # noqa: BLE001 (an unknown format fails this source alone)
        return Fetched(None, error=exc)
    return pool.submit(fetch_source, importer, source.url)


def _finished(item: tuple[Source, Future[Fetched] | Fetched]) -> tuple[Source, Fetched]:
    source, fetching = item
    return source, fetching.result() if isinstance(fetching, Future) else fetching


def refresh_source(source: Source, options: ImportOptions, *, now: datetime | None = None,
                   fetched: Fetched | None = None) -> RefreshResult:
    """Import ``source`` with ``options`` from ``fetched`` (fetched here if not given); a
    failure is recorded and changes none of its meetings.

    The caller commits. Importers write nothing before a FeedError, so a failed run leaves
    the session holding only the failure record. An error that is not the feed's is raised.
    """
    started = now or utcnow()
    if fetched is None:
        fetched = fetch_source(get_importer(source.format)(with_validators(source, options)), source.url)
    lock_source(source.name)  # SourceBusy (nothing recorded) while another import holds it
    try:
        if fetched.error is not None:
            raise fetched.error
        run, report = import_source(source, fetched.importer, fetched.raw)
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
