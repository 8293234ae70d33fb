"""Calendar files over HTTP: a schedule's subscription feed and one meeting's "add to calendar"."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, request, url_for

from feeds.meetings import render_meeting, render_schedule
from finder.extensions import db
from finder.models import Meeting
from finder.schedules import MAX_REMINDER_MINUTES, find_schedule

bp = Blueprint("schedule_feeds", __name__)


def _page_url(meeting_id: int) -> str:
    return url_for("meetings.show", meeting_id=meeting_id, _external=True)


def ics_response(body: bytes, last_modified: datetime, disposition: str) -> Response:
    """A conditional ``text/calendar`` response: strong ETag of the body, 304, HEAD."""
    response = Response(body, mimetype="text/calendar")  # "; charset=utf-8" is added
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Robots-Tag"] = "noindex"
    response.add_etag()  # strong: equal bytes, equal tag (the body is byte-stable)
    response.last_modified = last_modified.replace(microsecond=0)
    return response.make_conditional(request)


@bp.get("/feeds/<token>.ics")
def schedule_ics(token: str) -> Response:
    """The schedule's feed; 404 alike for a malformed, unknown, rotated or deleted token."""
    schedule = find_schedule(token)
    if schedule is None:
        abort(404)
    body, changed = render_schedule(schedule, _page_url)
    return ics_response(body, changed, 'inline; filename="meetings.ics"')


@bp.get("/meetings/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int) -> Response:
    """One meeting as a calendar file; ``?discreet=1`` and ``?reminder=MINUTES`` as in feeds."""
    meeting = db.get_or_404(Meeting, meeting_id)
    reminder = request.args.get("reminder", type=int)
    if reminder is not None and not 0 <= reminder <= MAX_REMINDER_MINUTES:
        abort(400)
    discreet = request.args.get("discreet") in ("1", "true", "yes")
    body = render_meeting(meeting, _page_url, discreet=discreet, alarm_minutes=reminder)
    filename = "meeting.ics" if discreet else f"meeting-{meeting.id}.ics"
    return ics_response(body, meeting.changed_at, f'attachment; filename="{filename}"')
