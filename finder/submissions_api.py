"""JSON API for submissions: ``POST /api/v1/submissions``.

Exempt from the cookie CSRF check: it reads no cookie and no session, so a forged cross-site
request gains nothing a direct request would not (and browsers cannot send ``application/json``
cross-site without a CORS preflight, which this app never grants). The rate limit still applies.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from werkzeug.wrappers import Response

from finder.extensions import csrf, db
from finder.models import Meeting
from finder.ratelimit import limit_submissions
from finder.submission_rules import KINDS
from finder.submissions import submit

bp = Blueprint("submissions_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


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
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        return None
    return db.session.get(Meeting, int(value))
