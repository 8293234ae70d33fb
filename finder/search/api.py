"""The search API under ``/api/v1``: meeting search and one meeting, with their OpenAPI part."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, jsonify, request

from finder.api.openapi import CLOCK, NULLABLE_STRING, ApiPart, comma_list, error, param
from finder.api.patterns import RECURRENCE, recurrence_json
from finder.enums import Attendance, Fellowship
from finder.meetings.freshness import confirmation_columns, confirmed_date, last_confirmed
from finder.models import Meeting, TypeCodes
from finder.search.criteria import Hit
from finder.search.loading import RowLoader
from finder.search.params import ApiError, criteria_from_args
from finder.search.query import CursorError, search
from finder.search.recurring import real_start
from finder.web.responses import meeting_pages
from finder.web.seeker import fixed_now
from finder.weekly import next_start
from finder.zones import zone_or_none

bp = Blueprint("search", __name__)

#: The columns the API shows as they are stored, first in its rows (after ``id``). Enums and
#: ``types`` are read as their stored text: the JSON wants that text, not an enum object's value.
AS_STORED = ("id", "slug", "fellowship", "name", "day", "time", "end_time", "timezone",
             "attendance_option", "location", "formatted_address", "conference_url",
             "conference_phone", "url")
_COLUMNS = (*AS_STORED[1:], "types", "latitude", "longitude", "approximate", "recurrence")
_RAW = ("fellowship", "attendance_option", "types")
#: The API reads plain rows of what it shows (and what search reads), with their confirmations,
#: in one query: no ORM objects.
ROWS = RowLoader(_COLUMNS, confirmation_columns(), raw=_RAW)
#: One meeting's row, and whether it is shown (a search finds only meetings that are).
ONE = RowLoader(_COLUMNS, [*confirmation_columns(), Meeting.is_shown.expression.label("is_shown")],
                raw=_RAW)
ONLINE = Attendance.ONLINE.value


@bp.errorhandler(ApiError)
def api_error(exc: ApiError) -> tuple[Response, int]:
    """A JSON error body naming the parameter at fault."""
    body: dict[str, Any] = {"error": exc.message}
    if exc.parameter:
        body["parameter"] = exc.parameter
    return jsonify(body), exc.status


@bp.get("/meetings")
def meetings() -> dict[str, Any]:
    """Search meetings; see the OpenAPI document for the parameters."""
    # A plain dict, as the search page passes: werkzeug's ``MultiDict.get`` raises and catches an
    # HTTP exception for each parameter not given (a score of them in a search).
    criteria = criteria_from_args(request.args.to_dict())
    if (now := fixed_now()) is not None:  # tests and benchmarks fix the instant, as for pages
        criteria = replace(criteria, now=now)
    try:
        page = search(criteria, ROWS)
    except CursorError:
        raise ApiError("cursor is not one this server made; start again without it.",
                       "cursor") from None
    pages = meeting_pages()
    return {"meetings": [meeting_json(hit, pages, last_confirmed(hit.meeting)) for hit in page.hits],
            "next": page.next}


@bp.get("/meetings/<int:meeting_id>")
def meeting(meeting_id: int) -> dict[str, Any]:
    """One listed meeting, with its next start in ``tz`` (UTC by default)."""
    row = ONE([meeting_id]).get(meeting_id)
    if row is None or not row.is_shown:
        raise ApiError("No listed meeting has this id.", status=404)
    tz = request.args.get("tz")
    zone = zone_or_none(tz)
    if tz and zone is None:
        raise ApiError("tz must be an IANA time zone name such as America/New_York.", "tz")
    now = fixed_now() or datetime.now(UTC)
    start = real_start(row, (), now) or next_start(row.day, row.time, row.timezone, now)  # past its last date
    return meeting_json(Hit(row, None, start.astimezone(zone or UTC)), meeting_pages(),
                        last_confirmed(row))


def meeting_json(hit: Hit, pages: str, confirmed: datetime | None = None) -> dict[str, Any]:
    """A meeting (a row of ``ROWS`` or ``ONE``) as the API shows it (online-only meetings have no
    place and no distance)."""
    m = hit.meeting
    online_only = m.attendance_option == ONLINE
    start, start_utc = start_texts(hit.next_start)
    # Keys in any order: the JSON provider sorts them (finder/web/json_provider.py).
    return {
        **dict(zip(AS_STORED, m, strict=False)),  # the row's first columns
        "types": list(TypeCodes.codes(m.types)),
        "latitude": None if online_only else m.latitude,
        "longitude": None if online_only else m.longitude,
        "approximate": bool(m.approximate) and not online_only,
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 3),
        "page_url": f"{pages}/{m.id}",
        "next_start": start,
        "next_start_utc": start_utc,
        "last_confirmed": confirmed_date(confirmed),
        "recurrence": recurrence_json(m),
    }


def start_texts(start: datetime) -> tuple[str, str]:
    """A next start as the API gives it: ISO 8601 in its own zone, and in UTC (``Z``)."""
    return _start_texts(start, start.tzinfo, start.fold)


@lru_cache(maxsize=4096)
def _start_texts(start: datetime, _zone: tzinfo | None, _fold: int) -> tuple[str, str]:
    # Two isoformat calls were a fifth of a page's JSON (~4 us a row), and next starts repeat:
    # every meeting at 19:00 on Mondays in a zone has one for the week. Equal instants in two
    # zones, and the two 01:30 of a zone's repeated hour, compare equal: zone and fold are keys.
    return start.isoformat(), start.astimezone(UTC).isoformat().replace("+00:00", "Z")


MEETING = {
    "type": "object",
    "required": ["id", "slug", "fellowship", "name", "day", "time", "end_time", "timezone",
                 "attendance_option", "types", "location", "formatted_address", "latitude",
                 "longitude", "approximate", "distance_km", "conference_url", "conference_phone",
                 "url", "page_url", "next_start", "next_start_utc", "last_confirmed",
                 "recurrence"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "fellowship": {"enum": [f.value for f in Fellowship]},
        "name": {"type": "string"},
        "day": {"type": "integer", "minimum": 0, "maximum": 6, "description": "0 = Sunday"},
        "time": {**CLOCK, "description": "local start in the meeting's own zone"},
        "end_time": {"anyOf": [CLOCK, {"type": "null"}]},
        "timezone": {"type": "string", "description": "IANA zone of the meeting"},
        "attendance_option": {"enum": [a.value for a in Attendance if a != Attendance.INACTIVE]},
        "types": {"type": "array", "items": {"type": "string"}},
        "location": NULLABLE_STRING,
        "formatted_address": NULLABLE_STRING,
        "latitude": {"type": ["number", "null"], "description": "null for online-only"},
        "longitude": {"type": ["number", "null"], "description": "null for online-only"},
        "approximate": {"type": "boolean", "description": "the meeting is held at its address "
                        "but its position is only near it (placed by its postal code or town, "
                        "or its feed gave no street): the distance is approximate, and "
                        "directions should follow formatted_address; false for online-only"},
        "distance_km": {"type": ["number", "null"], "minimum": 0,
                        "description": "great-circle distance from the origin; null for "
                                       "online-only meetings and when no origin was given"},
        "conference_url": NULLABLE_STRING,
        "conference_phone": NULLABLE_STRING,
        "url": {**NULLABLE_STRING, "description": "the meeting's page at its source"},
        "page_url": {"type": "string", "description": "the meeting's page on this site"},
        "next_start": {"type": "string", "format": "date-time",
                       "description": "next start in the seeker's zone (ISO 8601 with offset)"},
        "next_start_utc": {"type": "string", "format": "date-time"},
        "last_confirmed": {"type": ["string", "null"], "format": "date",
                           "description": "when the listing was last confirmed (UTC date): its "
                                          "source's last successful import that still carried it, "
                                          "or a moderator's decision; null if never"},
        "recurrence": RECURRENCE,
    },
}

SEARCH_PARAMETERS = [
    param("lat", "origin latitude (with lon)", {"type": "number", "minimum": -90, "maximum": 90}),
    param("lon", "origin longitude (with lat)",
          {"type": "number", "minimum": -180, "maximum": 180}),
    param("near", "a place to geocode instead of lat/lon: ZIP code, 'City, State', "
                  "'City, Country'", {"type": "string", "maxLength": 200}),
    param("radius_km", "search radius for in-person meetings (default 25)",
          {"type": "number", "exclusiveMinimum": 0, "maximum": 500}),
    param("attendance", "comma list of in_person, hybrid, online; hybrid meetings match "
                        "in_person and online unless hybrid alone is asked for",
          comma_list(a.value for a in Attendance if a != Attendance.INACTIVE)),
    param("fellowship", "comma list of fellowships", comma_list(f.value for f in Fellowship)),
    param("day", "day in the seeker's zone, 0 = Sunday", {"type": "integer", "minimum": 0,
                                                          "maximum": 6}),
    param("from", "earliest start, HH:MM in the seeker's zone", CLOCK),
    param("to", "latest start (exclusive), HH:MM; at or before from means the next day", CLOCK),
    param("starting_within", "meetings starting within this many minutes from now",
          {"type": "integer", "minimum": 1, "maximum": 1440}),
    param("types", "comma list of type codes; all must match", {"type": "string"}),
    param("region", "the region as the meeting's source names it (exact match)",
          {"type": "string", "maxLength": 255}),
    param("q", "words to find in name, location, address, notes or group",
          {"type": "string", "maxLength": 200}),
    param("tz", "the seeker's IANA zone (default: the origin's zone, else UTC)",
          {"type": "string"}),
    param("order", "distance (default: in person nearest first, then online soonest first) or "
                   "time (one list soonest first, meetings in progress first, a meeting held on "
                   "several days once, at its next occurrence)",
          {"type": "string", "enum": ["distance", "time"]}),
    param("limit", "page size (default 50)", {"type": "integer", "minimum": 1, "maximum": 200}),
    param("cursor", "the next value of the previous page", {"type": "string"}),
]

PART = ApiPart(bp, paths={
    "/meetings": {"get": {
        "operationId": "searchMeetings",
        "summary": "Search meetings",
        "description": "In-person and hybrid meetings within the radius come first, nearest "
                       "first; then online meetings (never limited by the radius), soonest "
                       "next start first.",
        "parameters": SEARCH_PARAMETERS,
        "responses": {
            "200": {"description": "a page of meetings", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/MeetingPage"}}}},
            "400": error("a bad parameter, named in the body"),
            "503": error("the configured online geocoder failed"),
        },
    }},
    "/meetings/{id}": {"get": {
        "operationId": "getMeeting",
        "summary": "One listed meeting",
        "parameters": [param("id", "meeting id", {"type": "integer"}, "path", True),
                       param("tz", "zone for next_start (default UTC)", {"type": "string"})],
        "responses": {
            "200": {"description": "the meeting", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Meeting"}}}},
            "400": error("a bad parameter"),
            "404": error("no listed meeting has this id"),
        },
    }},
}, schemas={
    "Meeting": MEETING,
    "MeetingPage": {
        "type": "object", "required": ["meetings", "next"], "additionalProperties": False,
        "properties": {
            "meetings": {"type": "array", "items": {"$ref": "#/components/schemas/Meeting"}},
            "next": {"type": ["string", "null"], "description": "cursor of the next page"},
        },
    },
})
