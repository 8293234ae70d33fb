"""Which CSV column holds which field: the usual headers, or a mapping for a layout of its own.

An intergroup's own export ("Meeting Name", "Weekday", "Begins") is read through a column
mapping, ``field=Column`` pairs given on the command line or kept in a small file with the
source. Without one, a layout we cannot read is refused with the columns found and needed.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping

from importers.errors import FeedParseError

NEEDED = "day, time, and name or address"
# What a message quotes of the feed's own headers: enough to recognise, never a page of them.
SHOWN_COLUMNS = 30
SHOWN_CHARS = 40


def read_mapping(text: str, fields: Collection[str]) -> dict[str, str]:
    """``field=Column`` pairs as ``{field: column}``; raises ValueError naming what is wrong.

    Pairs are one a line (a mapping file: a column name may hold commas there, and a line
    starting with ``#`` is a comment), or separated by commas on one line (``--columns
    name=Meeting Name,day=Day``).
    """
    lines = text.strip().splitlines()
    pairs = lines if len(lines) > 1 else text.strip().split(",")
    mapping: dict[str, str] = {}
    for pair in pairs:
        pair = pair.strip()
        if not pair or pair.startswith("#"):
            continue
        field, equals, column = (part.strip() for part in pair.partition("="))
        field = field.lower()
        if not equals or not field or not column:
            raise ValueError(f"{pair[:80]!r} is not FIELD=COLUMN (e.g. name=Meeting Name)")
        if field not in fields:
            raise ValueError(f"{field[:40]!r} is not a field we read; fields: {', '.join(sorted(fields))}")
        if field in mapping:
            raise ValueError(f"{field!r} is mapped twice")
        mapping[field] = column
    if not mapping:
        raise ValueError("the column mapping is empty: give FIELD=COLUMN pairs")
    return mapping


def header_key(cell: str) -> str:
    """A header as the mapping matches it: case and runs of spaces do not matter."""
    return " ".join(cell.strip().strip('"').split()).casefold()


def resolve_columns(header: list[str], mapping: Mapping[str, str],
                    usual: Callable[[str], str], *, source: str) -> list[str]:
    """The field each column holds: the mapping's first, then the usual header names.

    A column the mapping displaces (it would also be read as a field the mapping gives to
    another column) is read past. Raises FeedParseError when the mapping names a column the
    feed does not have.
    """
    present = {header_key(cell) for cell in header}
    absent = [column for column in mapping.values() if header_key(column) not in present]
    if absent:
        raise FeedParseError(
            "the column mapping names columns this CSV does not have: "
            + ", ".join(repr(c[:SHOWN_CHARS]) for c in absent) + "; " + found(header),
            source=source, line=1)
    by_header = {header_key(column): field for field, column in mapping.items()}
    fields = []
    for cell in header:
        field = by_header.get(header_key(cell))
        if field is None:
            field = usual(cell)
            field = "" if field in mapping else field
        fields.append(field)
    return fields


def layout_problem(fields: list[str]) -> list[str] | None:
    """What a meeting list needs that these columns lack, or None when they will do."""
    missing = [field for field in ("day", "time") if field not in fields]
    if not {"name", "address", "location", "formatted_address"} & set(fields):
        missing.append("name or address")
    return missing or None


def layout_error(header: list[str], missing: list[str], *, mapped: bool) -> str:
    """One line: the columns found, the ones needed, and how to map them."""
    how = ("the column mapping leaves them out" if mapped else
           "give a column mapping: --columns day=COLUMN,time=COLUMN,name=COLUMN or --mapping FILE")
    return (f"this CSV's columns are not a meeting list we can read: {found(header)}; "
            f"needed: {NEEDED} (missing: {', '.join(missing)}); {how}")


def found(header: list[str]) -> str:
    """The feed's own headers, quoted as found (a few, each cut short)."""
    cells = [cell.strip() for cell in header if cell.strip()]
    shown = ", ".join(c[:SHOWN_CHARS] for c in cells[:SHOWN_COLUMNS])
    more = f" and {len(cells) - SHOWN_COLUMNS} more" if len(cells) > SHOWN_COLUMNS else ""
    return f"columns found: {shown or 'none'}{more}"


def first_row(raw: bytes) -> list[str] | None:
    """The header row of ``raw`` read as CSV, or None when it is not CSV text."""
    head = raw[:8192].decode("utf-8-sig", "replace")
    if head.lstrip()[:1] in ("[", "{", "<", ""):
        return None
    try:
        row = next(csv.reader(io.StringIO(head, newline="")), None)
    except csv.Error:
        return None
    return row if row and len(row) > 1 else None
