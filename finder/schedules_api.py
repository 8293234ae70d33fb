"""JSON API for schedules: create, pick and drop meetings, settings, token rotation, delete."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError

from finder.enums import Attendance
from finder.extensions import db
from finder.models import utcnow
from finder.overlaps import overlapping_pairs
from finder.schedule_models import Schedule
from finder.schedules import (
    ScheduleError,
    add_meeting,
    create_schedule,
    delete_schedule,
    find_schedule,
    picked_meetings,
    remove_meeting,
    rotate_token,
    update_schedule,
)

bp = Blueprint("schedules_api", __name__, url_prefix="/api/v1/schedules")

NOT_FOUND = {"error": "not found"}


def schedule_urls(token: str) -> dict[str, str]:
    """The feed (https and webcal) and manage URLs that a token opens."""
    feed_url = url_for("schedule_feeds.schedule_ics", token=token, _external=True)
    return {
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "manage_url": url_for("schedule_pages.manage", token=token, _external=True),
    }


def schedule_overlaps(schedule: Schedule) -> list[tuple[int, int]]:
    """Id pairs of the schedule's meetings that clash in the coming week (listed, active ones)."""
    slots = [meeting for _, meeting in picked_meetings(schedule)
             if meeting.removed_at is None and meeting.attendance_option is not Attendance.INACTIVE]
    return overlapping_pairs(slots, utcnow())


def describe(schedule: Schedule) -> dict[str, Any]:
    """The schedule as the API shows it (no token: the caller already holds it)."""
    meetings = [
        {
            "id": meeting.id,
            "name": meeting.name,
            "day": meeting.day,
            "time": meeting.time,
            "end_time": meeting.end_time,
            "timezone": meeting.timezone,
            "attendance_option": meeting.attendance_option.value,
            "listed": meeting.removed_at is None,
            "added_at": pick.added_at.isoformat(),
            "url": url_for("meetings.show", meeting_id=meeting.id, _external=True),
        }
        for pick, meeting in picked_meetings(schedule)
    ]
    return {
        "name": schedule.name,
        "discreet": schedule.discreet,
        "reminder_minutes": schedule.reminder_minutes,
        "meetings": meetings,
        "overlaps": [{"meeting_ids": list(pair)} for pair in schedule_overlaps(schedule)],
    }


def _error(exc: ScheduleError) -> tuple[Response, int]:
    return jsonify(error=exc.message, field=exc.field), 400


def _json_object() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise ScheduleError("body", "expected a JSON object")
    return body


def _not_found() -> tuple[Response, int]:
    return jsonify(NOT_FOUND), 404


@bp.post("")
def create() -> tuple[Response, int]:
    """Create a schedule; the token is in this response and nowhere else."""
    try:
        schedule, token = create_schedule(_json_object())
    except ScheduleError as exc:
        return _error(exc)
    db.session.commit()
    return jsonify(token=token, **schedule_urls(token)), 201


@bp.get("/<token>")
def show(token: str) -> Response | tuple[Response, int]:
    """The schedule's name, settings, meetings and overlapping picks."""
    schedule = find_schedule(token)
    if schedule is None:
        return _not_found()
    return jsonify(describe(schedule) | schedule_urls(token))


@bp.patch("/<token>")
def update(token: str) -> Response | tuple[Response, int]:
    """Rename, or change the discreet-title and reminder settings."""
    schedule = find_schedule(token)
    if schedule is None:
        return _not_found()
    try:
        update_schedule(schedule, _json_object())
    except ScheduleError as exc:
        db.session.rollback()
        return _error(exc)
    db.session.commit()
    return jsonify(describe(schedule))


@bp.delete("/<token>")
def delete(token: str) -> tuple[str, int] | tuple[Response, int]:
    """Delete the schedule; its feed URL answers 404 from now on."""
    schedule = find_schedule(token)
    if schedule is None:
        return _not_found()
    delete_schedule(schedule)
    db.session.commit()
    return "", 204


@bp.post("/<token>/rotate")
def rotate(token: str) -> Response | tuple[Response, int]:
    """A new token and URLs; the old ones stop working, calendar entries keep their UIDs."""
    schedule = find_schedule(token)
    if schedule is None:
        return _not_found()
    new_token = rotate_token(schedule)
    db.session.commit()
    return jsonify(token=new_token, **schedule_urls(new_token))


@bp.post("/<token>/meetings")
def add(token: str) -> tuple[Response, int]:
    """Pick a meeting: 201 when added, 200 when it was already there."""
    schedule = find_schedule(token)
    if schedule is None:
        return _not_found()
    try:
        body = _json_object()
        if "meeting_id" not in body:
            raise ScheduleError("meeting_id", "required")
        _, added = add_meeting(schedule, body["meeting_id"])
    except ScheduleError as exc:
        db.session.rollback()
        return _error(exc)
    try:
        db.session.commit()
    except IntegrityError:
        # The same pick made by a concurrent request won the race: it is there, as asked.
        db.session.rollback()
        added = False
    return jsonify(describe(schedule)), 201 if added else 200


@bp.delete("/<token>/meetings/<int:meeting_id>")
def drop(token: str, meeting_id: int) -> tuple[str, int] | tuple[Response, int]:
    """Drop a meeting from the schedule."""
    schedule = find_schedule(token)
    if schedule is None or not remove_meeting(schedule, meeting_id):
        return _not_found()
    db.session.commit()
    return "", 204
