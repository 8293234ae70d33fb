"""The rules every importer applies once a row is read: zone, place, conference, attendance."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from finder.enums import Fellowship
from finder.geo.points import coordinates, timezone_at
from importers.base import ImportOptions
from importers.errors import RecordError
from importers.normalize import (
    clean_phone,
    conference_provider,
    derive_attendance,
    looks_approximate,
    parse_time,
    parse_updated,
    text,
    valid_timezone,
    web_url,
)
from importers.record import Issue, MeetingRecord
from importers.types import IGNORED, canonical_type


def finish_record(
    options: ImportOptions,
    *,
    source_key: str,
    slug: str,
    name: str | None,
    day: int,
    time: str,
    end_time: object = None,
    timezone: object = None,
    latitude: object = None,
    longitude: object = None,
    formatted_address: str | None = None,
    approximate: bool | None = None,
    types: Iterable[str] = (),
    conference_url: object = None,
    conference_url_notes: str | None = None,
    conference_phone: object = None,
    conference_phone_notes: str | None = None,
    coordinates_usable: bool = True,
    updated: object = None,
    url: object = None,
    feedback_url: object = None,
    raw: Any = None,
    unknown_types: set[str] | None = None,
    fellowship: Fellowship | None = None,
    **fields: Any,
) -> MeetingRecord:
    """Validate the shared fields of one meeting and derive its attendance.

    A field that is bad on its own is dropped with a warning on the record; a meeting that
    cannot be named, placed in the week or given a time zone raises ``RecordError``.
    """
    warnings: list[Issue] = []

    def warn(reason: str) -> None:
        warnings.append(Issue(slug, reason))

    if not name:
        raise RecordError(slug, "no name")
    if not 0 <= day <= 6:
        raise RecordError(slug, f"day {day} is not a day of the week (0 = Sunday .. 6 = Saturday)")

    end = parse_time(end_time) if end_time not in (None, "") else None
    if end_time not in (None, "") and end is None:
        warn(f"end_time {end_time!r} is not a time; dropped")

    point = None
    if latitude not in (None, "") or longitude not in (None, ""):
        point = coordinates(latitude, longitude)
        if point is None:
            warn(f"coordinates ({latitude}, {longitude}) are not a usable position; dropped")
        elif not coordinates_usable:
            point = None

    zone = valid_timezone(timezone)
    given = "" if timezone in (None, "") else f"timezone {timezone!r} is not an IANA zone"
    if given and zone is None:
        warn(given + "; dropped")
    if zone is None:
        zone = options.default_timezone or (timezone_at(*point) if point else None)
    if zone is None:
        raise RecordError(slug, (given or "no time zone") + ", and no source default or coordinates")

    stamp = parse_updated(updated)
    if text(updated) and stamp is None:
        warn(f"updated {updated!r} is not a date and time; dropped")
    links = {}
    for field_name, value in (("url", url), ("feedback_url", feedback_url)):
        links[field_name] = web_url(value)
        if text(value) and links[field_name] is None:
            warn(f"{field_name} {value!r} is not an http(s) URL; dropped")

    url = text(conference_url, limit=2000)
    if url and conference_provider(url) is None:
        warn(f"conference_url {url!r} is not on a known conferencing service; dropped")
        url, conference_url_notes = None, None
    phone = clean_phone(conference_phone)
    if text(conference_phone) and phone is None:
        warn(f"conference_phone {conference_phone!r} has fewer than 10 digits; dropped")
        conference_phone_notes = None

    codes: list[str] = []
    for code in types:
        canonical = canonical_type(code)
        if canonical is None:
            if code.strip().upper() not in IGNORED and unknown_types is not None:
                unknown_types.add(code.strip())
        elif canonical not in codes:
            codes.append(canonical)
    if "O" in codes and "C" in codes:  # contradictory; TSML keeps the stricter one
        codes.remove("O")

    is_approximate = looks_approximate(formatted_address) if approximate is None else approximate
    in_person = bool(formatted_address) and not is_approximate and "TC" not in codes
    attendance = derive_attendance(online=bool(url or phone), in_person=in_person)

    return MeetingRecord(
        source_key=source_key,
        slug=slug,
        fellowship=fellowship or options.fellowship,
        name=name,
        day=day,
        time=time,
        end_time=end,
        timezone=zone,
        attendance_option=attendance,
        types=tuple(sorted(codes)),
        formatted_address=formatted_address,
        approximate=is_approximate,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        conference_url=url,
        conference_url_notes=conference_url_notes if url else None,
        conference_phone=phone,
        conference_phone_notes=conference_phone_notes if phone else None,
        updated=stamp,
        **links,
        warnings=tuple(warnings),
        raw=raw,
        **fields,
    )
