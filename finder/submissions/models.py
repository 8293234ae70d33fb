"""Tables for secretaries' submissions, their private contacts, moderators and the audit trail."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finder.extensions import db
from finder.models import Meeting, UTCDateTime, enum_column, utcnow

# Receipt codes avoid look-alike characters (0/O, 1/I/L) so they can be read out over a phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 10


class SubmissionKind(enum.StrEnum):
    """What a secretary asks for."""

    NEW = "new"
    CHANGE = "change"
    CLOSURE = "closure"
    TEMPORARY_CLOSURE = "temporary_closure"


class SubmissionStatus(enum.StrEnum):
    """Where a submission is in review."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    FORWARDED = "forwarded"


def new_reference() -> str:
    """A short random receipt code, e.g. ``K7QH2MX9TB``."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class Submission(db.Model):
    """A proposed new meeting, change or closure, waiting for a moderator."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_reference)
    kind: Mapped[SubmissionKind] = mapped_column(enum_column(SubmissionKind))
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_column(SubmissionStatus), default=SubmissionStatus.PENDING, index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    proposed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting | None] = relationship()
    contact: Mapped[SubmissionContact | None] = relationship(
        back_populates="submission", cascade="all, delete-orphan", uselist=False
    )


class SubmissionContact(db.Model):
    """The submitter's contact, in a table of its own so no public query or export can reach it."""

    __tablename__ = "submission_contacts"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    contact: Mapped[str] = mapped_column(String(255))

    submission: Mapped[Submission] = relationship(back_populates="contact")

    def __repr__(self) -> str:
        return f"<SubmissionContact {self.submission_id} (hidden)>"


class Moderator(db.Model):
    """A service-body moderator who reviews submissions."""

    __tablename__ = "moderators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditRecord(db.Model):
    """Who did what to which submission and meeting, and when."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), index=True
    )
    # Indexed: every search reads the latest confirming decision of its page's meetings (0022).
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moderator: Mapped[Moderator | None] = relationship()
    submission: Mapped[Submission | None] = relationship()
