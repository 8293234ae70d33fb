"""The shapes real feeds come in beyond the spec: Windows-1252 text, JSON Lines, US dates."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from importers.base import json_int
from importers.errors import FeedParseError
from importers.normalize import parse_updated, text

_US_STAMPS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
              "%m/%d/%Y")


def decode_text(raw: bytes, source: str) -> tuple[str, list[str]]:
    """The feed's text: UTF-8 (with or without BOM), else Windows-1252 with a note saying so."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        try:
            decoded = raw.decode("cp1252")
        except UnicodeDecodeError:
            decoded = "\x00"
        if "\x00" in decoded:  # binary, or UTF-16: not text a spreadsheet would write
            raise FeedParseError(f"feed is not UTF-8 text ({exc.reason})", source=source) from None
        return decoded, [f"feed is not UTF-8 ({exc.reason} at byte {exc.start}): read as Windows-1252"]


def json_rows(raw_text: str, source: str) -> tuple[Any, list[str]]:
    """The feed's JSON value; JSON Lines (one object a line) read as an array, with a note."""
    try:
        return json.loads(raw_text, parse_int=json_int), []
    except RecursionError:
        raise FeedParseError("feed is JSON nested too deeply to read", source=source) from None
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" or not raw_text.lstrip().startswith("{"):
            raise FeedParseError(f"feed is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                                 source=source, line=exc.lineno) from None
    rows = []
    for number, line in enumerate(raw_text.splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line, parse_int=json_int))
            except RecursionError:
                raise FeedParseError(f"JSON Lines feed: line {number} is nested too deeply to read",
                                     source=source, line=number) from None
            except json.JSONDecodeError as exc:
                raise FeedParseError(f"JSON Lines feed: line {number} is not JSON ({exc.msg})",
                                     source=source, line=number) from None
    return rows, [f"feed is JSON Lines ({len(rows)} lines), not an array: read one meeting a line"]


def looks_like_json_lines(head: bytes) -> bool:
    """True for JSON Lines of Meeting Guide objects (a first line that is one object with a slug)."""
    first = head.lstrip().split(b"\n", 1)[0].strip()
    return first.startswith(b"{") and first.endswith(b"}") and b'"slug"' in first


def us_updated(value: object) -> tuple[object, list[str]]:
    """``updated`` in a US form ("8/25/2022 11:17:07 AM") as ISO text, with a note; else as is."""
    raw = text(value) if isinstance(value, str) and "/" in value else None
    if raw is None or parse_updated(raw) is not None:  # the spec's form: left to updated_step
        return value, []
    for pattern in _US_STAMPS:
        try:
            stamp = datetime.strptime(raw, pattern)
        except ValueError:
            continue
        return stamp.isoformat(sep=" "), [f"updated {raw!r} read as US month/day/year: {stamp:%Y-%m-%d %H:%M}"]
    return value, []
