"""``GET /api/v1/meeting-guide.json``: every listed meeting in the Meeting Guide format."""
from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, request, url_for

from feeds.meeting_guide import render_meeting_guide
from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting, Source

bp = Blueprint("exports", __name__, url_prefix="/api/v1")


@bp.get("/meeting-guide.json")
def meeting_guide() -> Response:
    """All listed meetings, or one fellowship's (``?fellowship=na``) or one source's (``?source=``)."""
    query = db.select(Meeting).where(Meeting.removed_at.is_(None))
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
    else:  # the same meeting from two sources is exported once (importers/duplicates.py)
        query = query.where(Meeting.duplicate_of_id.is_(None))
    meetings = db.session.execute(query.order_by(Meeting.source_id, Meeting.slug, Meeting.id))
    body = render_meeting_guide(
        meetings.scalars(),
        lambda m: url_for("meetings.show", meeting_id=m.id, _external=True),
    )
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha1(body).hexdigest())
    response.headers["Cache-Control"] = "public, max-age=300"
    # Public listings meant for reuse by other sites' scripts (12 Step Meeting List does the same).
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)
