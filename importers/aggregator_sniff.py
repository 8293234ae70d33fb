"""Is a feed the BMLT aggregator's export (aggregator_files.py reads it)? Asked of every feed whose
format is not given, before its content is sniffed, so kept apart from the export's reading."""
from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from importers.base import json_int

MANIFEST_LIMIT = 5 * 1024 * 1024
MEETINGS_FILES = ("meetings.ndjson.gz", "meetings.ndjson")
GZIP_MAGIC = b"\x1f\x8b"


def is_manifest(data: object) -> bool:
    """True for the export's manifest: an object listing a meetings NDJSON file."""
    return isinstance(data, dict) and any(
        entry_name(entry).endswith(MEETINGS_FILES) for entry in entries(data.get("files")))


def is_export(raw: bytes) -> bool:
    """True for the export's meetings (NDJSON of BMLT meetings, gzipped or not) or its manifest."""
    head = raw[:64 * 1024]
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64 * 1024)
        except zlib.error:
            return False
    first = head.lstrip().split(b"\n", 1)[0]
    if first.startswith(b"{") and b'"id_bigint"' in first:
        row = json_or_none(first)
        return isinstance(row, dict) and "id_bigint" in row
    return (len(raw) <= MANIFEST_LIMIT and head.lstrip()[:1] == b"{" and b"ndjson" in head
            and is_manifest(json_or_none(raw)))  # (a BMLT {"meetings": ...} is not parsed twice)


def names_export(location: str) -> bool:
    """True for an export named so (``.ndjson``, ``.ndjson.gz``), or a local file that is one."""
    if "://" in location:
        return urlsplit(location).path.lower().endswith((".ndjson", ".ndjson.gz"))
    try:
        if not Path(location).is_file():  # never open a FIFO or a device to look
            return False
        with Path(location).open("rb") as file:
            return is_export(file.read(64 * 1024))
    except OSError:
        return False


def json_or_none(raw: bytes | None) -> Any:
    """The JSON value ``raw`` holds, None if it holds none."""
    if raw is None:
        return None
    try:
        return json.loads(raw, parse_int=json_int)
    except (ValueError, RecursionError):
        return None


def entries(files: object) -> list[dict[str, Any]]:
    """The manifest's list of files, each a dict with at least its name."""
    if isinstance(files, dict):
        return [{"name": name, **value} if isinstance(value, dict) else {"name": name}
                for name, value in files.items()]
    if isinstance(files, list):
        return [e if isinstance(e, dict) else {"name": e} for e in files if isinstance(e, dict | str)]
    return []


def entry_name(entry: dict[str, Any]) -> str:
    """A manifest entry's file name (a URL's path)."""
    for key in ("name", "path", "file", "key", "url"):
        if isinstance(entry.get(key), str):
            return urlsplit(entry[key]).path
    return ""
