"""The 12 Step Meeting List CSV layout: GA areas' spreadsheets and TSML exports."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from finder.weekly import DAY_NAMES
from importers.base import Importer, Notice, ParseItem, rejection
from importers.common import finish_record
from importers.csv_columns import first_row, layout_error, layout_problem, resolve_columns
from importers.errors import FeedParseError, RecordError
from importers.normalize import parse_time, slugify, text
from importers.schedule_columns import ALIASES as SCHEDULE_ALIASES
from importers.schedule_columns import COLUMNS as SCHEDULE_COLUMNS
from importers.schedule_columns import column_pattern
from importers.types import TYPES, canonical_type

# Header aliases, after headers are lower-cased with spaces and dashes as underscores (as TSML does).
ALIASES: dict[str, str] = {
    "meeting": "name", "meeting_name": "name", "title": "name", "location_name": "location",
    "venue": "location", "start_time": "time", "start": "time", "meeting_time": "time",
    "end": "end_time", "finish_time": "end_time", "weekday": "day", "day_of_week": "day",
    "meeting_day": "day", "zip": "postal_code", "zip_code": "postal_code", "zipcode": "postal_code",
    "postcode": "postal_code", "postal": "postal_code", "street": "address",
    "street_address": "address", "address_1": "address", "address1": "address",
    "town": "city", "province": "state", "state_province": "state",
    "full_address": "formatted_address", "type": "types", "meeting_types": "types",
    "codes": "types", "lat": "latitude", "lng": "longitude", "lon": "longitude",
    "long": "longitude", "website": "url", "id": "slug", "meeting_id": "slug",
    "zoom": "conference_url", "zoom_link": "conference_url", "online_url": "conference_url",
    "video_url": "conference_url", "meeting_link": "conference_url", "dial_in": "conference_phone",
    "time_zone": "timezone", "tz": "timezone", "comments": "notes", "description": "notes",
    "meeting_notes": "notes", "directions": "location_notes", "last_updated": "updated",
    "updated_at": "updated",
} | SCHEDULE_ALIASES
USED = frozenset({
    "name", "time", "end_time", "day", "location", "address", "city", "state", "postal_code",
    "country", "formatted_address", "types", "notes", "location_notes", "region", "sub_region",
    "timezone", "group", "slug", "latitude", "longitude", "url", "conference_url",
    "conference_url_notes", "conference_phone", "conference_phone_notes", "updated",
    "feedback_url", "approximate",
}) | SCHEDULE_COLUMNS
# TSML template/export columns we read past on purpose (contacts stay private, never imported).
IGNORED_COLUMNS = frozenset({
    "district", "sub_district", "website_2", "mailing_address", "venmo", "square", "paypal",
    "homegroup_online", "email", "phone", "group_notes", "last_contact", "author",
    "data_source", "data_source_name", "data_source_id", "attendance_option", "entity",
    "entity_email", "entity_location", "entity_phone", "entity_url", "contact_1_name",
    "contact_1_email", "contact_1_phone", "contact_2_name", "contact_2_email", "contact_2_phone",
    "contact_3_name", "contact_3_email", "contact_3_phone",
})
DAYS: dict[str, int] = {
    name: day for day, names in enumerate((
        "sunday sun su domingo dom dimanche dim",
        "monday mon mo lunes lun lundi",
        "tuesday tue tues tu martes mar mardi",
        "wednesday wed we miércoles miercoles mié mie mercredi mer",
        "thursday thu thur thurs th jueves jue jeudi jeu",
        "friday fri fr viernes vie vendredi ven",
        "saturday sat sa sábado sabado sáb sab samedi sam",
    )) for name in names.split()
} | {str(day): day for day in range(7)}

ZONE_ALIASES = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKT": "America/Anchorage", "HT": "Pacific/Honolulu", "HST": "Pacific/Honolulu",
}
TYPE_NAMES: dict[str, str] = {name.lower(): code for code, name in TYPES.items()} | {
    "sign language": "ASL", "outdoor meeting": "OUT", "step meeting": "ST", "beginners": "BE",
    "wheelchair accessible": "X", "speaker meeting": "SP",
}
_HOUR_ONLY_RE = re.compile(r"^\s*(\d{1,2})\s*([AaPp]\.?[Mm]\.?)\s*$")
_US_DATE_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(.*)$")
_SPLIT_RE = re.compile(r"\s*[,;/]\s*|\s+and\s+|\s*&\s*")


class TsmlCsvImporter(Importer):
    """A CSV meeting list with the 12 Step Meeting List's columns (case-insensitive, aliases)."""

    name = "csv"
    description = "12 Step Meeting List CSV (GA areas' spreadsheets, TSML exports)"

    @classmethod
    def sniff(cls, raw: bytes) -> bool:
        first = raw[:2048].decode("utf-8-sig", "replace").split("\n", 1)[0]
        if first.lstrip().startswith(("[", "{", "<")):
            return False
        columns = {_column(cell) for cell in first.split(",")}
        return {"day", "time"} <= columns and bool(columns & {"name", "address", "location"})

    def parse(self, raw: bytes) -> Iterator[ParseItem]:
        source = self.options.source_name
        try:
            body = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            body = raw.decode("cp1252", "replace")  # spreadsheets saved as "CSV" on Windows
            yield Notice(None, "feed is not UTF-8; read as Windows-1252")
        reader = csv.reader(io.StringIO(body, newline=""))
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise FeedParseError(f"feed is not CSV: {exc}", source=source, line=1) from None
        header = header or []
        mapping = dict(self.options.columns)
        columns = resolve_columns(header, mapping, _column, source=source)
        missing = layout_problem(columns)
        if missing:
            raise FeedParseError(layout_error(header, missing, mapped=bool(mapping)),
                                 source=source, line=1)
        unknown = sorted({c for c in columns if c and c not in USED and c not in IGNORED_COLUMNS})
        unknown_types: set[str] = set()
        places: dict[str, str | None] = {}  # slugless key -> the place of the row that has it
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                values = {c: v for c, v in zip(columns, row, strict=False) if c in USED and v.strip()}
                try:
                    records = list(self._records(values, line, unknown_types, places))
                except Exception as exc:  # noqa: BLE001 (one record fails alone)
                    yield rejection(exc, f"line {line}")
                    continue
                # A repeated key (a slug given twice, or two slugless rows with the same name,
                # day and time) is the loader's to reject, as for every format.
                yield from records
        except csv.Error as exc:
            raise FeedParseError(f"feed is not CSV at line {reader.line_num}: {exc}",
                                 source=source, line=reader.line_num) from None
        if unknown:
            yield Notice(None, "unknown columns ignored: " + ", ".join(unknown))
        if unknown_types:
            yield Notice(None, "unknown type codes ignored: " + ", ".join(sorted(unknown_types)))

    def _records(self, values: dict[str, str], line: int, unknown_types: set[str],
                 places: dict[str, str | None]) -> Iterator:
        given_slug = text(values.get("slug"), limit=180)
        label = given_slug or f"line {line}" + (f" ({values['name'].strip()})" if values.get("name") else "")
        days = _days(values.get("day"), label)
        time = _time(values.get("time"))
        if time is None:
            raise RecordError(label, f"time {values.get('time')!r} is not a time of day"
                              if values.get("time") else "no time")
        codes = _types(values.get("types"))
        address = _address(values)
        location = text(values.get("location"), limit=255) or (address.split(",")[0] if address else None)
        region = " > ".join(p for p in (text(values.get("region")), text(values.get("sub_region"))) if p)
        for day in days:
            pattern, unread = _pattern(values, day, multiple=len(days) > 1)
            name = text(values.get("name"), limit=255) or (
                f"{location} {DAY_NAMES[day]} at {time}" if location else None)
            if given_slug:
                key = f"{given_slug}-{day}" if len(days) > 1 else given_slug
            else:
                key, warning = _slugless_key(name, day, time, address or location, places)
                if warning:
                    yield Notice(key, f"line {line}: {warning}")
            if unread:
                yield Notice(key, f"line {line}: {unread}; listed every week")
            yield finish_record(
                self.options, source_key=key, slug=key, name=name, day=day, time=time,
                end_time=_time(values.get("end_time")) or values.get("end_time"),
                timezone=_zone(values.get("timezone")), latitude=values.get("latitude"),
                longitude=values.get("longitude"), formatted_address=address,
                approximate=_flag(values.get("approximate")), types=codes,
                conference_url=values.get("conference_url"),
                conference_url_notes=text(values.get("conference_url_notes")),
                conference_phone=values.get("conference_phone"),
                conference_phone_notes=text(values.get("conference_phone_notes")),
                location=location, region=region[:255] or text(values.get("city"), limit=255),
                location_notes=text(values.get("location_notes")), notes=text(values.get("notes")),
                group=text(values.get("group"), limit=255), url=values.get("url"),
                feedback_url=values.get("feedback_url"), updated=_updated(values.get("updated")),
                raw={"line": line, **values}, unknown_types=unknown_types, recurrence=pattern,
            )


def unreadable_layout(raw: bytes) -> str | None:
    """Why a CSV's header is no meeting list we can read (the columns found and needed), or None."""
    header = first_row(raw)
    missing = layout_problem([_column(cell) for cell in header]) if header else None
    return layout_error(header, missing, mapped=False) if header and missing else None


def _pattern(values: dict[str, str], day: int, *, multiple: bool) -> tuple[Any, str | None]:
    """The row's recurrence columns for ``day`` (a row of several days keeps each day's dates)."""
    try:
        pattern = column_pattern(values, day)
    except ValueError as error:
        return None, str(error)
    return (pattern.fitted(day) if pattern is not None and multiple else pattern), None


def _slugless_key(name: str | None, day: int, time: str, place: str | None,
                  places: dict[str, str | None]) -> tuple[str, str | None]:
    """A row without an id is keyed by name, day and time; by its place too when that is shared.

    The first row keeps the plain key (so what is stored under it stays); a later row at a
    different place is told apart by the place. Same place: the loader rejects the repeat.
    """
    key = slugify(f"{name or 'meeting'} {DAY_NAMES[day]} {time}", limit=180)
    if key not in places:
        places[key] = place
        return key, None
    if places[key] == place or not place:
        return key, None
    placed = slugify(f"{name or 'meeting'} {DAY_NAMES[day]} {time} {place}", limit=180)
    return placed, "same name, day and time as an earlier row at another place: keyed by its place"


def _column(header: str) -> str:
    name = re.sub(r"[\s\-]+", "_", header.strip().strip('"').lower())
    return ALIASES.get(name, name)


def _days(value: str | None, label: str) -> list[int]:
    raw = (value or "").strip().lower()
    if not raw:
        raise RecordError(label, "no day")
    if raw in ("daily", "every day", "everyday"):
        return list(range(7))
    days = set()
    for part in _SPLIT_RE.split(raw):
        day = DAYS.get(part.rstrip("s.") if part not in DAYS else part)
        if day is None:
            raise RecordError(label, f"day {value!r} is not a day of the week")
        days.add(day)
    return sorted(days)


def _time(value: str | None) -> str | None:
    raw = (value or "").strip().lower()
    if raw in ("noon", "12 noon"):
        return "12:00"
    if raw == "midnight":
        return "00:00"
    hour_only = _HOUR_ONLY_RE.match(raw)
    return parse_time(f"{hour_only[1]}:00 {hour_only[2]}" if hour_only else raw)


def _types(value: str | None) -> list[str]:
    # Codes as given and type names as codes; a fellowship's own codes (GA's) are read later,
    # in finish_record, the same way for every format (programs.program_types).
    codes = []
    for token in _SPLIT_RE.split(value or ""):
        token = token.strip()
        if token:
            codes.append(token if canonical_type(token) else TYPE_NAMES.get(token.lower(), token))
    return codes


def _address(values: dict[str, str]) -> str | None:
    formatted = text(values.get("formatted_address"), limit=500)
    if formatted:
        return formatted
    street = (text(values.get("address")) or "").split("@")[0].strip()  # TSML drops "@ note"
    country = text(values.get("country"))
    country = "USA" if country in ("US", "U.S.", "United States") else country
    postal = text(values.get("postal_code")) or ""
    state = text(values.get("state")) or ""
    if postal.isdigit() and len(postal) in (3, 4) and len(state) == 2 and country in (None, "USA"):
        postal = postal.zfill(5)  # spreadsheets drop New England ZIPs' leading zero
    parts = [street, text(values.get("city")), f"{state} {postal}".strip(), country]
    return ", ".join(p for p in parts if p)[:500] or None


def _zone(value: str | None) -> str | None:
    raw = text(value)
    return ZONE_ALIASES.get(raw.upper(), raw) if raw else None


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(
        (value or "").strip().lower())


def _updated(value: str | None) -> str | None:
    match = _US_DATE_RE.match(value or "")
    if match:  # TSML UI reads MM/DD/YYYY
        return f"{match[3]}-{int(match[1]):02d}-{int(match[2]):02d}{match[4] or ' 00:00:00'}"
    return value
