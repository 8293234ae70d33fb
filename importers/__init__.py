"""Importers: one module per source format, a shared record, a registry and the loader."""
from __future__ import annotations

from importers.base import Importer, ImportOptions
from importers.bmlt import BmltImporter
from importers.errors import FeedError, FeedFetchError, FeedParseError, UnknownImporterError
from importers.meeting_guide import MeetingGuideImporter
from importers.record import MeetingRecord
from importers.tsml_csv import TsmlCsvImporter

IMPORTERS: dict[str, type[Importer]] = {
    MeetingGuideImporter.name: MeetingGuideImporter,
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
    raise FeedParseError("cannot tell the feed's format; give --format")


__all__ = [
    "IMPORTERS", "FeedError", "FeedFetchError", "FeedParseError", "ImportOptions", "Importer",
    "MeetingRecord", "UnknownImporterError", "detect_importer", "get_importer",
]
