"""Storing reports, telling when a meeting is marked "reported", and clearing the mark."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from finder.enums import N_
from finder.extensions import db
from finder.models import Meeting, utcnow
from finder.reports.models import NOTE_LIMIT, MeetingReport, ReportReason
from finder.submissions.models import AuditRecord, Moderator
from finder.submissions.rules import clean_text

WINDOW = timedelta(days=14)
REPORTS_TO_MARK = 3


class ReportError(ValueError):
    """A report that cannot be stored, with the field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_report(data: dict[str, Any]) -> tuple[ReportReason, str | None]:
    """The reason and the trimmed plain-text note of a posted report; ReportError if unusable."""
    try:
        reason = ReportReason(data.get("reason"))
    except ValueError:
        raise ReportError("reason", N_("Choose what went wrong.")) from None
    note = clean_text(data.get("note"))
    if note and len(note) > NOTE_LIMIT:
        raise ReportError("note", N_("Keep the note under 280 characters."))
    return reason, note


def add_report(meeting: Meeting, reason: ReportReason, note: str | None, client: str) -> MeetingReport:
    """Store an open report of ``meeting``; the caller commits."""
    report = MeetingReport(meeting=meeting, reason=reason, note=note, client_hash=client)
    db.session.add(report)
    return report


def marked(reports: Iterable[tuple[str, datetime]]) -> bool:
    """True when open reports from ``REPORTS_TO_MARK`` different clients fall within 14 days.

    ``reports`` are (client hash, time) pairs; one client's repeats count once.
    """
    ordered = sorted(reports, key=lambda report: report[1])
    for index, (_client, start) in enumerate(ordered):
        clients = {client for client, when in ordered[index:] if when - start <= WINDOW}
        if len(clients) >= REPORTS_TO_MARK:
            return True
    return False


def open_reports(meeting_id: int) -> Sequence[MeetingReport]:
    """A meeting's reports that no moderator has cleared, newest first."""
    return db.session.execute(
        db.select(MeetingReport).where(MeetingReport.meeting_id == meeting_id,
                                       MeetingReport.cleared_at.is_(None))
        .order_by(MeetingReport.created_at.desc(), MeetingReport.id.desc())
    ).scalars().all()


def is_reported(meeting_id: int) -> bool:
    """True while the meeting carries the "reported" mark (until a moderator clears it)."""
    return marked((r.client_hash, r.created_at) for r in open_reports(meeting_id))


@dataclass(frozen=True)
class ReportGroup:
    """A meeting's open reports, as the moderation queue lists them."""

    meeting: Meeting
    count: int
    reasons: tuple[ReportReason, ...]
    latest: datetime
    reported: bool


def open_groups() -> list[ReportGroup]:
    """Every meeting with open reports, marked ones first, then by the latest report."""
    reports = db.session.execute(
        db.select(MeetingReport).where(MeetingReport.cleared_at.is_(None))
        .order_by(MeetingReport.meeting_id, MeetingReport.created_at)
    ).scalars().all()
    by_meeting: dict[int, list[MeetingReport]] = {}
    for report in reports:
        by_meeting.setdefault(report.meeting_id, []).append(report)
    groups = [
        ReportGroup(items[0].meeting, len(items), tuple(dict.fromkeys(r.reason for r in items)),
                    max(r.created_at for r in items),
                    marked((r.client_hash, r.created_at) for r in items))
        for items in by_meeting.values()
    ]
    return sorted(groups, key=lambda g: (not g.reported, -g.latest.timestamp()))


def clear(meeting: Meeting, moderator: Moderator, now: datetime | None = None) -> int:
    """Close a meeting's open reports (the mark goes) and record who did it; the caller commits."""
    now = now or utcnow()
    reports = open_reports(meeting.id)
    for report in reports:
        report.cleared_at, report.cleared_by_id = now, moderator.id
    db.session.add(AuditRecord(moderator=moderator, action="clear reports", meeting_id=meeting.id,
                               detail=f"{len(reports)} report(s)", created_at=now))
    return len(reports)
