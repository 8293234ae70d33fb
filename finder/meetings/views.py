"""Public meeting pages: the listing, one meeting, and one meeting as a calendar file."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale

from feeds.meetings import render_meeting
from finder.extensions import db
from finder.meetings.display import next_dates, when
from finder.meetings.freshness import freshness
from finder.models import Meeting
from finder.reports.service import is_reported
from finder.schedules.service import MAX_REMINDER_MINUTES
from finder.sources.duplicates import listings
from finder.web.edge import MAX_ID
from finder.web.feed_words import feed_words
from finder.web.i18n import DAY_NAMES
from finder.web.responses import ics_response, meeting_page
from finder.web.seeker import fixed_now, seeker_zone
from finder.web.templating import source_label

bp = Blueprint("meetings", __name__)

PAGE_SIZE = 50


@bp.get("/meetings")
def index() -> str:
    """Every listed meeting, by day and time, a page at a time."""
    page = request.args.get("page", 1, type=int)
    query = (
        db.select(Meeting)
        .where(Meeting.is_shown)
        .order_by(Meeting.day, Meeting.time, Meeting.name, Meeting.id)
    )
    page = min(max(page, 1), MAX_ID // PAGE_SIZE)  # past the last page is an empty page, not a 500
    meetings = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("meetings/index.html", meetings=meetings, day_names=DAY_NAMES)


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int) -> tuple[str, int]:
    """One meeting: when in both zones, where, how to join, what kind, and who lists it.

    A meeting its source no longer lists answers 410 with a notice, so a link kept in a plan or a
    calendar explains itself instead of failing.
    """
    meeting = db.get_or_404(Meeting, meeting_id)
    sources = [source_label(listed.source) for listed in listings(meeting)] if meeting.is_listed else []
    page = render_template("meetings/show.html", meeting=meeting, when=when(meeting, seeker_zone(), fixed_now()),
                           listed_by=sorted(set(sources), key=sources.index),
                           fresh=freshness(meeting) if meeting.is_listed else None,
                           reported=meeting.is_listed and is_reported(meeting.id),
                           dates=next_dates(meeting) if meeting.is_listed else [])
    return page, 200 if meeting.is_listed else 410


@bp.get("/meetings/<int:meeting_id>.ics")
def ics(meeting_id: int) -> Response:
    """One meeting as a calendar file; ``?discreet=1`` and ``?reminder=MINUTES`` as in feeds."""
    meeting = db.get_or_404(Meeting, meeting_id)
    reminder = request.args.get("reminder", type=int)
    if reminder is not None and not 0 <= reminder <= MAX_REMINDER_MINUTES:
        abort(400)
    discreet = request.args.get("discreet") in ("1", "true", "yes")
    body = render_meeting(meeting, meeting_page, discreet=discreet, alarm_minutes=reminder,
                          words=feed_words(str(get_locale())))
    filename = "meeting.ics" if discreet else f"meeting-{meeting.id}.ics"
    return ics_response(body, meeting.changed_at, f'attachment; filename="{filename}"')
