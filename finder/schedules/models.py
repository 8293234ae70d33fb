"""Schedules: a member's weekly plan, reachable only through a secret token whose hash is stored."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finder.extensions import db
from finder.models import Meeting, UTCDateTime, utcnow


class Schedule(db.Model):
    """A weekly plan of meetings with a private calendar feed; no account, no personal data."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # SHA-256 hex of the secret token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Random namespace for the per-meeting UIDs; kept on rotation so calendars see no duplicates.
    uid_key: Mapped[str] = mapped_column(String(36))
    discreet: Mapped[bool] = mapped_column(default=False)
    reminder_minutes: Mapped[int | None] = mapped_column(Integer)
    # Bumped when a setting changes what every event shows (discreet titles, reminders), so
    # SEQUENCE rises and clients that cache by it refresh their copies.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # The interface language the plan was made or last set in: its feed's own words follow it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    picks: Mapped[list[ScheduleMeeting]] = relationship(
        back_populates="schedule", cascade="all, delete-orphan", order_by="ScheduleMeeting.id",
    )


class ScheduleMeeting(db.Model):
    """One meeting picked into a schedule."""

    __tablename__ = "schedule_meetings"
    __table_args__ = (UniqueConstraint("schedule_id", "meeting_id", name="uq_schedule_meetings_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    schedule: Mapped[Schedule] = relationship(back_populates="picks")
    meeting: Mapped[Meeting] = relationship()
