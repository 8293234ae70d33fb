"""``GET /api/v1/meeting-guide.json``: every listed meeting in the Meeting Guide format."""
from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, request

from feeds.meeting_guide import EXPORTED_COLUMNS, render_meeting_guide
from finder.api.openapi import ApiPart, error
from finder.enums import Fellowship
from finder.extensions import db
from finder.meetings.freshness import confirmed_date, decisions, latest, source_confirmations
from finder.models import Meeting, Source
from finder.web.responses import meeting_pages

bp = Blueprint("export", __name__)


@bp.get("/meeting-guide.json")
def meeting_guide() -> Response:
    """All listed meetings, or one fellowship's (``?fellowship=na``) or one source's (``?source=``)."""
    query = db.select(Meeting).where(Meeting.is_listed)
    fellowship = request.args.get("fellowship")
    if fellowship:
        if fellowship not in {f.value for f in Fellowship}:
            abort(400, f"unknown fellowship; one of: {', '.join(f.value for f in Fellowship)}")
        query = query.where(Meeting.fellowship == Fellowship(fellowship))
    source_name = request.args.get("source")
    if source_name:
        source = db.session.execute(
            db.select(Source).where(Source.name == source_name)
        ).scalar_one_or_none()
        if source is None:
            abort(404, "no such source")
        query = query.where(Meeting.source_id == source.id)
    else:  # the same meeting from two sources is exported once (finder/sources/duplicates.py)
        query = query.where(Meeting.is_shown)
    # Plain rows of the exported columns: several times faster than full ORM objects.
    rows = db.session.execute(
        query.with_only_columns(*(getattr(Meeting, name) for name in EXPORTED_COLUMNS))
        .order_by(Meeting.source_id, Meeting.slug, Meeting.id)
    )
    pages = meeting_pages()
    by_source, by_moderator = source_confirmations(), decisions()
    body = render_meeting_guide(
        rows, lambda m: f"{pages}/{m.id}",
        lambda m: confirmed_date(latest(by_source.get(m.source_id), by_moderator.get(m.id))))
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha1(body).hexdigest())
    response.headers["Cache-Control"] = "public, max-age=300"
    # Public listings meant for reuse by other sites' scripts (12 Step Meeting List does the same).
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


PART = ApiPart(bp, paths={"/meeting-guide.json": {"get": {
    "operationId": "meetingGuideExport",
    "summary": "Every listed meeting in the Meeting Guide JSON format",
    "description": "A flat array of meetings with the Meeting Guide specification's fields, "
                   "for the Meeting Guide app, 12 Step Meeting List sites and other finders, "
                   "and one extension: `last_confirmed` (YYYY-MM-DD, UTC), when the listing was "
                   "last confirmed by its source's import or a moderator's decision.",
    "parameters": [
        {"name": "fellowship", "in": "query", "required": False,
         "schema": {"enum": [f.value for f in Fellowship]},
         "description": "only this fellowship's meetings (aa, na, ga, ...)"},
        {"name": "source", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "only the meetings of the source with this name"},
    ],
    "responses": {
        "200": {"description": "the meetings", "content": {"application/json": {
            "schema": {"type": "array", "items": {"type": "object", "properties": {
                "last_confirmed": {"type": "string", "format": "date"}}}}}}},
        "304": {"description": "unchanged since the ETag given in If-None-Match"},
        "400": error("unknown fellowship, or a value that cannot be stored"),
        "404": {"description": "no source has this name"},
    },
}}})
