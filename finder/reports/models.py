"""The table of attendees' problem reports (no account, no contact: a keyed client hash only)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finder.enums import N_
from finder.extensions import db
from finder.models import Meeting, UTCDateTime, enum_column, utcnow

NOTE_LIMIT = 280


class ReportReason(enum.StrEnum):
    """What went wrong, in the attendee's words."""

    NOBODY_THERE = "nobody_there"
    LINK_BROKEN = "link_broken"
    MOVED = "moved"
    WRONG_TIME = "wrong_time"
    OTHER = "other"


REASON_LABELS = {
    ReportReason.NOBODY_THERE: N_("Nobody was there"),
    ReportReason.LINK_BROKEN: N_("The link or phone number does not work"),
    ReportReason.MOVED: N_("It has moved"),
    ReportReason.WRONG_TIME: N_("The time is wrong"),
    ReportReason.OTHER: N_("Something else"),
}


class MeetingReport(db.Model):
    """One attendee's report of a problem with a listed meeting, open until a moderator clears it."""

    __tablename__ = "meeting_reports"
    __table_args__ = (Index("ix_meeting_reports_open", "meeting_id", "cleared_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(enum_column(ReportReason))
    note: Mapped[str | None] = mapped_column(String(NOTE_LIMIT))
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship()
