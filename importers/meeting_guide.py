"""Meeting Guide JSON (AA's spec, also published by GA and other fellowships' areas)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from importers.base import Importer, Notice, ParseItem, Rejected, Unchanged, rejection
from importers.common import finish_record, row_digest
from importers.errors import FeedParseError, RecordError
from importers.normalize import parse_time, strip_html, text
from importers.shapes import decode_text, json_rows, looks_like_json_lines


class MeetingGuideImporter(Importer):
    """A flat JSON array of meetings in the Meeting Guide format."""

    name = "meeting-guide"
    description = "Meeting Guide JSON (AA intergroups, 12 Step Meeting List sites, GA areas)"

    @classmethod
    def sniff(cls, raw: bytes) -> bool:
        head = raw[:4096].lstrip()
        return (head.startswith(b"[") and b'"slug"' in head) or looks_like_json_lines(head)

    def parse(self, raw: bytes) -> Iterator[ParseItem]:
        rows, notes = load_json_array(raw, self.options.source_name)
        yield from (Notice(None, note) for note in notes)
        unknown_types: set[str] = set()
        unchanged = self.options.unchanged
        for index, row in enumerate(rows):
            label = f"#{index + 1}"
            if not isinstance(row, dict):
                yield Rejected(label, "record is not a JSON object")
                continue
            digest = row_digest(row, self.options, self.name) if unchanged else None
            key = unchanged(digest) if digest else None
            if key is not None:
                yield Unchanged(key)
                continue
            try:
                records = list(self._records(row, label, unknown_types, digest))
            except Exception as exc:  # noqa: BLE001 (one record fails alone)
                yield rejection(exc, label)
                continue
            yield from records  # a repeated slug is the loader's to reject, as for every format
        if unknown_types:
            yield Notice(None, "unknown type codes ignored: " + ", ".join(sorted(unknown_types)))

    def _records(self, row: dict[str, Any], label: str, unknown_types: set[str],
                 digest: str | None = None) -> Iterator:
        slug = text(row.get("slug"), limit=180)
        if slug is None:
            name = text(row.get("name"))
            raise RecordError(f"{label} ({name})" if name else label, "no slug")
        days = _days(row.get("day"), slug)
        time = parse_time(row.get("time"))
        if text(row.get("time")) is None:
            raise RecordError(slug, "no time")
        if time is None:
            raise RecordError(slug, f"time {row.get('time')!r} is not a time of day (HH:MM)")
        types = _types(row.get("types"))
        for day in days:
            key = f"{slug}-{day}" if isinstance(row.get("day"), list) else slug
            yield finish_record(
                self.options,
                source_key=key,
                slug=key,
                name=text(strip_html(row.get("name")), limit=255),
                day=day,
                time=time,
                end_time=row.get("end_time"),
                timezone=row.get("timezone"),
                latitude=row.get("latitude"),
                longitude=row.get("longitude"),
                formatted_address=_address(row),
                approximate=_approximate(row.get("approximate")),
                types=types,
                conference_url=row.get("conference_url"),
                conference_url_notes=strip_html(row.get("conference_url_notes")),
                conference_phone=row.get("conference_phone"),
                conference_phone_notes=strip_html(row.get("conference_phone_notes")),
                location=text(strip_html(row.get("location")), limit=255),
                region=_region(row),
                location_notes=strip_html(row.get("location_notes")),
                notes=strip_html(row.get("notes")),
                group=text(strip_html(row.get("group")), limit=255),
                url=row.get("url"),
                feedback_url=row.get("feedback_url"),
                updated=row.get("updated"),
                raw=row,
                unknown_types=unknown_types,
                # A row of several days gives several meetings: always read again.
                feed_digest=None if isinstance(row.get("day"), list) else digest,
            )


def load_json_array(raw: bytes, source: str) -> tuple[list[Any], list[str]]:
    """The feed's meetings (a JSON array, or JSON Lines) and notes on how they were read.

    Raises FeedParseError naming what is wrong.
    """
    decoded, notes = decode_text(raw, source)
    data, more = json_rows(decoded, source)
    if not isinstance(data, list):
        raise FeedParseError(
            f"feed is JSON but not an array of meetings (it is {_json_kind(data)})", source=source
        )
    return data, notes + more


def _json_kind(data: object) -> str:
    kinds = {dict: "an object", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(data), "a number")


def _days(value: object, slug: str) -> list[int]:
    values = value if isinstance(value, list) else [value]
    if not values or value is None or value == "":
        raise RecordError(slug, "no day")
    days = []
    for item in values:
        try:
            day = int(str(item).strip())
        except ValueError:
            raise RecordError(slug, f"day {item!r} is not a number 0-6") from None
        if not 0 <= day <= 6:
            raise RecordError(slug, f"day {day} is not a day of the week (0 = Sunday .. 6 = Saturday)")
        days.append(day)
    return sorted(set(days))


def _address(row: dict[str, Any]) -> str | None:
    formatted = text(strip_html(row.get("formatted_address")), limit=500)
    if formatted:
        return formatted
    state_zip = " ".join(p for p in (text(row.get("state")), text(row.get("postal_code"))) if p)
    parts = [text(row.get("address")), text(row.get("city")), state_zip, text(row.get("country"))]
    joined = ", ".join(p for p in parts if p)
    return joined[:500] or None


def _approximate(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    flag = (text(value) or "").lower()
    return {"yes": True, "true": True, "no": False, "false": False}.get(flag)


def _types(value: object) -> list[str]:
    if isinstance(value, str):
        return [t for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t) for t in value if isinstance(t, (str, int)) and str(t).strip()]
    return []


def _region(row: dict[str, Any]) -> str | None:
    regions = row.get("regions")
    if isinstance(regions, list) and regions:
        return text(" > ".join(str(r) for r in regions if r), limit=255)
    parts = [text(row.get("region")), text(row.get("sub_region"))]
    return text(" > ".join(p for p in parts if p), limit=255) or text(row.get("city"), limit=255)
