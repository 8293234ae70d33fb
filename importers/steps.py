"""The shared checks of one meeting, one concern each: every step returns its value and its warnings.

A warning is the reason a field was dropped (``finish_record`` files it under the meeting's
slug); a meeting that cannot be kept at all raises ``RecordError``.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from finder.enums import Attendance, Fellowship
from finder.geo.points import coordinates, timezone_at
from importers.errors import RecordError
from importers.normalize import (
    clean_phone,
    conference_provider,
    derive_attendance,
    looks_approximate,
    parse_time,
    parse_updated,
    quoted,
    storable,
    text,
    valid_timezone,
    web_url,
)
from importers.programs import program_types
from importers.types import IGNORED, canonical_type

Point = tuple[float, float]


class Conference(NamedTuple):
    """A meeting's online details, each with its notes only when the detail itself is kept."""

    url: str | None
    url_notes: str | None
    phone: str | None
    phone_notes: str | None


class Types(NamedTuple):
    """Canonical type codes, the fellowship they put the meeting in, and the codes not known."""

    codes: tuple[str, ...]
    fellowship: Fellowship
    unknown: frozenset[str]


class Place(NamedTuple):
    """Whether the address is only approximate, and the attendance derived from it."""

    approximate: bool
    attendance_option: Attendance


def end_time_step(value: object) -> tuple[str | None, list[str]]:
    """The end time as ``HH:MM``; one that is not a time is dropped."""
    if value in (None, ""):
        return None, []
    end = parse_time(value)
    if end is None:
        return None, [f"end_time {value!r} is not a time; dropped"]
    return end, []


def point_step(latitude: object, longitude: object) -> tuple[Point | None, list[str]]:
    """The meeting's position; coordinates that are not a usable position are dropped."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, []
    point = coordinates(latitude, longitude)
    if point is None:
        return None, [f"coordinates ({latitude}, {longitude}) are not a usable position; dropped"]
    return point, []


def given_zone(value: object, *, field: str = "timezone") -> tuple[str | None, list[str]]:
    """The feed's own zone for the meeting; one that is not an IANA zone is dropped."""
    zone = valid_timezone(value)
    if zone is None and value not in (None, ""):
        return None, [f"{field} {value!r} is not an IANA zone; dropped"]
    return zone, []


def point_zone(point: Point | None) -> str | None:
    """The zone at ``point`` (offline lookup), or None."""
    return timezone_at(*point) if point else None


def zone_step(
    value: object, *, point: Point | None, default: str | None, key: str
) -> tuple[str, list[str]]:
    """The meeting's zone: its own, else the source default, else the zone at its position.

    Raises RecordError (under ``key``) when none of the three gives one.
    """
    zone, warnings = given_zone(value)
    zone = zone or default or point_zone(point)
    if zone is None:
        problem = f"timezone {value!r} is not an IANA zone" if warnings else "no time zone"
        raise RecordError(key, problem + ", and no source default or coordinates")
    return zone, warnings


def updated_step(value: object) -> tuple[datetime | None, list[str]]:
    """When the feed last changed the meeting, in UTC; a value that is not a date is dropped."""
    stamp = parse_updated(value)
    if text(value) and stamp is None:
        return None, [f"updated {value!r} is not a date and time; dropped"]
    return stamp, []


def links_step(url: object, feedback_url: object) -> tuple[dict[str, str | None], list[str]]:
    """The meeting's ``url`` and ``feedback_url``; one that is not an http(s) URL is dropped."""
    links: dict[str, str | None] = {}
    warnings = []
    for name, value in (("url", url), ("feedback_url", feedback_url)):
        links[name] = web_url(value)
        if text(value) and links[name] is None:
            warnings.append(f"{name} {value!r} is not an http(s) URL; dropped")
    return links, warnings


def conference_step(
    url: object, url_notes: str | None, phone: object, phone_notes: str | None
) -> tuple[Conference, list[str]]:
    """The conference link (on a known provider) and dial-in phone (10+ digits), or neither."""
    warnings = []
    link = text(url, limit=2000)
    if link and conference_provider(link) is None:
        warnings.append(f"conference_url {link!r} is not on a known conferencing service; dropped")
        link = None
    dial = clean_phone(phone)
    if text(phone) and dial is None:
        warnings.append(f"conference_phone {phone!r} has fewer than 10 digits; dropped")
    conference = Conference(link, url_notes if link else None, dial, phone_notes if dial else None)
    return conference, warnings


def types_step(codes: Iterable[str], fellowship: Fellowship) -> tuple[Types, list[str]]:
    """Canonical codes, read in the fellowship's own program first (GA's codes for GA).

    Unknown codes are returned for the importer's one notice, not warned about per meeting.
    Open and Closed together are settled, with a warning, by ``repairs.open_closed_check``.
    """
    read, fellowship = program_types(codes, fellowship)
    canonical_codes: list[str] = []
    unknown: set[str] = set()
    for code in read:
        canonical = canonical_type(code)
        if canonical is None:
            if code.strip().upper() not in IGNORED:
                unknown.add(code.strip())
        elif canonical not in canonical_codes:
            canonical_codes.append(canonical)
    return Types(tuple(sorted(canonical_codes)), fellowship, frozenset(unknown)), []


def attendance_step(
    formatted_address: str | None, approximate: bool | None, codes: Iterable[str], *, online: bool
) -> tuple[Place, list[str]]:
    """Attendance derived, never trusted: in person needs a street address and no ``TC``."""
    is_approximate = looks_approximate(formatted_address) if approximate is None else approximate
    in_person = bool(formatted_address) and not is_approximate and "TC" not in codes
    return Place(is_approximate, derive_attendance(online=online, in_person=in_person)), []


#: The meeting columns' sizes (finder/models.py; tests/importers/test_hostile_records.py checks
#: they agree). Importers never import the app, so the numbers are repeated here.
COLUMN_SIZES: dict[str, int] = {
    "source_key": 200, "slug": 200, "name": 255, "time": 5, "end_time": 5, "timezone": 64,
    "location": 255, "formatted_address": 500, "region": 255, "conference_url": 2000,
    "conference_phone": 100, "group": 255, "url": 2000, "feedback_url": 2000,
}
#: Every text field of a meeting that is stored (the rest are enums, numbers, times and codes).
TEXT_FIELDS = (*COLUMN_SIZES, "location_notes", "notes", "conference_url_notes",
               "conference_phone_notes")
_NO_LIMIT = 1 << 62


def may_not_store(name: str, value: object) -> bool:
    """A quick test: False when ``value`` is certainly storable in the column ``name``."""
    if not isinstance(value, str):
        return False
    return not value.isascii() or "\x00" in value or len(value) > COLUMN_SIZES.get(name, _NO_LIMIT)


#: Values that mean nothing once cut (a link, a number to dial): dropped when too long, not cut.
DROPPED_WHEN_LONG = frozenset({"conference_url", "conference_phone", "url", "feedback_url"})


def storable_step(fields: dict[str, object], *, key: str) -> tuple[dict[str, object], list[str]]:
    """Every text field as the database can hold it, the same on SQLite and PostgreSQL.

    NUL bytes and lone surrogates are removed; a value longer than its column is cut (free
    text) or dropped (links, phones). Only the changed fields are returned. Raises RecordError
    when the meeting's key itself cannot be stored.
    """
    changed: dict[str, object] = {}
    warnings: list[str] = []
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        clean = storable(value)
        if clean != value:
            warnings.append(f"{name} {quoted(value)} holds NUL or unpaired surrogate characters; removed")
        size = COLUMN_SIZES.get(name)
        if size and len(clean) > size:
            if name == "source_key":
                raise RecordError(key[:size], f"key {quoted(value)} is longer than {size} characters")
            if name in DROPPED_WHEN_LONG:
                warnings.append(f"{name} {quoted(value)} is longer than {size} characters; dropped")
                clean = None
            else:
                warnings.append(f"{name} {quoted(value)} is longer than {size} characters; cut")
                clean = clean[:size]
        if clean != value:
            changed[name] = clean
    return changed, warnings
