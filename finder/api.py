"""The JSON API under ``/api/v1``: meeting search, one meeting, and its OpenAPI document."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from finder import openapi
from finder.api_params import ApiError, criteria_from_args
from finder.enums import Attendance
from finder.extensions import csrf, db
from finder.localtime import next_start, zone_or_none
from finder.models import Meeting
from finder.search import CursorError, Hit, search

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> tuple[Response, int]:
    """A JSON error body naming the parameter at fault."""
    body: dict[str, Any] = {"error": error.message}
    if error.parameter:
        body["parameter"] = error.parameter
    return jsonify(body), error.status


@bp.get("/meetings")
def meetings() -> dict[str, Any]:
    """Search meetings; see the OpenAPI document for the parameters."""
    criteria = criteria_from_args(request.args)
    try:
        page = search(criteria)
    except CursorError:
        raise ApiError("cursor is not one this server made; start again without it.",
                       "cursor") from None
    pages = meeting_pages()
    return {"meetings": [meeting_json(hit, pages) for hit in page.hits], "next": page.next}


@bp.get("/meetings/<int:meeting_id>")
def meeting(meeting_id: int) -> dict[str, Any]:
    """One listed meeting, with its next start in ``tz`` (UTC by default)."""
    row = db.session.get(Meeting, meeting_id)
    if row is None or row.removed_at is not None or row.duplicate_of_id is not None:
        raise ApiError("No listed meeting has this id.", status=404)
    tz = request.args.get("tz")
    zone = zone_or_none(tz)
    if tz and zone is None:
        raise ApiError("tz must be an IANA time zone name such as America/New_York.", "tz")
    start = next_start(row.day, row.time, row.timezone, datetime.now(UTC))
    return meeting_json(Hit(row, None, start.astimezone(zone or UTC)), meeting_pages())


@bp.get("/openapi.json")
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of this API."""
    return openapi.document()


def meeting_pages() -> str:
    """The absolute URL of meeting pages, without the id (one url_for per response, not fifty)."""
    return url_for("meetings.show", meeting_id=0, _external=True).removesuffix("/0")


def meeting_json(hit: Hit, pages: str) -> dict[str, Any]:
    """A meeting as the API shows it (online-only meetings have no place and no distance)."""
    m = hit.meeting
    online_only = m.attendance_option == Attendance.ONLINE
    return {
        "id": m.id,
        "slug": m.slug,
        "fellowship": m.fellowship.value,
        "name": m.name,
        "day": m.day,
        "time": m.time,
        "end_time": m.end_time,
        "timezone": m.timezone,
        "attendance_option": m.attendance_option.value,
        "types": list(m.types),
        "location": m.location,
        "formatted_address": m.formatted_address,
        "latitude": None if online_only else m.latitude,
        "longitude": None if online_only else m.longitude,
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 3),
        "conference_url": m.conference_url,
        "conference_phone": m.conference_phone,
        "url": m.url,
        "page_url": f"{pages}/{m.id}",
        "next_start": hit.next_start.isoformat(),
        "next_start_utc": hit.next_start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
