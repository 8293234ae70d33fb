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
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from finder.extensions import db
from finder.moderation import accounts, actions
from finder.submissions.models import Moderator, Submission, SubmissionStatus
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
    """Pending submissions, oldest first, each as a diff against the current listing."""
    pending = db.session.execute(
        db.select(Submission).where(Submission.status == SubmissionStatus.PENDING)
        .order_by(Submission.created_at, Submission.id)
    ).scalars().all()
    decided = db.session.execute(
        db.select(Submission).where(Submission.status != SubmissionStatus.PENDING)
        .order_by(Submission.decided_at.desc(), Submission.id.desc()).limit(20)
    ).scalars().all()
    return render_template("moderation/queue.html", pending=[_view(s) for s in pending],
                           decided=decided)


@bp.get("/<int:submission_id>")
@login_required
def review(submission_id: int) -> str:
    """One submission with its diff, the submitter's private contact, and the decision."""
    submission = db.get_or_404(Submission, submission_id)
    return render_template("moderation/review.html", item=_view(submission))


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
    flash(f"{submission.reference}: {record.action}.", "done")
    return redirect(url_for("moderation.review", submission_id=submission_id), 303)


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
    flash(f"{submission.reference}: rejected.", "done")
    return redirect(url_for("moderation.queue"), 303)


def _view(submission: Submission) -> dict[str, Any]:
    meeting = submission.meeting
    imported = meeting is not None and not is_local(meeting)
    return {
        "submission": submission,
        "rows": actions.diff(submission),
        "imported": imported,
        "feedback": feedback_address(meeting) if imported else None,
    }
