"""Public meeting pages: the listing and one meeting."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from finder.extensions import db
from finder.models import Meeting

bp = Blueprint("meetings", __name__)

PAGE_SIZE = 50
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@bp.get("/")
def index() -> str:
    """Every listed meeting, by day and time, a page at a time."""
    page = request.args.get("page", 1, type=int)
    query = (
        db.select(Meeting)
        .where(Meeting.removed_at.is_(None))
        .order_by(Meeting.day, Meeting.time, Meeting.name, Meeting.id)
    )
    meetings = db.paginate(query, page=max(page, 1), per_page=PAGE_SIZE, error_out=False)
    return render_template("meetings/index.html", meetings=meetings, day_names=DAY_NAMES)


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int) -> str:
    """One meeting."""
    meeting = db.get_or_404(Meeting, meeting_id)
    return render_template("meetings/show.html", meeting=meeting, day_names=DAY_NAMES)
