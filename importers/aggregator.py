"""The BMLT aggregator's daily export: NA meetings of every root server, one BMLT meeting a line.

Each line holds exactly the fields of ``GetSearchResults`` on the aggregator, which adds
``root_server_id`` (the aggregator's number for the root server) beside ``root_server_uri``.
``id_bigint`` is only unique within a root server's meetings, so a meeting's key is its root
server and its id. Format keys come without a ``GetFormats`` table and are read in each root
server's language (its meetings' usual ``lang_enum``) through the BMLT tables (``na_keys``).
The file is read line by line, twice (a first quick pass learns each server's language), and
never held whole: a download is kept in a temporary file.
"""
from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import urlsplit

from importers.aggregator_files import (
    LINE_LIMIT,
    Manifest,
    check_against,
    lines,
    open_export,
    read_manifest,
)
from importers.aggregator_sniff import MANIFEST_LIMIT, is_export, json_or_none, names_export
from importers.base import Notice, ParseItem, Rejected, fetch_bytes, rejection
from importers.bmlt import KNOWN_FIELDS, BmltImporter
from importers.bmlt_formats import FormatReader
from importers.errors import FeedParseError
from importers.normalize import text

_LANG_RE = re.compile(rb'"lang_enum"\s*:\s*"([A-Za-z_-]{1,16})"')
_ROOT_ID_RE = re.compile(rb'"root_server_id"\s*:\s*"?(\d{1,18})\b')
_ROOT_URI_RE = re.compile(rb'"root_server_uri"\s*:\s*("(?:[^"\\]|\\.){1,2000}")')


@dataclass
class _Server:
    """One root server's meetings as they are read: its key reader, zones and waiting meetings."""

    reader: FormatReader
    uri: str | None = None
    zones: Counter[str] = field(default_factory=Counter)
    waiting: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class AggregatorImporter(BmltImporter):
    """NA meetings of every root server, from the BMLT aggregator's NDJSON export or its manifest."""

    name = "bmlt-aggregator"
    description = "the BMLT aggregator's daily NDJSON export (meetings.ndjson.gz) or its manifest.json"
    fetches_itself = True  # a manifest leads to the meetings file, read from disk

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manifest: Manifest | None = None
        self.formats: list[Any] | None = None  # the export's GetFormats table, when it was read

    def use_formats(self, raw: bytes) -> None:
        """Read format ids through this GetFormats table (the export's ``formats.json.gz``).

        The aggregator gives every root server's formats its own shared ids, the ids that
        meetings list in ``format_shared_id_list``, so one table serves every root server.
        """
        data = json_or_none(raw.removeprefix(b"\xef\xbb\xbf"))
        if isinstance(data, dict):
            data = data.get("formats")
        if not isinstance(data, list) or not data:
            raise FeedParseError("the aggregator's formats file is not a GetFormats list")
        self.formats = data

    @classmethod
    def sniff(cls, raw: bytes) -> bool:
        return is_export(raw)

    @classmethod
    def claims(cls, location: str) -> bool:
        """True for an export named so (``.ndjson``, ``.ndjson.gz``), or a local file that is one."""
        return names_export(location)

    def fetch(self, location: str) -> IO[bytes]:  # type: ignore[override]
        """The meetings file, open at its start: from the manifest at ``location``, or itself.

        With the source's validators, a URL is asked "changed since?" (FeedNotModified on 304).
        """
        limits = {"timeout": self.options.timeout, "max_bytes": self.options.max_bytes}
        if _named_like_manifest(location):
            raw = fetch_bytes(location, timeout=self.options.timeout,
                              max_bytes=min(self.options.max_bytes, MANIFEST_LIMIT))
            self.manifest = read_manifest(raw, location)
            location = self.manifest.meetings.location
            if self.manifest.formats is not None:
                self.use_formats(fetch_bytes(self.manifest.formats.location, **limits))
        download = open_export(location, validators=self.options.validators, **limits)
        if self.manifest is not None:
            try:
                check_against(download, self.manifest.meetings)
            except Exception:
                download.stream.close()
                raise
        self.validators = download.validators
        return download.stream

    def parse(self, raw: bytes | IO[bytes]) -> Iterator[ParseItem]:  # type: ignore[override]
        stream = io.BytesIO(raw) if isinstance(raw, bytes | bytearray) else raw
        try:
            languages = _root_languages(stream, self.options.max_bytes)
            stream.seek(0)
            yield from self._read(stream, languages)
        finally:
            stream.close()

    def _read(self, stream: IO[bytes], languages: dict[str, str]) -> Iterator[ParseItem]:
        servers: dict[str, _Server] = {}
        table = FormatReader(self.formats) if self.formats else None
        unknown_fields: Counter[str] = Counter()
        unpublished = read = by_table = 0
        for number, line in enumerate(lines(stream, max_bytes=self.options.max_bytes), start=1):
            label = f"line {number}"
            if line is None:
                yield Rejected(label, f"line longer than {LINE_LIMIT:,} bytes: not a meeting")
                continue
            if not line.strip():
                continue
            read += 1
            row = json_or_none(line)
            if not isinstance(row, dict):
                yield Rejected(label, "not a JSON object" if row is not None else "not JSON")
                continue
            root = _root_of(row)
            if root is None:
                yield Rejected(label, "no root_server_id or root_server_uri: its id could be another server's")
                continue
            server = servers.get(root)
            if server is None:
                server = servers[root] = _Server(FormatReader(None, languages.get(root)),
                                                 text(row.get("root_server_uri")))
            unknown_fields.update(key for key in row if key not in KNOWN_FIELDS)
            if text(row.get("published")) == "0":
                unpublished += 1
                continue
            reader = server.reader
            if table is not None and text(row.get("format_shared_id_list")):
                reader, by_table = table, by_table + 1  # by world id: never by a localised key
            try:
                key, fields = self._fields(row, label, root, reader)
                if fields["timezone"] is None and not self.options.default_timezone:
                    server.waiting.append((key, fields))  # virtual, no zone: its server's usual one
                    continue
                record = self._finish(fields)
            except Exception as exc:  # noqa: BLE001 (one line fails alone)
                yield rejection(exc, label)
                continue
            server.zones[record.timezone] += 1
            yield record
        for server in servers.values():
            yield from self._finish_waiting(server.waiting, server.zones)
        yield from self._notices(servers, languages, read)
        if table is not None:
            yield Notice(None, f"formats of {by_table} meetings read by NAWS world id from the export's "
                         "formats table" + ("; unknown ignored: " + ", ".join(
                             f"{key} ({count})" for key, count in sorted(table.unknown.items()))
                             if table.unknown else ""))
        yield from _field_notices(unknown_fields, unpublished)

    def _key(self, row: dict[str, Any], meeting_id: str, root: str | None) -> str:
        """``root server/id``: the aggregator's root server number, else the server's address."""
        server = text(row.get("root_server_id"))
        return f"root-{server}/{meeting_id}" if server else super()._key(row, meeting_id, root)

    def _notices(self, servers: dict[str, _Server], languages: dict[str, str], read: int
                 ) -> Iterator[Notice]:
        by_language = Counter(server.reader.language for server in servers.values())
        yield Notice(None, f"{read} lines from {len(servers)} root servers; format keys read in each "
                     "server's language (its meetings' usual lang_enum): " + ", ".join(
                         f"{lang} {count}" for lang, count in sorted(by_language.items())))
        for root, server in sorted(servers.items()):
            if server.reader.unknown:
                yield Notice(None, (
                    f"unknown formats ignored on root server {_server_label(root, server)} "
                    f"(keys read as {server.reader.language!r}): " + ", ".join(
                        f"{key} ({count})" for key, count in sorted(server.reader.unknown.items()))))
        manifest = self.manifest
        if manifest is None:
            return
        if manifest.meetings.records is not None and manifest.meetings.records != read:
            yield Notice(None, f"the manifest counts {manifest.meetings.records} meetings; {read} lines were read")
        if manifest.stale_root_servers:
            yield Notice(None, (
                f"{len(manifest.stale_root_servers)} root servers left out by the aggregator as stale "
                "(not imported for over 14 days): " + ", ".join(
                    _stale_label(s) for s in manifest.stale_root_servers[:20])))


def _root_of(row: dict[str, Any]) -> str | None:
    return text(row.get("root_server_id")) or text(row.get("root_server_uri"))


def _root_languages(stream: IO[bytes], max_bytes: int) -> dict[str, str]:
    """Each root server's usual ``lang_enum``, from a quick pass over the raw lines."""
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for line in lines(stream, max_bytes=max_bytes):
        lang = _LANG_RE.search(line) if line else None
        if lang is None:
            continue
        root_id = _ROOT_ID_RE.search(line)
        uri = _ROOT_URI_RE.search(line) if root_id is None else None
        root = root_id[1].decode() if root_id else text(json_or_none(uri[1])) if uri else None
        if root:
            counts[root][lang[1].decode()] += 1
    return {root: langs.most_common(1)[0][0] for root, langs in counts.items()}


def _named_like_manifest(location: str) -> bool:
    path = urlsplit(location).path if "://" in location else location
    return path.lower().endswith(".json")


def _server_label(root: str, server: _Server) -> str:
    return f"{root} ({server.uri})" if server.uri and server.uri != root else root


def _stale_label(stale: object) -> str:
    if isinstance(stale, dict):
        return str(stale.get("id") or stale.get("root_server_id") or stale.get("name") or "?")
    return str(stale)


def _field_notices(unknown_fields: Counter[str], unpublished: int) -> Iterator[Notice]:
    if unknown_fields:
        yield Notice(None, "unknown fields ignored: " + ", ".join(
            f"{name} ({count})" for name, count in sorted(unknown_fields.items())))
    if unpublished:
        yield Notice(None, f"{unpublished} unpublished meetings skipped")
