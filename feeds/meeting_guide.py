"""The Meeting Guide JSON export: listed meetings as the spec's flat array of meeting objects."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from finder.pattern import Recurrence
from finder.recurrence import describe

# The spec's optional text fields, copied when present (empty ones are left out, as it asks).
TEXT_FIELDS = (
    "location", "formatted_address", "location_notes", "notes", "conference_url",
    "conference_url_notes", "conference_phone", "conference_phone_notes", "group",
    "feedback_url",
)
REGION_SEPARATOR = " > "
# Every meeting attribute the export reads (callers may load just these).
EXPORTED_COLUMNS = (
    "id", "slug", "name", "day", "time", "end_time", "timezone", "types", "approximate",
    "attendance_option", "region",
    "latitude", "longitude", "url", "updated", "changed_at", "source_id", "recurrence", *TEXT_FIELDS,
)


class ExportedMeeting(Protocol):
    """What the export reads from a meeting row."""

    id: int
    slug: str
    name: str
    day: int
    time: str
    end_time: str | None
    timezone: str
    types: tuple[str, ...]
    approximate: bool
    attendance_option: Any  # finder.enums.Attendance
    region: str | None
    latitude: float | None
    longitude: float | None
    url: str | None
    updated: datetime | None
    changed_at: datetime
    source_id: int
    recurrence: Recurrence | None


def _in_place(meeting: ExportedMeeting) -> bool:
    """True for a meeting held at its address (in person or hybrid)."""
    return getattr(meeting.attendance_option, "value", meeting.attendance_option) in (
        "in_person", "hybrid")


def unique_slugs(meetings: Iterable[ExportedMeeting]) -> dict[int, str]:
    """Each meeting's slug, made unique across sources by appending ``-m<id>`` on a clash.

    Parameters:
        meetings: the exported meetings, in export order (the first keeps a shared slug).

    Returns:
        Meeting id to exported slug.
    """
    seen: set[str] = set()
    out: dict[int, str] = {}
    for meeting in meetings:
        slug = meeting.slug if meeting.slug not in seen else f"{meeting.slug}-m{meeting.id}"
        seen.add(slug)
        out[meeting.id] = slug
    return out


def meeting_entry(meeting: ExportedMeeting, *, slug: str, page_url: str,
                  confirmed: str | None = None) -> dict[str, Any]:
    """One meeting as a Meeting Guide object: the spec's fields, and ``last_confirmed``.

    Parameters:
        meeting: a listed meeting.
        slug: its slug in this export (see ``unique_slugs``).
        page_url: the meeting's public page, used as ``url`` when its source gave none.
        confirmed: the date (``YYYY-MM-DD``) its listing was last confirmed, if ever; an
            extension field, which Meeting Guide readers ignore as the spec lets them.

    Returns:
        A JSON-ready dict; fields that do not apply are left out.
    """
    entry: dict[str, Any] = {
        "name": meeting.name,
        "slug": slug,
        "day": meeting.day,
        "time": meeting.time,
    }
    if meeting.end_time:
        entry["end_time"] = meeting.end_time
    entry["timezone"] = meeting.timezone
    entry["types"] = list(meeting.types)
    for name in TEXT_FIELDS:
        value = getattr(meeting, name)
        if value:
            entry[name] = value
    # Meeting Guide's `approximate` is the address's: a meeting held at its address has a real
    # one even when only its postal code or town placed it (a reader would list it as not in
    # person). That rough point is left out: readers place the address themselves.
    rough_point = meeting.approximate and _in_place(meeting)
    if "formatted_address" in entry:
        entry["approximate"] = "yes" if meeting.approximate and not rough_point else "no"
    if meeting.latitude is not None and meeting.longitude is not None and not rough_point:
        entry["latitude"], entry["longitude"] = meeting.latitude, meeting.longitude
    if meeting.region:
        entry["regions"] = [part for part in meeting.region.split(REGION_SEPARATOR) if part]
    pattern = pattern_notes(meeting)
    if pattern:
        entry["notes"] = f"{pattern}\n\n{entry['notes']}" if entry.get("notes") else pattern
    entry["updated"] = (meeting.updated or meeting.changed_at).strftime("%Y-%m-%d %H:%M:%S")
    entry["url"] = meeting.url or page_url
    if confirmed:
        entry["last_confirmed"] = confirmed
    return entry


def pattern_notes(meeting: ExportedMeeting) -> str | None:
    """A not-every-week meeting's pattern and dates in words, first in ``notes``: the spec has
    only weekly ``day``s, so weekly-only readers show it on its right day and say how often."""
    pattern = meeting.recurrence
    if pattern is None:
        return None
    lines = [f"Meets: {describe(meeting)}."]  # type: ignore[arg-type]
    if pattern.cancelled:
        lines.append("No meeting on " + ", ".join(on.isoformat() for on in pattern.cancelled) + ".")
    for moved in pattern.moved:
        place = ", ".join(p for p in (moved.location, moved.formatted_address) if p)
        lines.append(f"On {moved.on.isoformat()}: " + ", ".join(
            part for part in (moved.time and f"at {moved.time}",
                             moved.end_time and f"until {moved.end_time}",
                             place and f"at {place}") if part)
            + ".")
    return "\n".join(lines)


def render_meeting_guide(
    meetings: Iterable[ExportedMeeting], page_url: Callable[[ExportedMeeting], str],
    confirmed: Callable[[ExportedMeeting], str | None] | None = None,
) -> bytes:
    """The export body: a JSON array, byte-stable for the same rows (so ETags work).

    Parameters:
        meetings: listed meetings in a stable order.
        page_url: the public page of a meeting.
        confirmed: the date a meeting's listing was last confirmed (``last_confirmed``).

    Returns:
        UTF-8 JSON bytes.
    """
    rows = list(meetings)
    slugs = unique_slugs(rows)
    entries = [meeting_entry(m, slug=slugs[m.id], page_url=page_url(m),
                             confirmed=confirmed(m) if confirmed else None) for m in rows]
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
