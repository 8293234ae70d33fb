"""Public meeting pages: the listing, one meeting, and one meeting as a calendar file."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale

from feeds.meetings import render_meeting
from finder.extensions import db
from finder.meetings.display import next_dates, weekly_time, when
from finder.meetings.freshness import freshness
from finder.meetings.related import place_map, related, search_query
from finder.models import Meeting
from finder.reports.service import is_reported
from finder.schedules.service import MAX_REMINDER_MINUTES, PLAN_COOKIE, is_picked
from finder.sources.duplicates import listings
from finder.web.calendars import calendar_response, validator
from finder.web.edge import MAX_ID
from finder.web.feed_words import feed_words
from finder.web.i18n import DAY_NAMES
from finder.web.responses import meeting_page, meeting_pages
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
    listed = meeting.is_listed
    sources = [source_label(one.source) for one in listings(meeting)] if listed else []
    search = search_query(request.args.get("search"))
    page = render_template("meetings/show.html", meeting=meeting, when=when(meeting, seeker_zone(), fixed_now()),
                           listed_by=sorted(set(sources), key=sources.index),
                           fresh=freshness(meeting) if listed else None,
                           reported=listed and is_reported(meeting.id),
                           dates=next_dates(meeting, fixed_now()) if listed else [],
                           search=search,
                           back_url=url_for("search.index") + "?" + search if search else None,
                           share_url=url_for("meetings.show", meeting_id=meeting.id, _external=True),
                           related=[(days[0], weekly_time(days)) for days in related(meeting)] if listed else [],
                           map_tiles=place_map(meeting, current_app.config.get("TILE_URL") or ""),
                           in_plan=is_picked(request.cookies.get(PLAN_COOKIE), meeting.id))
    return page, 200 if listed else 410


@bp.get("/meetings/<int:meeting_id>.ics")
def ics(meeting_id: int) -> Response:
    """One meeting as a calendar file; ``?discreet=1`` and ``?reminder=MINUTES`` as in feeds."""
    stamps = db.session.execute(
        db.select(Meeting.changed_at, Meeting.sequence, Meeting.content_hash, Meeting.removed_at,
                  Meeting.created_at).where(Meeting.id == meeting_id)).first()
    if stamps is None:
        abort(404)
    reminder = request.args.get("reminder", type=int)
    if reminder is not None and not 0 <= reminder <= MAX_REMINDER_MINUTES:
        abort(400)
    discreet = request.args.get("discreet") in ("1", "true", "yes")
    tag = validator("meeting", meeting_id, tuple(stamps), discreet, reminder, meeting_pages(),
                    str(get_locale()))
    filename = "meeting.ics" if discreet else f"meeting-{meeting_id}.ics"
    return calendar_response(tag, stamps.changed_at, f'attachment; filename="{filename}"', lambda: render_meeting(
        db.get_or_404(Meeting, meeting_id), meeting_page, discreet=discreet, alarm_minutes=reminder,
        words=feed_words(str(get_locale()))))
