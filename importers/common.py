"""The rules every importer applies once a row is read, as one sequence of steps (steps.py)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from finder.enums import Attendance
from finder.pattern import Recurrence
from importers.base import ImportOptions
from importers.errors import RecordError
from importers.normalize import derive_attendance
from importers.phrases import read_schedule
from importers.record import Issue, MeetingRecord
from importers.repairs import Tally, end_check, name_check, open_closed_check, stated_place
from importers.shapes import us_updated
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

_PACKAGE = Path(__file__).resolve().parent
#: The app's pure modules the importers read with (zones, days, coordinates): part of the code.
_SHARED = ("enums.py", "zones.py", "weekly.py", "pattern.py", "recurrence.py", "geo/points.py")


@cache
def code_version() -> str:
    """A digest of the importers' code and the pure modules they use: any change to how a row
    is read changes it, so every row is read again once after an upgrade."""
    digest = hashlib.sha1()
    files = sorted(_PACKAGE.glob("*.py")) + [_PACKAGE.parent / "finder" / name for name in _SHARED]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def row_digest(row: object, options: ImportOptions, importer: str) -> str | None:
    """The digest of one feed row as ``importer`` reads it with ``options`` and this code.

    ``repr`` of the parsed row (dict order is the feed's) is cheap and exact; the options that
    change a record (fellowship, default zone) are part of it. None for a row nested too deeply.
    """
    seed = _digest_seed(importer, options.fellowship, options.default_timezone)
    try:
        shown = repr(row)
    except RecursionError:
        return None
    return hashlib.sha1((seed + shown).encode("utf-8", "surrogatepass")).hexdigest()


@cache
def _digest_seed(importer: str, fellowship: object, default_timezone: str | None) -> str:
    # Made once per import, not per row (formatting the fellowship is slow enough to matter).
    return f"{code_version()}|{importer}|{fellowship}|{default_timezone}|"


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
    held_in_place: bool = False,
    postcode: str | None = None,
    recurrence: Recurrence | None = None,
    feed_digest: str | None = None,
    **fields: Any,
) -> MeetingRecord:
    """Validate the shared fields of one meeting and derive its attendance.

    A field that is bad on its own is dropped with a warning on the record; a meeting that
    cannot be named, placed in the week or given a time zone raises ``RecordError``.
    ``held_in_place``: the feed says the meeting meets in a place (BMLT's venue type), so a
    position or ``postcode`` is enough to list it in person, approximately.
    ``recurrence``: the feed's own pattern (CSV columns); without one, a schedule written in the
    name or notes is read (importers/phrases.py), with a warning so a person can check it.
    ``feed_digest`` (``row_digest`` of the row) is kept on the record only when the row reads
    cleanly: no warning, no tally, no unknown type, no geocoder asked (its answer may change).
    """
    name, tallies = name_check(name)
    if not name:
        raise RecordError(slug, "no name")
    if not 0 <= day <= 6:
        raise RecordError(slug, f"day {day} is not a day of the week (0 = Sunday .. 6 = Saturday)")
    reasons: list[str] = []
    end = _kept(end_time_step(end_time), reasons)
    end = _kept(end_check(time, end, name), reasons)
    point = _kept(point_step(latitude, longitude), reasons)
    # Placed when it could be met there, or when only its place can give its zone.
    wanted = approximate is not True or (timezone in (None, "") and not options.default_timezone)
    asked = bool(point is None and formatted_address and options.geocode and wanted)
    placed = options.geocode(formatted_address) if asked else None  # type: ignore[misc]
    if placed is not None:
        point = (placed.latitude, placed.longitude)
        tallies.append(Tally(None, placed.how))
    zone = _kept(zone_step(timezone, point=point, default=options.default_timezone, key=slug), reasons)
    stamp = _kept(updated_step(_kept(us_updated(updated), reasons)), reasons)
    links = _kept(links_step(url, feedback_url), reasons)
    conference = _kept(conference_step(
        conference_url, conference_url_notes, conference_phone, conference_phone_notes), reasons)
    kinds = _kept(types_step(types, options.fellowship), reasons)
    codes = tuple(_kept(open_closed_check(kinds.codes, name), reasons))
    online = bool(conference.url or conference.phone)
    place = _kept(attendance_step(formatted_address, approximate, codes, online=online), reasons)
    if place.attendance_option in (Attendance.INACTIVE, Attendance.ONLINE) and stated_place(
            held_in_place, point, postcode, codes):
        place = place._replace(approximate=True, attendance_option=derive_attendance(
            online=online, in_person=True))
    if placed is not None and placed.approximate:  # in person still, at a rough point
        place = place._replace(approximate=True)
    if unknown_types is not None:
        unknown_types.update(kinds.unknown)
    pattern = _kept(_pattern(recurrence, day, time, name, fields), reasons)

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
        types=codes,
        formatted_address=formatted_address,
        approximate=place.approximate,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        conference_url=conference.url,
        conference_url_notes=conference.url_notes,
        conference_phone=conference.phone,
        conference_phone_notes=conference.phone_notes,
        updated=stamp,
        recurrence=pattern,
        **links,
        warnings=tuple(Issue(slug, reason) for reason in reasons) + tuple(tallies),
        raw=raw,
        feed_digest=None if reasons or tallies or kinds.unknown or asked else feed_digest,
        **fields,
    )
    return _stored(record)


def _pattern(given: Recurrence | None, day: int, time: str, name: str,
             fields: dict[str, Any]) -> tuple[Recurrence | None, list[str]]:
    """The meeting's pattern: the feed's own (checked against its day), else one read in words."""
    if given is not None:
        try:
            given.check(day)
        except ValueError as error:
            return None, [f"recurrence dropped ({error}); listed every week"]
        return (None if given.is_plain else given), []
    reading = read_schedule(day, name, ("notes", fields.get("notes")),
                            ("location_notes", fields.get("location_notes")))
    if reading is None:
        return None, []
    return reading.pattern, [reading.warning(name, day, time)]


def _stored(record: MeetingRecord) -> MeetingRecord:
    """``record`` with every text field storable (steps.storable_step), its warnings added."""
    values = _text_values(record)  # one C call for the 18 fields; most are None
    suspect = {name: value for name, value in zip(TEXT_FIELDS, values, strict=True)
               if value is not None and may_not_store(name, value)}
    if not suspect:  # nearly every record: plain ASCII that fits
        return record
    changed, reasons = storable_step(suspect, key=record.source_key)
    if not changed:
        return record
    issues = tuple(Issue(record.slug, reason) for reason in reasons)
    return replace(record, **changed, warnings=record.warnings + issues, feed_digest=None)


_text_values = attrgetter(*TEXT_FIELDS)


def _kept(step: tuple[T, list[str]], reasons: list[str]) -> T:
    """A step's value, its warnings added to ``reasons`` (so they keep the steps' order)."""
    value, warnings = step
    reasons.extend(warnings)
    return value
