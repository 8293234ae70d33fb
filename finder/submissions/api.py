"""JSON API for submissions: ``POST /api/v1/submissions`` (rate-limited like the form)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from werkzeug.wrappers import Response

from finder.api.openapi import MESSAGES, ApiPart, json_body, or_refused, ref
from finder.api.patterns import PATTERN_FIELDS
from finder.extensions import db
from finder.models import Meeting
from finder.submissions.ratelimit import limit_submissions
from finder.submissions.rules import ATTENDANCE_CHOICES, FORM_ORDER, KINDS, LIMITS
from finder.submissions.service import submit
from finder.web.edge import row_id

bp = Blueprint("submissions", __name__)


@bp.post("/submissions")
@limit_submissions
def create() -> tuple[Response, int]:
    """Store a submission: 201 with its reference, or 400 with an error per field."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(errors={"body": "Send a JSON object (Content-Type: application/json)."}), 400
    kind = data.get("kind")
    if kind not in KINDS:
        return jsonify(errors={"kind": "One of: " + ", ".join(KINDS) + "."}), 400
    meeting = _meeting(data.get("meeting_id"))
    checked, submission = submit(kind, data, meeting)
    if submission is None:
        return jsonify(errors=checked.errors, warnings=checked.warnings), 400
    db.session.commit()
    body: dict[str, Any] = {
        "reference": submission.reference,
        "status": submission.status.value,
        "warnings": checked.warnings,
        "receipt_url": url_for("submissions.receipt", reference=submission.reference,
                               _external=True),
    }
    return jsonify(body), 201


def _meeting(value: object) -> Meeting | None:
    meeting_id = row_id(value)
    return db.session.get(Meeting, meeting_id) if meeting_id is not None else None


def _describe() -> ApiPart:
    """This endpoint's part of the OpenAPI document."""
    fields: dict[str, Any] = {name: {"type": "string", "maxLength": limit}
                              for name, limit in LIMITS.items()}
    fields |= {
        "kind": {"enum": list(KINDS)},
        "meeting_id": {"type": "integer", "description": "the meeting a change or closure is about"},
        "day": {"type": ["integer", "string"], "description": "0 = Sunday .. 6, or a day name"},
        "time": {"type": "string", "description": "HH:MM, local"},
        "end_time": {"type": "string", "description": "HH:MM; after the start or past midnight"},
        "timezone": {"type": "string", "description": "IANA zone; left out, an in-person or "
                                                      "hybrid meeting takes the zone of its city or "
                                                      "postal code"},
        "recurrence": {"anyOf": [{"type": "object", "properties": PATTERN_FIELDS,
                                  "additionalProperties": False}, {"type": "null"}],
                       "description": "how often it meets; left out or null: every week. "
                                      "weeks needs interval and anchor (a date on its day); "
                                      "monthly needs nths; cancelled and moved dates must be "
                                      "dates it meets"},
        "attendance_option": {"enum": list(ATTENDANCE_CHOICES)},
        "types": {"type": "array", "items": {"type": "string"}},
        "fellowship": {"type": "string"},
        "contact": {"type": "string", "maxLength": LIMITS["contact"],
                    "description": "email or phone for the moderator; never published"},
    }
    schemas = {
        "SubmissionRequest": {
            "type": "object", "required": ["kind", "contact"],
            "properties": {name: fields[name] for name in FORM_ORDER if name in fields},
        },
        "SubmissionErrors": {
            "type": "object", "required": ["errors"],
            "properties": {"errors": MESSAGES, "warnings": MESSAGES},
        },
    }
    return ApiPart(bp, schemas=schemas, paths={"/submissions": {"post": {
        "operationId": "createSubmission",
        "summary": "Propose a new meeting, a change, or a (temporary) closure",
        "description": "Rules: in person and hybrid need a street address and a city or postal "
                       "code; online and hybrid need a link on a known service (https:// may be "
                       "left out) or a phone; online meetings need a zone. "
                       "Stored submissions count against a per-client limit (429 past it).",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref("SubmissionRequest")}}},
        "responses": {
            "201": json_body({"type": "object", "required": ["reference", "status"], "properties": {
                "reference": {"type": "string"}, "status": {"type": "string"},
                "warnings": MESSAGES, "receipt_url": {"type": "string"}}}, "stored, pending review"),
            "400": json_body(or_refused(ref("SubmissionErrors")), "an error per field"),
            "429": {"description": "too many submissions; see Retry-After",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
        },
    }}})


PART = _describe()
