"""Importers: one module per source format, a shared record, a registry and the loader."""
from __future__ import annotations

from importers.aggregator import AggregatorImporter
from importers.base import Importer, ImportOptions
from importers.bmlt import BmltImporter
from importers.errors import FeedError, FeedFetchError, FeedParseError, UnknownImporterError
from importers.meeting_guide import MeetingGuideImporter
from importers.record import MeetingRecord
from importers.tsml_csv import TsmlCsvImporter

# In the order formats are recognised: the aggregator's lines are BMLT meetings too.
IMPORTERS: dict[str, type[Importer]] = {
    MeetingGuideImporter.name: MeetingGuideImporter,
    AggregatorImporter.name: AggregatorImporter,
    BmltImporter.name: BmltImporter,
    TsmlCsvImporter.name: TsmlCsvImporter,
}


def get_importer(name: str) -> type[Importer]:
    """The importer class registered as ``name``; the error lists the valid names."""
    try:
        return IMPORTERS[name]
    except KeyError:
        valid = ", ".join(sorted(IMPORTERS))
        raise UnknownImporterError(f"unknown format {name!r}; valid formats: {valid}") from None


def detect_importer(raw: bytes) -> type[Importer]:
    """The importer whose format ``raw`` looks like; FeedParseError if none does."""
    for importer in IMPORTERS.values():
        if importer.sniff(raw):
            return importer
    raise FeedParseError(_unrecognised(raw))


def _unrecognised(raw: bytes) -> str:
    """Why no importer took ``raw``; ``--format`` is suggested only where it could help."""
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        return "the feed is empty"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        return "this is an HTML or XML page, not a meeting feed (is the URL the feed's own?)"
    if head[:1] in (b"[", b"{"):
        return "cannot tell the feed's format from its content; give --format"
    if b"," in head or b"\t" in head or b";" in head:
        return "cannot tell the feed's format from its content; give --format"
    return "this is neither JSON nor CSV: not a meeting feed"


__all__ = [
    "IMPORTERS", "FeedError", "FeedFetchError", "FeedParseError", "ImportOptions", "Importer",
    "MeetingRecord", "UnknownImporterError", "detect_importer", "get_importer",
]
