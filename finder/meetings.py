"""Public meeting pages: the listing and one meeting."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from flask_babel import format_datetime, lazy_gettext

from finder.extensions import db
from finder.localtime import next_start, seeker_zone
from finder.models import Meeting
from importers.duplicates import listings

bp = Blueprint("meetings", __name__)

PAGE_SIZE = 50
DAY_NAMES = (
    lazy_gettext("Sunday"), lazy_gettext("Monday"), lazy_gettext("Tuesday"),
    lazy_gettext("Wednesday"), lazy_gettext("Thursday"), lazy_gettext("Friday"),
    lazy_gettext("Saturday"),
)


@dataclass(frozen=True)
class When:
    """A meeting's weekly time in its own zone, and its next start in the seeker's zone."""

    local: str
    zone: str
    next_local: datetime
    seeker: str | None
    seeker_zone: str | None
    zone_known: bool

    @property
    def next_shown(self) -> datetime:
        """The next start in the seeker's zone where it differs, else in the meeting's own."""
        return self.next_local.astimezone(ZoneInfo(self.seeker_zone)) if self.seeker_zone else self.next_local


def when(meeting: Meeting, zone: ZoneInfo | None, now: datetime | None = None,
         start: datetime | None = None) -> When:
    """How to show a meeting's time: its own, and the seeker's where the two zones differ.

    ``start`` is the next start when the caller already has it (the search computes it).
    """
    local = f"{DAY_NAMES[meeting.day]} {meeting.time}"
    if meeting.end_time:
        local += f"–{meeting.end_time}"
    start = (start.astimezone(ZoneInfo(meeting.timezone)) if start is not None
             else next_start(meeting.day, meeting.time, meeting.timezone, now))
    seeker = None
    if zone is not None and start.astimezone(zone).utcoffset() != start.utcoffset():
        seeker = format_datetime(start.astimezone(zone), "EEEE HH:mm", rebase=False)
    return When(local, meeting.timezone, start, seeker, str(zone) if seeker else None, zone is not None)


@bp.get("/meetings")
def index() -> str:
    """Every listed meeting, by day and time, a page at a time."""
    page = request.args.get("page", 1, type=int)
    query = (
        db.select(Meeting)
        .where(Meeting.removed_at.is_(None), Meeting.duplicate_of_id.is_(None))
        .order_by(Meeting.day, Meeting.time, Meeting.name, Meeting.id)
    )
    meetings = db.paginate(query, page=max(page, 1), per_page=PAGE_SIZE, error_out=False)
    return render_template("meetings/index.html", meetings=meetings, day_names=DAY_NAMES)


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int) -> tuple[str, int]:
    """One meeting: when in both zones, where, how to join, what kind, and who lists it.

    A meeting its source no longer lists answers 410 with a notice, so a link kept in a plan or a
    calendar explains itself instead of failing.
    """
    meeting = db.get_or_404(Meeting, meeting_id)
    sources = [listed.source.name for listed in listings(meeting)] if meeting.removed_at is None else []
    page = render_template("meetings/show.html", meeting=meeting, when=when(meeting, seeker_zone()),
                           listed_by=sorted(set(sources), key=sources.index))
    return page, 200 if meeting.removed_at is None else 410
