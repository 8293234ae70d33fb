"""BMLT (NA) ``GetSearchResults`` JSON, read from a file or fetched from a root server."""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from finder.enums import Attendance, Fellowship
from finder.geo.points import coordinates
from finder.weekly import clock, minutes
from importers.base import (
    Importer,
    Notice,
    ParseItem,
    Rejected,
    fetch_bytes,
    is_root_server,
    json_int,
    rejection,
)
from importers.bmlt_formats import FormatReader
from importers.common import finish_record
from importers.errors import FeedError, FeedFetchError, FeedParseError, RecordError
from importers.normalize import parse_time, slugify, text
from importers.record import Issue, MeetingRecord
from importers.steps import given_zone, point_zone

# Main-table keys and the stock data template (bmlt-server MeetingResource); others are counted.
KNOWN_FIELDS = frozenset("""
id_bigint worldid_mixed shared_group_id_bigint service_body_bigint service_body_name weekday_tinyint
venue_type start_time duration_time time_zone formats lang_enum longitude latitude distance_in_km
distance_in_miles email_contact published root_server_uri format_shared_id_list root_server_id
meeting_name location_text location_info location_street location_city_subsection
location_neighborhood location_municipality location_sub_province location_province
location_postal_code_1 location_nation comments train_lines bus_lines contact_phone_2
contact_email_2 contact_name_2 contact_phone_1 contact_email_1 contact_name_1
phone_meeting_number virtual_meeting_link virtual_meeting_additional_info
""".split())
VENUES = {"1": "in person", "2": "virtual", "3": "hybrid"}
_DURATION_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*$")


class BmltImporter(Importer):
    """NA meetings from a BMLT root server (``client_interface/json``)."""

    name = "bmlt"
    description = "BMLT GetSearchResults JSON (NA service bodies), or a BMLT root server URL"
    fellowship = Fellowship.NA

    @classmethod
    def sniff(cls, raw: bytes) -> bool:
        head = raw[:4096]
        return b'"id_bigint"' in head or b'"weekday_tinyint"' in head

    def fetch(self, location: str) -> bytes:
        """A file or JSON URL as is; a root server URL: its meetings and formats, joined."""
        if not is_root_server(location):
            return super().fetch(location)
        root = location.rstrip("/")
        base = f"{root}/client_interface/json/?switcher="
        deadline = time.monotonic() + self.options.timeout  # one deadline for the source's calls

        def call(switcher: str) -> bytes:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FeedFetchError(f"{root} did not answer within {self.options.timeout:g} s")
            return fetch_bytes(base + switcher, timeout=left, max_bytes=self.options.max_bytes).strip()

        meetings = call("GetSearchResults")
        formats = call("GetFormats")
        info = b""
        if formats in (b"", b"[]"):  # keys then read in the server's language; optional
            try:
                info = call("GetServerInfo")
            except FeedError:
                info = b""
        return join_feed(meetings, formats, info, root=root)

    def parse(self, raw: bytes) -> Iterator[ParseItem]:
        rows, formats, root, info = _load(raw, self.options.source_name)
        language, told_by = _server_language(rows, info)
        reader = FormatReader(formats, language)
        if formats is None:
            yield Notice(None, (
                f"no GetFormats list: format keys read as BMLT's stock {reader.language!r} keys"
                + (f" (server language {language!r} from {told_by})" if language else "")
                + ("; no table for that language" if language and reader.language != language[:2]
                   else "")))
        unknown_fields: Counter[str] = Counter()
        unpublished = 0
        zones: Counter[str] = Counter()
        waiting: list[tuple[str, dict[str, Any]]] = []
        for index, row in enumerate(rows):
            label = f"#{index + 1}"
            if not isinstance(row, dict):
                yield Rejected(label, "record is not a JSON object")
                continue
            unknown_fields.update(key for key in row if key not in KNOWN_FIELDS)
            if text(row.get("published")) == "0":
                unpublished += 1
                continue
            try:
                key, fields = self._fields(row, label, root, reader)
                if fields["timezone"] is None and not self.options.default_timezone:
                    waiting.append((key, fields))  # virtual, no zone: the server's usual one
                    continue
                record = self._finish(fields)
            except Exception as exc:  # noqa: BLE001 (one record fails alone)
                yield rejection(exc, label)
                continue
            zones[record.timezone] += 1
            yield record
        yield from self._finish_waiting(waiting, zones)
        yield from _notices(reader.unknown, unknown_fields, unpublished)

    def _fields(
        self, row: dict[str, Any], label: str, root: str | None, reader: FormatReader
    ) -> tuple[str, dict[str, Any]]:
        meeting_id = text(row.get("id_bigint"))
        if meeting_id is None:
            raise RecordError(label, "no id_bigint")
        key = self._key(row, meeting_id, root)
        name = text(row.get("meeting_name"), limit=255)
        weekday = text(row.get("weekday_tinyint"))
        if weekday not in {"1", "2", "3", "4", "5", "6", "7"}:
            raise RecordError(key, f"weekday_tinyint {weekday!r} is not 1 (Sunday) .. 7 (Saturday)")
        start = parse_time(row.get("start_time"))
        if start is None:
            raise RecordError(key, f"start_time {row.get('start_time')!r} is not a time of day")
        worlds, types = reader.read(row)
        venue = _venue(text(row.get("venue_type")), worlds)
        warnings: list[Issue] = []
        end = _end_time(start, text(row.get("duration_time")), key, warnings)

        street = text(row.get("location_street"))
        city = (text(row.get("location_municipality")) or text(row.get("location_city_subsection"))
                or text(row.get("location_neighborhood")))
        state_zip = " ".join(p for p in (text(row.get("location_province")),
                                         text(row.get("location_postal_code_1"))) if p)
        address = ", ".join(p for p in (street, city, state_zip, text(row.get("location_nation"))) if p)
        lat, lon = row.get("latitude"), row.get("longitude")
        if _is_zero(lat) and _is_zero(lon):
            lat = lon = None  # BMLT's "no position"
        usable = venue != "2"  # virtual meetings carry the server's map centre or a town
        link, phone = row.get("virtual_meeting_link"), row.get("phone_meeting_number")
        if venue == "1" and (text(link) or text(phone)):
            warnings.append(Issue(key, "venue_type 1 (in person): its link and phone are ignored"))
            link = phone = None
        # The shared zone check; but here the meeting's own position comes before the source
        # default (finish_record's next choice), and then the server's usual zone (parse).
        zone, dropped = given_zone(text(row.get("time_zone")), field="time_zone")
        warnings.extend(Issue(key, reason) for reason in dropped)
        zone = zone or point_zone(coordinates(lat, lon) if usable else None)
        notes = [text(row.get("location_info"))]
        notes += [f"{label_}: {value}" for label_, value in (
            ("Bus", text(row.get("bus_lines"))), ("Train", text(row.get("train_lines")))) if value]
        fields: dict[str, Any] = {
            "source_key": key, "slug": f"{slugify(name or 'meeting')}-{meeting_id}", "name": name,
            "day": int(weekday) - 1, "time": start, "end_time": end, "timezone": zone,
            "latitude": lat if usable else None, "longitude": lon if usable else None,
            "formatted_address": address or None, "approximate": not street or venue == "2",
            "types": types, "conference_url": link,
            "conference_url_notes": text(row.get("virtual_meeting_additional_info")),
            "conference_phone": phone, "location": text(row.get("location_text"), limit=255),
            "location_notes": "\n".join(n for n in notes if n) or None,
            "notes": text(row.get("comments")), "region": city, "raw": row,
            "held_in_place": venue in {"1", "3"},
            "postcode": text(row.get("location_postal_code_1")) if usable else None,
            "_venue": venue, "_warnings": warnings,
        }
        return key, fields

    def _key(self, row: dict[str, Any], meeting_id: str, root: str | None) -> str:
        """The meeting's source key: its root server and ``id_bigint``."""
        server = text(row.get("root_server_uri")) or root
        return f"{_root_key(server)}/{meeting_id}" if server else meeting_id

    def _finish(self, fields: dict[str, Any], options: Any = None) -> MeetingRecord:
        fields = dict(fields)
        venue, warnings = fields.pop("_venue"), fields.pop("_warnings")
        record = finish_record(options or self.options, **fields)
        expected = {"2": Attendance.ONLINE, "3": Attendance.HYBRID}.get(venue)
        if expected and record.attendance_option != expected:
            warnings.append(Issue(record.source_key, (
                f"venue_type {venue} ({VENUES[venue]}) but listed as "
                f"{record.attendance_option.value}: no usable link, phone or street address")))
        return replace(record, warnings=tuple(warnings) + record.warnings) if warnings else record

    def _finish_waiting(
        self, waiting: list[tuple[str, dict[str, Any]]], zones: Counter[str]
    ) -> Iterator[ParseItem]:
        usual = zones.most_common(1)[0][0] if zones else None
        options = replace(self.options, default_timezone=usual)
        for key, fields in waiting:
            if usual:
                fields["_warnings"].append(Issue(key, f"no time_zone; the server's usual {usual} used"))
            try:
                yield self._finish(fields, options)
            except Exception as exc:  # noqa: BLE001 (one record fails alone)
                yield rejection(exc, key)


def join_feed(meetings: bytes, formats: bytes | None, info: bytes | None = None, *,
              root: str | None = None) -> bytes:
    """One feed of a meeting list, its GetFormats and GetServerInfo answers (each may be empty).

    Joined as bytes so the (possibly large) meeting list is parsed once, in parse().
    """
    def part(raw: bytes | None) -> bytes:
        return (raw or b"").strip().removeprefix(b"\xef\xbb\xbf") or b"null"

    return b"".join([
        b'{"root_server_uri":', json.dumps(root).encode(), b',"meetings":', part(meetings),
        b',"formats":', part(formats), b',"server_info":', part(info), b"}",
    ])


def _load(raw: bytes, source: str) -> tuple[list[Any], list[Any] | None, str | None, Any]:
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_int=json_int)
    except RecursionError:
        raise FeedParseError("feed is JSON nested too deeply to read", source=source) from None
    except UnicodeDecodeError as exc:
        raise FeedParseError(f"feed is not UTF-8 text ({exc.reason})", source=source) from None
    except json.JSONDecodeError as exc:
        raise FeedParseError(f"feed is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                             source=source, line=exc.lineno) from None
    if isinstance(data, list):
        return data, None, None, None
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        formats = data.get("formats")
        if isinstance(formats, dict):  # a GetFormats call made with get_formats_only=1
            formats = formats.get("formats")
        return data["meetings"], formats if isinstance(formats, list) and formats else None, text(
            data.get("root_server_uri")), data.get("server_info")
    raise FeedParseError(
        'feed is JSON but neither an array of meetings nor {"meetings": [...], "formats": [...]}',
        source=source)


def _server_language(rows: list[Any], info: Any) -> tuple[str | None, str]:
    """The server's language: GetServerInfo's ``nativeLang``, else its meetings' usual ``lang_enum``."""
    if isinstance(info, list) and info:
        info = info[0]
    if isinstance(info, dict) and text(info.get("nativeLang")):
        return text(info.get("nativeLang")), "GetServerInfo"
    langs = Counter(text(row.get("lang_enum")) for row in rows if isinstance(row, dict))
    langs.pop(None, None)
    return (langs.most_common(1)[0][0], "lang_enum") if langs else (None, "")


def _root_key(server: str) -> str:
    parts = urlsplit(server)
    return ((parts.hostname or "") + parts.path).rstrip("/") or server


def _venue(value: str | None, worlds: set[str]) -> str | None:
    if value in VENUES:
        return value
    # BMLT's own legacy rules (migration 21): formats decide only when they agree.
    hybrid, virtual, closed = "HYBR" in worlds, "VM" in worlds, "TC" in worlds
    if hybrid and not virtual and not closed:
        return "3"
    if virtual and not hybrid:
        return "2"
    return None


def _end_time(start: str, duration: str | None, key: str, warnings: list[Issue]) -> str | None:
    if not duration:
        return None
    match = _DURATION_RE.match(duration)
    if not match or int(match[2]) > 59 or int(match[1]) * 60 + int(match[2]) > 24 * 60:
        warnings.append(Issue(key, f"duration_time {duration!r} is not a duration; no end time"))
        return None
    length = int(match[1]) * 60 + int(match[2])
    if length == 0:  # "unknown": servers normally substitute their default duration
        return None
    return clock(minutes(start) + length)


def _is_zero(value: object) -> bool:
    try:
        return float(value) == 0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _notices(unknown_formats: Counter[str], unknown_fields: Counter[str], unpublished: int
             ) -> Iterator[Notice]:
    if unknown_formats:
        yield Notice(None, "unknown formats ignored: " + ", ".join(
            f"{name} ({count})" for name, count in sorted(unknown_formats.items())))
    if unknown_fields:
        yield Notice(None, "unknown fields ignored: " + ", ".join(
            f"{name} ({count})" for name, count in sorted(unknown_fields.items())))
    if unpublished:
        yield Notice(None, f"{unpublished} unpublished meetings skipped")
