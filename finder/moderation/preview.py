"""What a moderator checks before listing a meeting: where its address lands, and look-alikes.

The map is drawn from the configured ``TILE_URL`` only (a few tiles under an inline SVG pin), so
a review makes no request to any other third party; without tiles it is coordinates and a link.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_

from finder.extensions import db
from finder.geo import tiles as geo_tiles
from finder.geo.points import bounding_box, haversine_km, timezone_at
from finder.geo.tiles import Tile
from finder.models import Meeting
from finder.sources.duplicates import conference_key
from finder.submissions.models import Submission
from finder.submissions.place import locate
from importers.normalize import parse_time

NEARBY_KM = 0.1
ZOOM = 15


@dataclass(frozen=True)
class Landing:
    """Where a submitted address lands: the point, its zone, tiles around it, and an OSM link."""

    latitude: float
    longitude: float
    zone: str | None
    tiles: tuple[Tile, ...]
    link: str
    approximate: bool  # placed by its postal code or town only


@dataclass(frozen=True)
class Lookalike:
    """A listed meeting at the same day and time, with why it may be the same one."""

    meeting: Meeting
    same_room: bool
    distance_m: int | None


def landing(fields: dict[str, Any]) -> Landing | None:
    """Where the proposed meeting's place lands, as approval will store it."""
    if fields.get("attendance_option") not in ("in_person", "hybrid"):
        return None
    point = locate(fields)
    if point is None:
        return None
    lat, lon = point.latitude, point.longitude
    link = f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=15/{lat:.5f}/{lon:.5f}"
    return Landing(lat, lon, timezone_at(lat, lon), tiles_around(lat, lon), link, point.approximate)


def tiles_around(lat: float, lon: float, zoom: int = ZOOM) -> tuple[Tile, ...]:
    """The configured tiles that cover a 256-pixel frame centred on a point (none without tiles)."""
    return geo_tiles.tiles_around(current_app.config.get("TILE_URL") or "", lat, lon, zoom)


def lookalikes(submission: Submission, point: tuple[float, float] | None) -> list[Lookalike]:
    """Listed meetings at the same day and time within 100 m, or in the same conference room.

    The rules of finder/sources/duplicates.py, widened to 100 m and without the name test: a
    moderator decides, so showing a near miss costs little.
    """
    fields = submission.proposed or {}
    time = parse_time(str(fields.get("time") or ""))
    if fields.get("day") is None or time is None:
        return []
    room = conference_key(fields.get("conference_url"))
    near = [Meeting.conference_url.is_not(None)] if room else []
    if point is not None:
        box = bounding_box(point[0], point[1], NEARBY_KM)
        near.append(and_(Meeting.latitude.between(box.min_lat, box.max_lat),
                         or_(*(Meeting.longitude.between(lo, hi) for lo, hi in box.lon_ranges))))
    if not near:
        return []
    query = db.select(Meeting).where(Meeting.is_listed, Meeting.day == int(fields["day"]),
                                     Meeting.time == time, or_(*near)).order_by(Meeting.id)
    if submission.meeting_id is not None:
        query = query.where(Meeting.id != submission.meeting_id)
    found = []
    for meeting in db.session.execute(query).scalars():
        same_room = room is not None and conference_key(meeting.conference_url) == room
        distance = None
        if point is not None and meeting.latitude is not None and meeting.longitude is not None:
            distance = round(haversine_km(point[0], point[1], meeting.latitude, meeting.longitude) * 1000)
        if same_room or (distance is not None and distance <= NEARBY_KM * 1000):
            found.append(Lookalike(meeting, same_room, distance))
    return found
