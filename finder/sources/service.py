"""Importing one source: the options its feed is read with, a first or repeated import, the demo."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Source
from finder.sources.duplicates import mark_duplicates
from finder.sources.loader import ImportReport, import_source
from finder.sources.lock import lock_source
from finder.sources.refresh import record_failure
from importers import FeedError, Importer, ImportOptions, detect_importer, get_importer
from importers.aggregator_sniff import names_export
from importers.base import fetch_bytes, is_root_server
from importers.errors import FeedParseError

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
# (file, format, fellowship, default zone): the demo feeds shipped with the package.
DEMO_FEEDS = [
    ("aa-meeting-guide.json", "meeting-guide", Fellowship.AA, "America/New_York"),
    ("na-bmlt.json", "bmlt", Fellowship.NA, "America/New_York"),
    ("ga-tsml.csv", "csv", Fellowship.GA, "America/New_York"),
    ("aa-online-intergroup.json", "meeting-guide", Fellowship.AA, "America/New_York"),
]
DEMO_DISPLAY_NAMES = {
    "aa-meeting-guide.json": "Demo AA Intergroup", "na-bmlt.json": "Demo NA Area",
    "ga-tsml.csv": "Demo GA Area", "aa-online-intergroup.json": "Demo Online Intergroup",
}


def options_for(source: Source) -> ImportOptions:
    """What the importers are told about a source, with the app's fetch limits."""
    return ImportOptions(
        fellowship=source.fellowship,
        default_timezone=source.default_timezone,
        source_name=source.name,
        timeout=current_app.config["FETCH_TIMEOUT"],
        max_bytes=current_app.config["FETCH_MAX_BYTES"],
        columns=tuple((source.column_map or {}).items()),
    )


def find_source(name: str) -> Source | None:
    """The source called ``name``, if there is one."""
    return db.session.execute(db.select(Source).where(Source.name == name)).scalar_one_or_none()


def source_name_for(location: str) -> str:
    """A readable default source name: the file's stem, or the URL's host and path."""
    if "://" in location:
        parts = urlsplit(location)
        return (parts.hostname or "feed") + parts.path.rstrip("/")
    return Path(location).stem


@dataclass(frozen=True)
class Imported:
    """What ``finder import`` did: the source, the importer that read the feed, and its report."""

    source: Source
    importer: Importer
    report: ImportReport


def import_location(location: str, *, name: str, format_: str | None = None,
                    fellowship: Fellowship | None = None, default_timezone: str | None = None,
                    formats: str | None = None, columns: dict[str, str] | None = None,
                    progress: Callable[[int], None] | None = None,
                    say: Callable[[str], None] | None = None) -> Imported:
    """Import a feed into the source called ``name``, making the source on its first import.

    The format is recognised from the content when ``format_`` is None; a new source of a
    one-fellowship format (BMLT is NA) takes that fellowship unless one is given. Commits.
    ``formats`` is a BMLT GetFormats file or URL for a meeting list that came without one; a
    BMLT root server's URL is recognised without ``format_``. ``columns`` maps a CSV in a layout
    of its own (field -> the feed's column); it is kept with the source when the import succeeds.

    The source's lock (lock.py) is held from before it is looked up to the commit, so two imports
    of one source take turns, a new one included; ``say`` hears that an import is waiting. On
    any error nothing of the source's meetings changes: an existing source records the failure,
    and a FeedError is raised (SourceBusy when the lock was not had: no failure is counted).
    """
    lock_source(name, say=say)
    source = find_source(name)
    existed = source is not None
    if source is None:  # added to the session only by a successful import
        source = Source(name=name, url=location, format=format_ or "", default_timezone=default_timezone,
                        fellowship=fellowship or Fellowship.AA)
    options = dataclasses.replace(
        options_for(source),
        fellowship=fellowship or source.fellowship,
        default_timezone=default_timezone or source.default_timezone,
    )
    if columns:  # given this time: read with it (the source's own otherwise)
        options = dataclasses.replace(options, columns=tuple(columns.items()))
    try:
        raw: bytes | IO[bytes] | None = None  # a stream when the importer reads from disk
        if not format_ and is_root_server(location):
            format_ = "bmlt"
        elif not format_ and names_export(location):  # streamed: never read whole here
            format_ = "bmlt-aggregator"
        if options.columns and not format_ and source.format in ("", "csv"):
            format_ = "csv"  # a mapped CSV's layout is its own: not sniffable
        if format_:
            importer_class = get_importer(format_)
        else:
            raw = fetch_bytes(location, timeout=options.timeout, max_bytes=options.max_bytes)
            importer_class = detect_importer(raw)
        if fellowship is None and not existed and importer_class.fellowship is not None:
            options = dataclasses.replace(options, fellowship=importer_class.fellowship)
        importer = importer_class(options)
        if raw is None or importer.fetches_itself:  # its own way (a root server, a manifest)
            raw = importer.fetch(location)
        if formats:
            raw = _with_formats(importer, raw, formats)
        if columns:
            source.column_map = _csv_only(importer, columns)
        if not existed:
            source.format, source.fellowship = importer.name, importer.options.fellowship
            db.session.add(source)
        source.url = location
        _, report = import_source(source, importer, raw, progress=progress)
        mark_duplicates()
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 (any failure is one stored run and one clean error)
        db.session.rollback()
        error = failure_message(exc, name)
        if existed:  # kept in the source's history; its meetings stay
            record_failure(source, error)
            db.session.commit()
        if isinstance(exc, FeedError):
            raise
        current_app.logger.debug("importing %s failed", name, exc_info=exc)
        raise ImportFailed(error, source=name) from None
    return Imported(source, importer, report)


def _with_formats(importer: Importer, raw: bytes | IO[bytes], formats: str) -> bytes | IO[bytes]:
    """A BMLT meeting list joined with the GetFormats answer read from ``formats``."""
    from importers.aggregator import AggregatorImporter
    from importers.bmlt import BmltImporter, join_feed

    if not isinstance(importer, BmltImporter):
        raise FeedParseError(f"--formats is for BMLT meeting lists; this feed is {importer.name}")
    table = fetch_bytes(formats, timeout=importer.options.timeout, max_bytes=importer.options.max_bytes)
    if isinstance(importer, AggregatorImporter):  # the export's own formats.json.gz
        importer.use_formats(table)
        return raw
    return join_feed(raw, table)


def _csv_only(importer: Importer, columns: dict[str, str]) -> dict[str, str]:
    """The column mapping to keep with the source; a mapping is for CSV feeds only."""
    if importer.name != "csv":
        raise FeedParseError(f"a column mapping is for CSV feeds; this feed is {importer.name}")
    return dict(columns)


class ImportFailed(FeedError):
    """An import failed for a reason other than its feed (the database refused, a bug)."""


def failure_message(exc: Exception, name: str) -> str:
    """One line saying why an import failed, for the failed run and the command's error."""
    if isinstance(exc, FeedError):
        return str(exc)
    if isinstance(exc, IntegrityError) and "source" in str(exc.orig).lower():
        return (f"another import created the source {name!r} at the same time; nothing was "
                "changed: run the import again")
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower():
        return "the database stayed busy with another import; nothing was changed: try again later"
    detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
    return f"the import failed: {type(exc).__name__}: {detail}"


def load_demo() -> tuple[list[tuple[str, ImportReport]], int]:
    """Load the demo feeds shipped with the app (safe to repeat); commits each.

    Returns each demo source's name and report, and how many meetings are copies of another's.
    """
    reports = []
    for filename, format_, fellowship, zone in DEMO_FEEDS:
        name = f"demo-{Path(filename).stem}"
        source = find_source(name)
        if source is None:
            source = Source(name=name, url=str(DEMO_DIR / filename), format=format_,
                            fellowship=fellowship, default_timezone=zone,
                            display_name=DEMO_DISPLAY_NAMES[filename])
            db.session.add(source)
        importer = get_importer(format_)(options_for(source))
        _, report = import_source(source, importer, importer.fetch(str(DEMO_DIR / filename)))
        db.session.commit()
        reports.append((name, report))
    copies = mark_duplicates()
    db.session.commit()
    return reports, copies
