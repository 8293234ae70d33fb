"""The rules every importer applies once a row is read, as one sequence of steps (steps.py)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, TypeVar

from importers.base import ImportOptions
from importers.errors import RecordError
from importers.record import Issue, MeetingRecord
from importers.steps import (
    TEXT_FIELDS,
    attendance_step,
    conference_step,
    end_time_step,
    links_step,
    may_not_store,
    point_step,
    storable_step,
    types_step,
    updated_step,
    zone_step,
)

T = TypeVar("T")


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
    updated: object = None,
    url: object = None,
    feedback_url: object = None,
    raw: Any = None,
    unknown_types: set[str] | None = None,
    **fields: Any,
) -> MeetingRecord:
    """Validate the shared fields of one meeting and derive its attendance.

    A field that is bad on its own is dropped with a warning on the record; a meeting that
    cannot be named, placed in the week or given a time zone raises ``RecordError``.
    """
    if not name:
        raise RecordError(slug, "no name")
    if not 0 <= day <= 6:
        raise RecordError(slug, f"day {day} is not a day of the week (0 = Sunday .. 6 = Saturday)")
    reasons: list[str] = []
    end = _kept(end_time_step(end_time), reasons)
    point = _kept(point_step(latitude, longitude), reasons)
    zone = _kept(zone_step(timezone, point=point, default=options.default_timezone, key=slug), reasons)
    stamp = _kept(updated_step(updated), reasons)
    links = _kept(links_step(url, feedback_url), reasons)
    conference = _kept(conference_step(
        conference_url, conference_url_notes, conference_phone, conference_phone_notes), reasons)
    kinds = _kept(types_step(types, options.fellowship), reasons)
    online = bool(conference.url or conference.phone)
    place = _kept(attendance_step(formatted_address, approximate, kinds.codes, online=online), reasons)
    if unknown_types is not None:
        unknown_types.update(kinds.unknown)

    record = MeetingRecord(
        source_key=source_key,
        slug=slug,
        fellowship=kinds.fellowship,
        name=name,
        day=day,
        time=time,
        end_time=end,
        timezone=zone,
        attendance_option=place.attendance_option,
        types=kinds.codes,
        formatted_address=formatted_address,
        approximate=place.approximate,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        conference_url=conference.url,
        conference_url_notes=conference.url_notes,
        conference_phone=conference.phone,
        conference_phone_notes=conference.phone_notes,
        updated=stamp,
        **links,
        warnings=tuple(Issue(slug, reason) for reason in reasons),
        raw=raw,
        **fields,
    )
    return _stored(record)


def _stored(record: MeetingRecord) -> MeetingRecord:
    """``record`` with every text field storable (steps.storable_step), its warnings added."""
    suspect = {name: value for name in TEXT_FIELDS
               if may_not_store(name, value := getattr(record, name))}
    if not suspect:  # nearly every record: plain ASCII that fits
        return record
    changed, reasons = storable_step(suspect, key=record.source_key)
    if not changed:
        return record
    issues = tuple(Issue(record.slug, reason) for reason in reasons)
    return replace(record, **changed, warnings=record.warnings + issues)


def _kept(step: tuple[T, list[str]], reasons: list[str]) -> T:
    """A step's value, its warnings added to ``reasons`` (so they keep the steps' order)."""
    value, warnings = step
    reasons.extend(warnings)
    return value
