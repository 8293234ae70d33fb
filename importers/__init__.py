"""Importers: one module per source format, a shared record, a registry and the loader."""
from __future__ import annotations

import importlib

from importers.base import Importer, ImportOptions
from importers.errors import FeedError, FeedFetchError, FeedParseError, UnknownImporterError
from importers.record import MeetingRecord

# Each format's importer, in the order formats are recognised: the aggregator's lines are BMLT
# meetings too. A format's module is imported when its importer is asked for (or its turn to
# sniff a feed comes), so importing a Meeting Guide feed loads no BMLT, aggregator or CSV code.
IMPORTERS: dict[str, str] = {
    "meeting-guide": "importers.meeting_guide:MeetingGuideImporter",
    "bmlt-aggregator": "importers.aggregator:AggregatorImporter",
    "bmlt": "importers.bmlt:BmltImporter",
    "csv": "importers.tsml_csv:TsmlCsvImporter",
}


def get_importer(name: str) -> type[Importer]:
    """The importer class registered as ``name``; the error lists the valid names."""
    try:
        where = IMPORTERS[name]
    except KeyError:
        valid = ", ".join(sorted(IMPORTERS))
        raise UnknownImporterError(f"unknown format {name!r}; valid formats: {valid}") from None
    # As finder/cli.py loads a command: pkgutil.resolve_name would compile a pattern for the
    # name first (1 M instructions of finder import's start-up).
    module, _, attribute = where.partition(":")
    return getattr(importlib.import_module(module), attribute)


def detect_importer(raw: bytes) -> type[Importer]:
    """The importer whose format ``raw`` looks like; FeedParseError if none does."""
    for name in IMPORTERS:
        importer = get_importer(name)
        if importer.sniff(raw):
            return importer
    raise FeedParseError(_unrecognised(raw))


def _unrecognised(raw: bytes) -> str:
    """Why no importer took ``raw``; ``--format`` is suggested only where it could help."""
    from importers.tsml_csv import unreadable_layout

    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        return "the feed is empty"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        return "this is an HTML or XML page, not a meeting feed (is the URL the feed's own?)"
    if head[:1] in (b"[", b"{"):
        return "cannot tell the feed's format from its content; give --format"
    layout = unreadable_layout(raw)
    if layout:
        return layout
    if b"," in head or b"\t" in head or b";" in head:
        return "cannot tell the feed's format from its content; give --format"
    return "this is neither JSON nor CSV: not a meeting feed"


__all__ = [
    "IMPORTERS", "FeedError", "FeedFetchError", "FeedParseError", "ImportOptions", "Importer",
    "MeetingRecord", "UnknownImporterError", "detect_importer", "get_importer",
]
