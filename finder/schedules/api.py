"""JSON API for schedules: create, pick and drop meetings, settings, token rotation, delete."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.exc import IntegrityError

from finder.api.openapi import CLOCK, ApiPart, json_body, or_refused, param, ref
from finder.extensions import db
from finder.schedules import service
from finder.schedules.models import Schedule
from finder.schedules.service import MAX_NAME, MAX_REMINDER_MINUTES, ScheduleError
from finder.web.responses import meeting_pages

bp = Blueprint("schedules", __name__, url_prefix="/schedules")

NOT_FOUND = {"error": "not found"}


def describe(schedule: Schedule) -> dict[str, Any]:
    """The schedule as the API shows it (no token: the caller already holds it)."""
    picks = service.picked_meetings(schedule)
    pages = meeting_pages()
    meetings = [
        {
            "id": meeting.id,
            "name": meeting.name,
            "day": meeting.day,
            "time": meeting.time,
            "end_time": meeting.end_time,
            "timezone": meeting.timezone,
            "attendance_option": meeting.attendance_option.value,
            "listed": meeting.is_listed,
            "added_at": pick.added_at.isoformat(),
            "url": f"{pages}/{meeting.id}",
        }
        for pick, meeting in picks
    ]
    return {
        "name": schedule.name,
        "discreet": schedule.discreet,
        "reminder_minutes": schedule.reminder_minutes,
        "meetings": meetings,
        "overlaps": [{"meeting_ids": list(pair)} for pair in service.schedule_overlaps(picks)],
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
        schedule, token = service.create_schedule(_json_object())
    except ScheduleError as exc:
        return _error(exc)
    db.session.commit()
    return jsonify(token=token, **service.schedule_urls(token)), 201


@bp.get("/<token>")
def show(token: str) -> Response | tuple[Response, int]:
    """The schedule's name, settings, meetings and overlapping picks."""
    schedule = service.find_schedule(token)
    if schedule is None:
        return _not_found()
    return jsonify(describe(schedule) | service.schedule_urls(token))


@bp.patch("/<token>")
def update(token: str) -> Response | tuple[Response, int]:
    """Rename, or change the discreet-title and reminder settings."""
    schedule = service.find_schedule(token)
    if schedule is None:
        return _not_found()
    try:
        service.update_schedule(schedule, _json_object())
    except ScheduleError as exc:
        db.session.rollback()
        return _error(exc)
    db.session.commit()
    return jsonify(describe(schedule))


@bp.delete("/<token>")
def delete(token: str) -> tuple[str, int] | tuple[Response, int]:
    """Delete the schedule; its feed URL answers 404 from now on."""
    schedule = service.find_schedule(token)
    if schedule is None:
        return _not_found()
    service.delete_schedule(schedule)
    db.session.commit()
    return "", 204


@bp.post("/<token>/rotate")
def rotate(token: str) -> Response | tuple[Response, int]:
    """A new token and URLs; the old ones stop working, calendar entries keep their UIDs."""
    schedule = service.find_schedule(token)
    if schedule is None:
        return _not_found()
    new_token = service.rotate_token(schedule)
    db.session.commit()
    return jsonify(token=new_token, **service.schedule_urls(new_token))


@bp.post("/<token>/meetings")
def add(token: str) -> tuple[Response, int]:
    """Pick a meeting: 201 when added, 200 when it was already there."""
    schedule = service.find_schedule(token)
    if schedule is None:
        return _not_found()
    try:
        body = _json_object()
        if "meeting_id" not in body:
            raise ScheduleError("meeting_id", "required")
        _, added = service.add_meeting(schedule, body["meeting_id"])
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
    schedule = service.find_schedule(token)
    if schedule is None or not service.remove_meeting(schedule, meeting_id):
        return _not_found()
    db.session.commit()
    return "", 204


_TOKEN = param("token", "the schedule's secret token (shown once, when it is made or rotated)",
               {"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"}, "path", True)
_NOT_FOUND = json_body(ref("NotFound"), "no schedule has this token (malformed, unknown, "
                                        "rotated or deleted: the same answer for each)")
_BAD = json_body(or_refused(ref("ScheduleError")), "a bad value, with the field at fault")
_SCHEDULE = json_body(ref("Schedule"), "the schedule")
_SETTINGS_BODY = {"required": False, "content": {"application/json": {"schema": ref("ScheduleSettings")}}}

PART = ApiPart(bp, paths={
    "/schedules": {"post": {
        "operationId": "createSchedule",
        "summary": "Make a private weekly plan; its token is in this answer and nowhere else",
        "requestBody": _SETTINGS_BODY,
        "responses": {"201": json_body(ref("ScheduleUrls"), "the token and the URLs it opens"),
                      "400": _BAD},
    }},
    "/schedules/{token}": {
        "parameters": [_TOKEN],
        "get": {"operationId": "getSchedule", "summary": "The plan, its meetings and overlaps",
                "responses": {"200": json_body({"allOf": [ref("Schedule"), ref("ScheduleUrls")]},
                                               "the schedule and its URLs"),
                              "404": _NOT_FOUND}},
        "patch": {"operationId": "updateSchedule", "summary": "Rename; discreet titles; reminders",
                  "requestBody": _SETTINGS_BODY,
                  "responses": {"200": _SCHEDULE, "400": _BAD, "404": _NOT_FOUND}},
        "delete": {"operationId": "deleteSchedule", "summary": "Delete the plan and its feed",
                   "responses": {"204": {"description": "deleted"}, "404": _NOT_FOUND}},
    },
    "/schedules/{token}/rotate": {"post": {
        "operationId": "rotateScheduleToken",
        "summary": "A new token; the old URLs answer 404, calendar entries keep their UIDs",
        "parameters": [_TOKEN],
        "responses": {"200": json_body(ref("ScheduleUrls"), "the new token and URLs"),
                      "404": _NOT_FOUND},
    }},
    "/schedules/{token}/meetings": {"post": {
        "operationId": "addScheduleMeeting",
        "summary": "Pick a listed meeting",
        "parameters": [_TOKEN],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["meeting_id"],
            "properties": {"meeting_id": {"type": "integer"}}}}}},
        "responses": {"201": json_body(ref("Schedule"), "added"),
                      "200": json_body(ref("Schedule"), "it was already picked"),
                      "400": _BAD, "404": _NOT_FOUND},
    }},
    "/schedules/{token}/meetings/{meeting_id}": {"delete": {
        "operationId": "dropScheduleMeeting",
        "summary": "Drop a meeting from the plan",
        "parameters": [_TOKEN, param("meeting_id", "meeting id", {"type": "integer"}, "path", True)],
        "responses": {"204": {"description": "dropped"},
                      "404": json_body(ref("NotFound"), "no such schedule, or not in it")},
    }},
}, schemas={
    "ScheduleSettings": {
        "type": "object", "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": MAX_NAME, "pattern": "\\S",
                     "description": "not only spaces"},
            "discreet": {"type": "boolean", "description": "neutral titles, no fellowship names"},
            "reminder_minutes": {"type": ["integer", "null"], "minimum": 0,
                                 "maximum": MAX_REMINDER_MINUTES},
        },
    },
    "ScheduleUrls": {
        "type": "object", "required": ["feed_url", "webcal_url", "manage_url"],
        "properties": {"token": {"type": "string"}, "feed_url": {"type": "string"},
                       "webcal_url": {"type": "string"}, "manage_url": {"type": "string"}},
    },
    "Schedule": {
        "type": "object", "required": ["name", "discreet", "reminder_minutes", "meetings", "overlaps"],
        "properties": {
            "name": {"type": "string"},
            "discreet": {"type": "boolean"},
            "reminder_minutes": {"type": ["integer", "null"]},
            "meetings": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "name", "day", "time", "end_time", "timezone",
                             "attendance_option", "listed", "added_at", "url"],
                "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"},
                    "day": {"type": "integer", "minimum": 0, "maximum": 6},
                    "time": CLOCK, "end_time": {"anyOf": [CLOCK, {"type": "null"}]},
                    "timezone": {"type": "string"}, "attendance_option": {"type": "string"},
                    "listed": {"type": "boolean"}, "added_at": {"type": "string", "format": "date-time"},
                    "url": {"type": "string"},
                }}},
            "overlaps": {"type": "array", "items": {
                "type": "object", "required": ["meeting_ids"],
                "properties": {"meeting_ids": {"type": "array", "items": {"type": "integer"},
                                               "minItems": 2, "maxItems": 2}}}},
        },
    },
    "ScheduleError": {"type": "object", "required": ["error", "field"],
                      "properties": {"error": {"type": "string"}, "field": {"type": "string"}}},
    "NotFound": {"type": "object", "required": ["error"], "properties": {"error": {"const": "not found"}}},
})
