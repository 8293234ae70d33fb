"""What a meeting page shows beside the meeting: the way back to the search, other meetings at the
same place or of the same group, and a small map of the place drawn from the configured tiles."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.points import bounding_box
from finder.geo.tiles import Tile, tiles_around
from finder.models import Meeting

#: The search page's own parameters: nothing else is carried back to it.
SEARCH_KEYS = frozenset({"near", "lat", "lon", "radius_km", "attendance", "day", "part", "from", "to",
                         "starting_within", "fellowship", "types", "region", "q", "order", "tz", "view"})
MAX_SEARCH = 1000
#: Meetings this close to each other are at the same place (one building, its car park).
SAME_PLACE_KM = 0.03
MAX_RELATED = 40  # rows read; a meeting held on several days makes one line
MAP_ZOOM = 16


def search_query(raw: str | None) -> str:
    """The search a seeker came from (``?search=``), cut down to the search page's parameters."""
    if not raw or len(raw) > MAX_SEARCH:
        return ""
    try:
        pairs = parse_qsl(raw, max_num_fields=40)
    except ValueError:  # more fields than any search has
        return ""
    return urlencode([(key, value[:200]) for key, value in pairs if key in SEARCH_KEYS and value])


def attended_here(meeting: Meeting) -> bool:
    """True for a meeting one goes to, at a known street-level point."""
    return (meeting.attendance_option in (Attendance.IN_PERSON, Attendance.HYBRID)
            and meeting.latitude is not None and meeting.longitude is not None
            and not meeting.approximate)


def related(meeting: Meeting) -> list[list[Meeting]]:
    """Other listed meetings at the same place (within 30 m) or of the same group, by day and time;
    the days of one meeting (same name and time) together, the meeting's own other days first."""
    same = []
    if attended_here(meeting):
        box = bounding_box(meeting.latitude, meeting.longitude, SAME_PLACE_KM)
        same.append(sa.and_(Meeting.latitude.between(box.min_lat, box.max_lat),
                            sa.or_(*(Meeting.longitude.between(low, high) for low, high in box.lon_ranges)),
                            Meeting.attendance_option.in_((Attendance.IN_PERSON, Attendance.HYBRID))))
    if meeting.group:
        same.append(sa.and_(Meeting.source_id == meeting.source_id, Meeting.group == meeting.group))
    if not same:
        return []
    query = (sa.select(Meeting).where(Meeting.is_shown, Meeting.id != meeting.id, sa.or_(*same))
             .order_by(Meeting.day, Meeting.time, Meeting.name, Meeting.id).limit(MAX_RELATED))
    series: dict[tuple[str, str], list[Meeting]] = {}
    for other in db.session.execute(query).scalars():
        series.setdefault((other.name, other.time), []).append(other)
    own = series.pop((meeting.name, meeting.time), None)
    return ([own] if own else []) + list(series.values())


def place_map(meeting: Meeting, template: str) -> tuple[Tile, ...]:
    """Tiles for a small map of where the meeting is held; none without tiles or a street point."""
    if not template or not attended_here(meeting):
        return ()
    return tiles_around(template, meeting.latitude, meeting.longitude, MAP_ZOOM)
