"""The same meeting listed by two sources: recognised, shown once, with both sources kept.

A meeting is a copy of an earlier-imported one (lower id) from another source when both have
the same fellowship, day and local time, and either the same conference room (URL normalised)
or a place within ``NEAR_KM`` and a similar name. Copies get ``duplicate_of_id``; listings skip
them, and the meeting page names every source.
"""
from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import distinct, func, or_, select, tuple_, update

from finder.extensions import db
from finder.geo.points import EARTH_RADIUS_KM, haversine_km
from finder.models import Meeting

NEAR_KM = 0.05
NAME_SIMILARITY = 0.6
_ZOOM_ID_RE = re.compile(r"/(?:j|w|s|wc/join|wc)/(\d{9,12})")
_WORD_RE = re.compile(r"[a-z0-9]+")
_FILLER = frozenset({"the", "group", "meeting", "of", "aa", "na", "ga", "online", "hybrid", "and"})


def conference_key(url: str | None) -> str | None:
    """One key per conference room: Zoom's meeting id, or host and path without the query."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    if host == "zoom.us" or host.endswith(".zoom.us"):
        match = _ZOOM_ID_RE.search(parts.path)
        if match:
            return f"zoom:{match[1]}"
    return f"{host}{parts.path.rstrip('/').lower()}"


def similar_names(a: str, b: str) -> bool:
    """True when two meeting names read as the same group's (filler words aside)."""
    words_a = [w for w in _WORD_RE.findall(a.lower()) if w not in _FILLER]
    words_b = [w for w in _WORD_RE.findall(b.lower()) if w not in _FILLER]
    if not words_a or not words_b:
        return a.strip().lower() == b.strip().lower()
    shared = len(set(words_a) & set(words_b)) / len(set(words_a) | set(words_b))
    return shared >= 0.5 or SequenceMatcher(None, " ".join(words_a), " ".join(words_b)).ratio() >= NAME_SIMILARITY


def same_meeting(a: Any, b: Any) -> bool:
    """True if rows ``a`` and ``b`` (same fellowship, day and time) are one meeting."""
    room = conference_key(a.conference_url)
    if room is not None and room == conference_key(b.conference_url):
        return True
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    near = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= NEAR_KM
    return near and similar_names(a.name, b.name)


def mark_duplicates() -> int:
    """Set ``duplicate_of_id`` across every listed meeting; returns how many are copies.

    Run after imports (the CLI does); the caller commits. Only rows whose mark changes are written.
    """
    slot = (Meeting.fellowship, Meeting.day, Meeting.time)
    # Only a slot that two sources list can hold a copy, and only a marked row can lose its
    # mark: every other row (nearly all of them with one large source) is left in the database.
    shared = (select(*slot).where(Meeting.is_listed).group_by(*slot)
              .having(func.count(distinct(Meeting.source_id)) > 1))
    rows = db.session.execute(
        select(Meeting.id, Meeting.source_id, Meeting.fellowship, Meeting.day, Meeting.time,
               Meeting.name, Meeting.latitude, Meeting.longitude, Meeting.conference_url,
               Meeting.duplicate_of_id)
        .where(Meeting.is_listed, or_(tuple_(*slot).in_(shared), Meeting.duplicate_of_id.is_not(None)))
        .order_by(Meeting.id)
    ).all()
    original = find_originals(rows)
    changes = [{"id": row.id, "duplicate_of_id": original.get(row.id)}
               for row in rows if row.duplicate_of_id != original.get(row.id)]
    for start in range(0, len(changes), 2000):
        db.session.execute(update(Meeting), changes[start:start + 2000])
    db.session.execute(  # a removed meeting is nobody's copy
        update(Meeting).where(Meeting.removed_at.is_not(None), Meeting.duplicate_of_id.is_not(None))
        .values(duplicate_of_id=None).execution_options(synchronize_session=False)
    )
    return len(original)


def find_originals(rows: Iterable[Any]) -> dict[int, int]:
    """``{copy id: original id}`` for rows ordered by id: each row's original is the earliest
    row from another source, itself no copy, that :func:`same_meeting` matches.

    Only rows that share the slot (fellowship, day, time) and the conference room or a
    ``NEAR_KM`` grid cell are compared, so two large overlapping sources cost about as much
    as their rows, not their pairs.
    """
    slots: dict[tuple[Any, int, str], list[Any]] = defaultdict(list)
    for row in rows:
        slots[(row.fellowship, row.day, row.time)].append(row)
    original: dict[int, int] = {}
    for slot in slots.values():
        if len({row.source_id for row in slot}) < 2:
            continue
        by_room: dict[str, list[Any]] = defaultdict(list)
        by_cell: dict[tuple[int, int, int], list[Any]] = defaultdict(list)
        for row in slot:
            room = conference_key(row.conference_url)
            cell = _cell(row.latitude, row.longitude)
            candidates = by_room[room] if room else []
            if cell is not None:
                candidates = candidates + [other for near in _neighbours(cell) for other in by_cell.get(near, ())]
            for earlier in sorted(candidates, key=lambda other: other.id):
                if (earlier.id not in original and earlier.source_id != row.source_id
                        and same_meeting(earlier, row)):
                    original[row.id] = earlier.id
                    break
            if room:
                by_room[room].append(row)
            if cell is not None:
                by_cell[cell].append(row)
    return original


def _cell(latitude: float | None, longitude: float | None) -> tuple[int, int, int] | None:
    """The ``NEAR_KM`` cube holding a point on the sphere (3-D, so poles and the antimeridian
    need no special case)."""
    if latitude is None or longitude is None:
        return None
    lat, lon = math.radians(latitude), math.radians(longitude)
    x, y, z = math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)
    size = NEAR_KM / EARTH_RADIUS_KM
    return math.floor(x / size), math.floor(y / size), math.floor(z / size)


def _neighbours(cell: tuple[int, int, int]) -> Iterator[tuple[int, int, int]]:
    x, y, z = cell
    for dx, dy, dz in itertools.product((-1, 0, 1), repeat=3):
        yield x + dx, y + dy, z + dz


def listings(meeting: Meeting) -> list[Meeting]:
    """The meeting as every source lists it: the original first, then its copies."""
    first = db.session.get(Meeting, meeting.duplicate_of_id) if meeting.duplicate_of_id else meeting
    copies = db.session.execute(
        db.select(Meeting).where(Meeting.duplicate_of_id == first.id, Meeting.is_listed)
        .order_by(Meeting.id)
    ).scalars()
    return [first, *copies]
