"""The plan pages (add a meeting, the private manage page, its rename, rotate and delete forms)
and the plan's calendar feed.

A plan is a schedule without an account. The browser that made it keeps its token in a cookie
(HttpOnly, this site only) so "add to my plan" finds it again; the manage URL works anywhere.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from finder.extensions import db
from finder.meetings.display import When, when
from finder.models import Meeting
from finder.schedules.models import Schedule
from finder.schedules.service import (
    PLAN_COOKIE,
    ScheduleError,
    add_meeting,
    create_schedule,
    delete_schedule,
    feed_stamp,
    find_schedule,
    picked_meetings,
    remove_meeting,
    rotate_token,
    schedule_feed,
    schedule_overlaps,
    schedule_urls,
    set_language,
    update_schedule,
)
from finder.web.calendars import calendar_response, validator
from finder.web.edge import row_id
from finder.web.i18n import DAY_NAMES
from finder.web.responses import meeting_pages
from finder.web.seeker import fixed_now, seeker_zone
from finder.weekly import day_of

bp = Blueprint("schedules", __name__)

PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
                   "Cache-Control": "private, no-store"}


@dataclass(frozen=True)
class Pick:
    """A meeting in the plan, its time for the seeker, and the picks it clashes with."""

    meeting: Meeting
    when: When
    overlaps: tuple[str, ...]


def remember(response: Response, token: str | None) -> Response:
    """Keep (or, with None, forget) this browser's plan token in its cookie."""
    if token is None:
        response.delete_cookie(PLAN_COOKIE)
    else:
        response.set_cookie(PLAN_COOKIE, token, max_age=400 * 86400, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response


def schedule_or_404(token: str) -> Schedule:
    """The schedule behind a token; the same 404 for any token that opens nothing."""
    schedule = find_schedule(token)
    if schedule is None:
        abort(404)
    return schedule


def week(schedule: Schedule, zone: ZoneInfo | None) -> list[tuple[str, list[Pick]]]:
    """The plan's meetings by weekday in the seeker's zone (or each meeting's own), overlaps named."""
    now = fixed_now() or datetime.now(UTC)
    rows = picked_meetings(schedule)
    picks = [meeting for _, meeting in rows]
    names = {meeting.id: meeting.name for meeting in picks}
    clashes: dict[int, list[str]] = defaultdict(list)
    for first, second in schedule_overlaps(rows):
        clashes[first].append(names[second])
        clashes[second].append(names[first])
    days: dict[int, list[tuple[datetime, Pick]]] = defaultdict(list)
    for meeting in picks:
        shown = when(meeting, zone, now)
        start = shown.next_local.astimezone(zone) if zone else shown.next_local
        days[day_of(start)].append((start, Pick(meeting, shown, tuple(clashes[meeting.id]))))
    return [(str(DAY_NAMES[day]), [pick for _, pick in sorted(days[day], key=lambda item:
                                                              (item[0].time(), item[1].meeting.id))])
            for day in sorted(days)]


@bp.get("/plan")
def mine() -> Response | str:
    """This browser's plan, or how to start one."""
    token = request.cookies.get(PLAN_COOKIE)
    if token and find_schedule(token) is not None:
        return redirect(url_for(".manage", token=token))
    return render_template("schedules/none.html")


@bp.post("/plan/meetings")
def add() -> Response:
    """Add a meeting to this browser's plan, making the plan on the first pick, and go back to the
    meeting's page (with the search it was found by) with a notice."""
    token = request.cookies.get(PLAN_COOKIE)
    schedule = find_schedule(token) if token else None
    if schedule is None:
        schedule, token = create_schedule()
    meeting_id = request.form.get("meeting_id", "")
    try:
        pick, _ = add_meeting(schedule, meeting_id)
    except ScheduleError:
        db.session.rollback()
        known = row_id(meeting_id)
        if known is None or db.session.get(Meeting, known) is None:
            abort(400)
        flash(gettext("This meeting can no longer be added: its source stopped listing it."), "error")
        return redirect(url_for("meetings.show", meeting_id=known))
    db.session.commit()
    flash(gettext("Added “%(name)s” to your plan.", name=pick.meeting.name))
    search = request.form.get("search", "")[:1000] or None
    return remember(redirect(url_for("meetings.show", meeting_id=pick.meeting_id, search=search)), token)


@bp.get("/schedules/<token>")
def manage(token: str) -> tuple[str, int, dict[str, str]]:
    """The private manage page: the week, overlaps, subscribe links, and the plan's settings."""
    schedule = schedule_or_404(token)
    urls = schedule_urls(token)
    google = "https://calendar.google.com/calendar/render?cid=" + quote(urls["webcal_url"], safe="")
    zone = seeker_zone()
    html = render_template("schedules/manage.html", schedule=schedule, token=token,
                           week=week(schedule, zone), urls=urls, google_url=google,
                           zone_known=zone is not None)
    return html, 200, PRIVATE_HEADERS


@bp.post("/schedules/<token>/meetings/<int:meeting_id>/remove")
def remove(token: str, meeting_id: int) -> Response:
    """Take a meeting out of the plan."""
    schedule = schedule_or_404(token)
    if remove_meeting(schedule, meeting_id):
        db.session.commit()
        flash(gettext("Removed from your plan."))
    return redirect(url_for(".manage", token=token))


@bp.post("/schedules/<token>/settings")
def settings(token: str) -> Response | tuple[str, int, dict[str, str]]:
    """Rename the plan, and choose discreet titles and a reminder for the calendar."""
    schedule = schedule_or_404(token)
    reminder = request.form.get("reminder_minutes", "")
    changes = {"name": request.form.get("name", ""), "discreet": "discreet" in request.form,
               "reminder_minutes": int(reminder) if reminder.isascii() and reminder.isdigit() else None}
    try:
        update_schedule(schedule, changes)
    except ScheduleError as error:
        db.session.rollback()
        if error.field == "name":
            flash(gettext("A plan's name must be 1 to 120 characters."), "error")
        else:
            flash(gettext("Choose a reminder from the list."), "error")
        return redirect(url_for(".manage", token=token))
    set_language(schedule)
    db.session.commit()
    flash(gettext("Saved."))
    return redirect(url_for(".manage", token=token))


@bp.post("/schedules/<token>/rotate")
def rotate(token: str) -> Response:
    """Give the plan a new secret link; the old page and calendar address stop working."""
    schedule = schedule_or_404(token)
    new_token = rotate_token(schedule)
    db.session.commit()
    flash(gettext("The plan has a new link. Subscribe your calendar again with the new address."))
    response = redirect(url_for(".manage", token=new_token))
    return remember(response, new_token) if request.cookies.get(PLAN_COOKIE) == token else response


@bp.post("/schedules/<token>/delete")
def delete(token: str) -> Response:
    """Delete the plan and its calendar feed."""
    schedule = schedule_or_404(token)
    delete_schedule(schedule)
    db.session.commit()
    flash(gettext("Your plan is deleted."))
    response = redirect(url_for(".mine"))
    return remember(response, None) if request.cookies.get(PLAN_COOKIE) == token else response


@bp.get("/feeds/<token>.ics")
def feed(token: str) -> Response:
    """The plan's calendar feed; 404 alike for a malformed, unknown, rotated or deleted token.

    A 304 and a warm answer cost one small query: the ETag comes from the plan's stamps, and the
    body is built only when no worker-local copy is kept under that tag.
    """
    stamp = feed_stamp(token)
    if stamp is None:
        abort(404)
    parts, changed = stamp
    pages = meeting_pages()  # one url_for per feed, not one per meeting
    tag = validator("plan", parts, pages, str(get_locale()))
    return calendar_response(tag, changed, 'inline; filename="meetings.ics"', lambda: schedule_feed(
        schedule_or_404(token), lambda meeting_id: f"{pages}/{meeting_id}")[0])
