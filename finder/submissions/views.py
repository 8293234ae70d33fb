"""Public submission forms: a new meeting, a change or closure of a listed one, and the receipt."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext, pgettext
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting
from finder.submissions import recurring
from finder.submissions.models import Submission
from finder.submissions.ratelimit import limit_submissions
from finder.submissions.rules import ATTENDANCE_CHOICES
from finder.submissions.service import feedback_address, form_values, is_local, submit
from finder.submissions.timezones import zone_options
from finder.web.i18n import DAY_NAMES
from finder.web.responses import form_expired
from finder.web.templating import source_label
from importers.types import TYPES

bp = Blueprint("submissions", __name__)

KIND_CHOICES = (
    ("change", lazy_gettext("Change its details")),
    ("temporary_closure", lazy_gettext("It is temporarily closed")),
    ("closure", lazy_gettext("It has closed for good")),
)

STATUS_LABELS = {
    "pending": lazy_gettext("Waiting for review"), "approved": lazy_gettext("Approved"),
    "rejected": lazy_gettext("Not accepted"),
    "forwarded": lazy_gettext("Passed on to the source that lists the meeting"),
}
KIND_LABELS = {
    "new": lazy_gettext("New meeting"), "change": lazy_gettext("Change"),
    "closure": lazy_gettext("Closed for good"), "temporary_closure": lazy_gettext("Temporarily closed"),
}


@bp.app_context_processor
def labels() -> dict[str, Any]:
    """Status and kind names for the submission and moderation templates."""
    return {"status_labels": STATUS_LABELS, "kind_labels": KIND_LABELS}


bp.register_error_handler(CSRFError, form_expired)


def form_data() -> dict[str, Any]:
    """The posted form as a plain mapping (``types`` is a list of checkboxes)."""
    data: dict[str, Any] = request.form.to_dict()
    data["types"] = request.form.getlist("types")
    data["nths"] = request.form.getlist("nths")
    data["recurrence"] = recurring.from_form(request.form)
    return data


def translated(messages: dict[str, str]) -> dict[str, str]:
    """The rules' messages in the reader's language (plain text: the template escapes them)."""
    return {name: gettext(text) for name, text in messages.items()}


def render_form(meeting: Meeting | None, values: dict[str, Any], checked: Any = None,
                status: int = 200) -> tuple[str, int]:
    """The submission form, with typed values kept and messages beside their fields."""
    page = render_template(
        "submissions/form.html", meeting=meeting, values=values,
        errors=translated(checked.errors) if checked else {},
        warnings=translated(checked.warnings) if checked else {},
        day_options=list(enumerate(DAY_NAMES)), kinds=KIND_CHOICES, attendance_choices=ATTENDANCE_CHOICES,
        fellowships=[f.value for f in Fellowship], types=TYPES,
        imported=meeting is not None and not is_local(meeting),
        owner_feedback=feedback_address(meeting) if meeting else None,
        zone_options=zone_options(values.get("timezone")),
    )
    return page, status


@bp.route("/submissions/new", methods=["GET", "POST"])
@limit_submissions
def new() -> tuple[str, int] | Response:
    """Propose a new meeting."""
    if request.method == "GET":
        return render_form(None, {"kind": "new", "timezone": "", "attendance_option": "in_person",
                                  "fellowship": "aa"})
    data = form_data() | {"kind": "new"}
    checked, submission = submit("new", data, None)
    if submission is None:
        return render_form(None, data, checked, 400)
    db.session.commit()
    return redirect(url_for("submissions.receipt", reference=submission.reference), 303)


@bp.route("/meetings/<int:meeting_id>/suggest", methods=["GET", "POST"])
@limit_submissions
def suggest(meeting_id: int) -> tuple[str, int] | Response:
    """Propose a change to a listed meeting, or report it closed (prefilled from the listing)."""
    meeting = db.get_or_404(Meeting, meeting_id)
    if not meeting.is_listed:
        abort(410)
    if request.method == "GET":
        return render_form(meeting, form_values(meeting) | {"kind": "change"})
    data = form_data()
    kind = data.get("kind") if data.get("kind") in dict(KIND_CHOICES) else "change"
    data["kind"] = kind
    checked, submission = submit(kind, data, meeting)
    if submission is None:
        return render_form(meeting, data, checked, 400)
    db.session.commit()
    return redirect(url_for("submissions.receipt", reference=submission.reference), 303)


@bp.get("/submissions/<reference>")
def receipt(reference: str) -> str:
    """The status page: pending, approved (with the meeting), rejected (why) or forwarded (where)."""
    submission = db.one_or_404(
        db.select(Submission).where(Submission.reference == reference.upper()[:16])
    )
    meeting = submission.meeting
    imported = meeting is not None and not is_local(meeting)
    when = recurring.sentence(submission.proposed or {}, gettext, pgettext)
    return render_template("submissions/receipt.html", submission=submission, imported=imported,
                           when=when,
                           source_name=source_label(meeting.source) if meeting else None,
                           owner_feedback=feedback_address(meeting) if imported else None)
