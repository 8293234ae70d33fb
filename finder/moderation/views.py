"""Moderators' pages: login, the review queue with diffs, approve, reject."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, pgettext
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.wrappers import Response

from finder.extensions import db
from finder.models import Meeting
from finder.moderation import accounts, actions, preview
from finder.reports import service as reports
from finder.reports.models import REASON_LABELS
from finder.submissions import recurring
from finder.submissions.models import Moderator, Submission, SubmissionKind, SubmissionStatus
from finder.submissions.service import feedback_address, is_local
from finder.web.responses import form_expired

bp = Blueprint("moderation", __name__, url_prefix="/moderate")
bp.register_error_handler(CSRFError, form_expired)
SESSION_KEY = "moderator_id"


def safe_next(target: str) -> str | None:
    """``target`` if it is a path on this site once browsers have read it, else None.

    Browsers drop tabs and newlines and read a backslash as a slash, so a path holding any of
    them could lead off the site; only a plain absolute path is kept.
    """
    cleaned = "".join(ch for ch in target if ch not in "\t\r\n").replace("\\", "/")
    if cleaned != target or not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    parts = urlsplit(cleaned)
    return cleaned if not parts.scheme and not parts.netloc else None


@bp.before_request
def load_moderator() -> None:
    """Put the logged-in moderator (or None) on ``g``."""
    moderator_id = session.get(SESSION_KEY)
    g.moderator = db.session.get(Moderator, moderator_id) if moderator_id else None


@bp.after_request
def private(response: Response) -> Response:
    """Moderator pages hold submitters' contacts: never cache them anywhere."""
    response.headers["Cache-Control"] = "no-store"
    return response


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send visitors who are not logged in to the login page, then back."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.moderator is None:
            return redirect(url_for("moderation.login", next=request.path))
        return view(*args, **kwargs)

    return wrapped


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """Log in with email and password."""
    target = safe_next(request.values.get("next", "")) or url_for("moderation.queue")
    if request.method == "GET":
        return render_template("moderation/login.html", next=target, email="", failed=False), 200
    email = request.form.get("email", "")
    moderator = accounts.authenticate(email, request.form.get("password", ""))
    db.session.commit()  # keep the failure count, or the login time
    if moderator is None:
        page = render_template("moderation/login.html", next=target, email=email, failed=True)
        return page, 401
    session.clear()  # a fresh session on login (no fixation)
    session[SESSION_KEY] = moderator.id
    return redirect(target, 303)


@bp.post("/logout")
def logout() -> Response:
    """Log out."""
    session.clear()
    return redirect(url_for("moderation.login"), 303)


@bp.get("")
@login_required
def queue() -> str:
    """Pending submissions, oldest first, one line each; the latest decisions below."""
    pending = db.session.execute(
        db.select(Submission).where(Submission.status == SubmissionStatus.PENDING)
        .order_by(Submission.created_at, Submission.id)
    ).scalars().all()
    decided = db.session.execute(
        db.select(Submission).where(Submission.status != SubmissionStatus.PENDING)
        .order_by(Submission.decided_at.desc(), Submission.id.desc()).limit(20)
    ).scalars().all()
    return render_template("moderation/queue.html", pending=pending, decided=decided,
                           report_groups=reports.open_groups(), reason_labels=REASON_LABELS)


@bp.get("/<int:submission_id>")
@login_required
def review(submission_id: int) -> str:
    """One submission with its diff, the submitter's private contact, and the decision."""
    return _review(db.get_or_404(Submission, submission_id))[0]


@bp.post("/<int:submission_id>/recurrence")
@login_required
def edit_recurrence(submission_id: int) -> Response | tuple[str, int]:
    """Change how often the proposed meeting meets, before approving it."""
    submission = db.get_or_404(Submission, submission_id)
    try:
        actions.edit_recurrence(submission, g.moderator, recurring.from_form(request.form))
    except recurring.PatternError as exc:
        values = request.form.to_dict() | {"nths": request.form.getlist("nths")}
        return _review(submission, values, gettext(exc.message), 400)
    except actions.DecisionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("moderation.review", submission_id=submission_id), 303)
    db.session.commit()
    flash(gettext("How often: %(sentence)s", sentence=recurring.sentence(submission.proposed, gettext, pgettext)),
          "done")
    return redirect(url_for("moderation.review", submission_id=submission_id), 303)


def _review(submission: Submission, values: dict[str, Any] | None = None, error: str | None = None,
            status: int = 200) -> tuple[str, int]:
    item = _view(submission)
    if submission.kind in (SubmissionKind.NEW, SubmissionKind.CHANGE) and submission.proposed:
        item["landing"] = preview.landing(submission.proposed)
        point = (item["landing"].latitude, item["landing"].longitude) if item["landing"] else None
        item["lookalikes"] = preview.lookalikes(submission, point)
        item["repeat_values"] = values or recurring.form_fields(submission.proposed.get("recurrence"))
        item["repeat_error"] = error
    return render_template("moderation/review.html", item=item), status


@bp.post("/<int:submission_id>/approve")
@login_required
def approve(submission_id: int) -> Response:
    """Apply the submission to the listing (or forward it to the source that owns the meeting)."""
    submission = db.get_or_404(Submission, submission_id)
    try:
        record = actions.approve(submission, g.moderator)
    except actions.DecisionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("moderation.review", submission_id=submission_id), 303)
    db.session.commit()
    flash(_decision_message(submission, record.action), "done")
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/<int:submission_id>/reject")
@login_required
def reject(submission_id: int) -> Response:
    """Refuse the submission with a reason."""
    submission = db.get_or_404(Submission, submission_id)
    try:
        actions.reject(submission, g.moderator, request.form.get("reason", ""))
    except actions.DecisionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("moderation.review", submission_id=submission_id), 303)
    db.session.commit()
    flash(gettext("%(reference)s rejected; the submitter sees your reason on its status page.",
                  reference=submission.reference), "done")
    return redirect(url_for("moderation.queue"), 303)


@bp.get("/reports/<int:meeting_id>")
@login_required
def meeting_reports(meeting_id: int) -> str:
    """A meeting's open problem reports, and the button that clears them."""
    meeting = db.get_or_404(Meeting, meeting_id)
    items = reports.open_reports(meeting.id)
    return render_template("moderation/reports.html", meeting=meeting, reports=items,
                           reported=reports.marked((r.client_hash, r.created_at) for r in items),
                           reason_labels=REASON_LABELS)


@bp.post("/reports/<int:meeting_id>/clear")
@login_required
def clear_reports(meeting_id: int) -> Response:
    """Close a meeting's open reports: its "reported" mark goes."""
    meeting = db.get_or_404(Meeting, meeting_id)
    count = reports.clear(meeting, g.moderator)
    db.session.commit()
    message = Markup("{} <a href=\"{}\">{}</a>").format(
        gettext("Cleared %(count)d report(s) of “%(name)s”.", count=count, name=meeting.name),
        url_for("meetings.show", meeting_id=meeting.id), gettext("See the meeting"))
    flash(message, "done")
    return redirect(url_for("moderation.queue"), 303)


def _decision_message(submission: Submission, action: str) -> Markup:
    """One sentence on what the approval did, with a link to the meeting where it is listed."""
    meeting = submission.meeting
    name = meeting.name if meeting else submission.reference
    if action == "forward":
        text = gettext("“%(name)s” is marked forwarded to the source that lists it.", name=name)
    elif submission.kind == SubmissionKind.CLOSURE:
        text = gettext("“%(name)s” is marked closed.", name=name)
    elif submission.kind == SubmissionKind.NEW:
        text = gettext("Approved: “%(name)s” is listed now.", name=name)
    else:
        text = gettext("Approved: “%(name)s” is updated.", name=name)
    message = Markup("{} ").format(text)
    if meeting is not None and meeting.is_listed:
        message += Markup('<a href="{}">{}</a>').format(
            url_for("meetings.show", meeting_id=meeting.id), gettext("See the meeting"))
    return message


def _view(submission: Submission) -> dict[str, Any]:
    meeting = submission.meeting
    imported = meeting is not None and not is_local(meeting)
    return {
        "submission": submission,
        "rows": actions.diff(submission),
        "imported": imported,
        "feedback": feedback_address(meeting) if imported else None,
    }
