"""The public "report a problem" form of a meeting: no account, no contact, rate-limited."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from finder.extensions import db
from finder.models import Meeting
from finder.reports.models import NOTE_LIMIT, REASON_LABELS
from finder.reports.service import ReportError, add_report, check_report
from finder.submissions.ratelimit import SubmissionLimitReached, limit_reports, take_report_slot
from finder.submissions.service import client_hash
from finder.web.responses import form_expired

bp = Blueprint("reports", __name__)
bp.register_error_handler(CSRFError, form_expired)


@bp.route("/meetings/<int:meeting_id>/report", methods=["GET", "POST"])
@limit_reports
def report(meeting_id: int) -> tuple[str, int] | Response:
    """Ask what went wrong; store the report and go back to the meeting with a thank-you."""
    meeting = db.get_or_404(Meeting, meeting_id)
    if not meeting.is_listed:
        abort(410)
    values = request.form.to_dict() if request.method == "POST" else {}
    error: tuple[str, str] | None = None
    if request.method == "POST":
        try:
            reason, note = check_report(values)
        except ReportError as exc:
            error = (exc.field, gettext(str(exc)))
        else:
            if not take_report_slot():  # counted atomically, as submissions are
                raise SubmissionLimitReached
            add_report(meeting, reason, note, client_hash())
            db.session.commit()
            flash(gettext("Thank you. A moderator will look at this listing."), "done")
            return redirect(url_for("meetings.show", meeting_id=meeting.id), 303)
    page = render_template("reports/form.html", meeting=meeting, values=values, error=error,
                           reasons=[(r.value, gettext(label)) for r, label in REASON_LABELS.items()],
                           note_limit=NOTE_LIMIT)
    return page, 400 if error else 200
