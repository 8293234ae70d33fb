"""The BMLT aggregator's daily export as files: its manifest, the meetings file kept on disk, its lines.

The aggregator (bmlt-enabled/aggregator, ``docs/responsible-use.md``) publishes under one base
URL a ``manifest.json`` (every file with its size, SHA-256 and record count, the root servers
left out as stale, a ``schema_version``), ``meetings.ndjson.gz`` (every current meeting, one
``GetSearchResults`` object a line, about 35,000) and the same per root server. The CDN answers
``If-None-Match`` with 304 while a file is unchanged. The manifest's exact field names are not
documented there, so they are read under the few names such a list uses.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

from importers.aggregator_sniff import GZIP_MAGIC, MEETINGS_FILES, entries, entry_name
from importers.base import Validators, json_int, stream_url
from importers.errors import FeedFetchError, FeedParseError

FORMATS_FILES = ("formats.json.gz", "formats.json")
# A meeting is about 2 KB; a longer line is rejected alone, without being held whole.
LINE_LIMIT = 1024 * 1024
# Decompressed, the export may be this many times the download limit (it is ~10x gzipped).
INFLATE_RATIO = 20


@dataclass(frozen=True)
class ManifestEntry:
    """The manifest's line for the meetings file: where it is and what it should hold."""

    location: str
    sha256: str | None = None
    size: int | None = None
    records: int | None = None


@dataclass(frozen=True)
class Manifest:
    """What the manifest says about the export."""

    meetings: ManifestEntry
    formats: ManifestEntry | None = None  # GetFormats of every root server (the same shared ids)
    schema_version: Any = None
    stale_root_servers: list[Any] = field(default_factory=list)


@dataclass
class Download:
    """The meetings file, readable from the start, and what its answer said."""

    stream: IO[bytes]
    validators: Validators | None
    sha256: str
    size: int
    encoded: bool = False  # gzip-encoded in transit (its bytes are not the published file's)


def read_manifest(raw: bytes, location: str) -> Manifest:
    """The manifest at ``location``; FeedParseError if it lists no meetings file."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_int=json_int)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FeedParseError(f"the aggregator manifest is not JSON ({exc})", source=location) from None
    files = entries(data.get("files") if isinstance(data, dict) else None)
    meetings = _listed(files, MEETINGS_FILES, location)
    if meetings is None:
        raise FeedParseError("the aggregator manifest lists no meetings.ndjson(.gz) file", source=location)
    stale = data.get("stale_root_servers") or []
    return Manifest(meetings=meetings, formats=_listed(files, FORMATS_FILES, location),
                    schema_version=data.get("schema_version"),
                    stale_root_servers=stale if isinstance(stale, list) else [stale])


def _listed(files: list[dict[str, Any]], names: tuple[str, ...], manifest: str) -> ManifestEntry | None:
    """The manifest's entry for the first of ``names`` it lists."""
    entries = [e for e in files if entry_name(e).rsplit("/", 1)[-1] in names]
    if not entries:
        return None
    entry = min(entries, key=lambda e: names.index(entry_name(e).rsplit("/", 1)[-1]))
    return ManifestEntry(
        location=_beside(manifest, str(entry.get("url") or entry_name(entry))),
        sha256=_first(entry, "sha256", "checksum", "sha-256"),
        size=_number(_first(entry, "size", "bytes", "size_bytes")),
        records=_number(_first(entry, "records", "record_count", "count", "meetings")))


def open_export(location: str, *, timeout: float, max_bytes: int,
                validators: Validators | None = None) -> Download:
    """The meetings file at ``location`` (a path, or a URL downloaded to a temporary file).

    A URL is asked conditionally with ``validators``: FeedNotModified on a 304.
    """
    if location.startswith(("http://", "https://")):
        return _download(location, timeout=timeout, max_bytes=max_bytes, validators=validators)
    if "://" in location:
        raise FeedFetchError(f"unsupported URL scheme in {location!r}: use http(s) or a file path")
    path = Path(location)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FeedFetchError(f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise FeedFetchError(f"{path} is too large ({info.st_size:,} bytes; the limit is {max_bytes:,})")
        stream = path.open("rb")
    except FileNotFoundError:
        raise FeedFetchError(f"no such file: {path}") from None
    except PermissionError:
        raise FeedFetchError(f"cannot read {path}: permission denied") from None
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return Download(stream, None, digest.hexdigest(), info.st_size)


def check_against(download: Download, entry: ManifestEntry) -> None:
    """FeedFetchError when the file is not the one the manifest describes (a half-published export)."""
    if download.encoded:
        return  # re-encoded in transit: its bytes are not the published file's
    if entry.sha256 and entry.sha256.lower() != download.sha256:
        raise FeedFetchError(f"{entry.location} does not match the manifest's SHA-256 "
                             "(the export may be being replaced): nothing imported, try later")
    if entry.size is not None and entry.size != download.size:
        raise FeedFetchError(f"{entry.location} is {download.size:,} bytes, the manifest says "
                             f"{entry.size:,}: nothing imported, try later")


def lines(stream: IO[bytes], *, max_bytes: int) -> Iterator[bytes | None]:
    """The file's lines, gunzipped as they are read; None for a line over LINE_LIMIT (skipped)."""
    text = _inflated(stream)
    total, limit = 0, max_bytes * INFLATE_RATIO
    try:
        while line := text.readline(LINE_LIMIT + 1):
            total += len(line)
            if total > limit:
                raise FeedParseError(f"the export is larger than {limit:,} bytes once decompressed")
            if len(line) > LINE_LIMIT and not line.endswith(b"\n"):
                while (rest := text.readline(LINE_LIMIT)) and not rest.endswith(b"\n"):
                    total += len(rest)
                yield None
                continue
            yield line
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise FeedParseError(f"the export is not valid gzip: {exc}") from None


def _inflated(stream: IO[bytes]) -> IO[bytes]:
    """``stream`` gunzipped (twice when a .gz file was also gzip-encoded in transit)."""
    head = stream.read(2)
    stream.seek(0)
    if head != GZIP_MAGIC:
        return stream
    inner: IO[bytes] = gzip.GzipFile(fileobj=stream)
    try:
        if inner.peek(2)[:2] == GZIP_MAGIC:  # type: ignore[attr-defined]
            inner = gzip.GzipFile(fileobj=inner)
    except (OSError, EOFError) as exc:
        raise FeedParseError(f"the export is not valid gzip: {exc}") from None
    return inner


def _download(url: str, *, timeout: float, max_bytes: int, validators: Validators | None) -> Download:
    stream = tempfile.TemporaryFile()  # unlinked at once: nothing is left behind, whatever happens
    digest = hashlib.sha256()
    size = 0

    def write(chunk: bytes) -> None:
        nonlocal size
        stream.write(chunk)
        digest.update(chunk)
        size += len(chunk)

    try:
        headers = stream_url(url, write, timeout=timeout, max_bytes=max_bytes,
                             headers=validators.headers() if validators else None)
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    answered = Validators(headers.get("ETag"), headers.get("Last-Modified"))
    return Download(stream, answered if any(answered) else None, digest.hexdigest(), size,
                    encoded=(headers.get("Content-Encoding") or "").lower() == "gzip")


def _first(entry: dict[str, Any], *keys: str) -> Any:
    return next((entry[key] for key in keys if entry.get(key) not in (None, "")), None)


def _number(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _beside(manifest: str, name: str) -> str:
    """``name`` read relative to the manifest (a URL, or a file in the manifest's folder)."""
    if "://" in name:
        return name
    if manifest.startswith(("http://", "https://")):
        return urljoin(manifest, name)
    return str(Path(manifest).resolve().parent / name.lstrip("/"))
