"""Database models: sources, their import runs, and meetings.

No ``from __future__ import annotations`` here, unlike the other modules: SQLAlchemy reads each
``Mapped[...]`` of a string annotation with ``eval`` (some 160 of them, parsed again at every
start), while Python evaluates real ones from the compiled module. That was 17 M instructions of
``finder import``'s start-up (86 -> 69 M to import this module). Hence the one quoted forward
reference below.
"""
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.sql.elements import ColumnElement

from finder.enums import Attendance, Fellowship, RunStatus
from finder.extensions import db
from finder.pattern import Recurrence


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class TypeCodes(TypeDecorator):
    """A list of type codes stored as ``|O|D|ST|`` so ``LIKE '%|O|%'`` works on every engine."""

    impl = String(400)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return "|" + "|".join(value) + "|" if value else ""

    def process_result_value(self, value: Any, dialect: Any) -> tuple[str, ...]:
        return self.codes(value)

    @staticmethod
    def codes(stored: str | None) -> tuple[str, ...]:
        """The codes of their stored text (also for a row that read the column as text)."""
        return tuple(filter(None, stored.split("|"))) if stored else ()


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime that comes back aware from SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class RecurrenceJSON(TypeDecorator):
    """A ``Recurrence`` stored as JSON (finder/pattern.py); NULL for a plain weekly meeting."""

    impl = JSON(none_as_null=True)  # SQL NULL, not JSON 'null', when the loader writes None
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> dict[str, Any] | None:
        return value.to_json() if value is not None else None

    def process_result_value(self, value: Any, dialect: Any) -> Recurrence | None:
        return Recurrence.from_json(value) if value else None


def enum_column(cls: type) -> Enum:
    """A column type for a closed vocabulary."""
    # Stored as plain strings (no native enum type) so adding a value needs no migration dance.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Source(db.Model):
    """A published feed of meetings that is imported, and is authoritative for its meetings."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # What people read ("Central Oregon Intergroup"); ``name`` stays the command-line key.
    display_name: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    format: Mapped[str] = mapped_column(String(40))
    fellowship: Mapped[Fellowship] = mapped_column(enum_column(Fellowship))
    default_timezone: Mapped[str | None] = mapped_column(String(64))
    feedback_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # `finder refresh` re-imports a source once this many hours have passed since its last run.
    refresh_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    # Set when the source has failed for long (finder/sources/refresh.py); its meetings are kept.
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last imported answer's ETag and Last-Modified: a refresh asks "changed since?" with
    # them and skips the import on a 304 (the BMLT aggregator's export).
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    # A CSV in a layout of its own: {field: the feed's column}, kept so a refresh reads it alike.
    column_map: Mapped[dict[str, str] | None] = mapped_column(JSON)

    runs: Mapped[list["ImportRun"]] = relationship(
        back_populates="source", order_by="ImportRun.id", cascade="all, delete-orphan"
    )


class ImportRun(db.Model):
    """One import of a source, with its report."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus))
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    source: Mapped[Source] = relationship(back_populates="runs")


class Meeting(db.Model):
    """A weekly meeting in the Meeting Guide vocabulary, in its own local time and zone."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("source_id", "source_key", name="uq_meetings_source_key"),
        # Covering indexes for search (finder/search/): the radius prefilter with what the
        # in-person list tests, and the online list's seek by attendance, zone, day and time.
        Index("ix_meetings_geo", "latitude", "longitude", "attendance_option", "removed_at",
              "duplicate_of_id", "day", "time", "timezone"),
        # The position too: the search page's time order tests the radius on the index alone.
        # PostgreSQL's index holds no row id (SQLite's carries the rowid): it includes the id,
        # the types filter and the end time (in progress?), so the seeks read no table row.
        Index("ix_meetings_zone_start", "attendance_option", "timezone", "day", "time",
              "removed_at", "duplicate_of_id", "latitude", "longitude",
              postgresql_include=["id", "types", "end_time"]),
        Index("ix_meetings_day_time", "day", "time"),
        Index("ix_meetings_recurrence_kind", "recurrence_kind"),
        # The search page's "Also Tue, Thu": the other days of a series (same name and time).
        Index("ix_meetings_name_time", "name", "time"),
        # The search page's filters (finder/search/facets.py): the types and regions within the
        # radius's box, read from the index alone (the rows would be thousands of table reads).
        Index("ix_meetings_facets", "latitude", "longitude", "attendance_option", "removed_at",
              "duplicate_of_id", "region", "types"),
        # The search's data version (finder/search/zone_sets.py): the latest change in one seek.
        Index("ix_meetings_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), index=True)
    fellowship: Mapped[Fellowship] = mapped_column(enum_column(Fellowship), index=True)
    name: Mapped[str] = mapped_column(String(255))
    day: Mapped[int] = mapped_column(SmallInteger)
    time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str | None] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    # Not every week (finder/pattern.py): the pattern ``day``/``time`` follow, with its dated
    # exceptions; NULL for plain weekly. ``day`` and ``time`` keep the weekday and local time, so
    # the weekly indexes find every candidate; ``recurrence_kind`` (derived, indexed) tells which
    # rows need their dates checked.
    recurrence: Mapped[Recurrence | None] = mapped_column(RecurrenceJSON)
    recurrence_kind: Mapped[str | None] = mapped_column(String(10))
    attendance_option: Mapped[Attendance] = mapped_column(enum_column(Attendance), index=True)
    types: Mapped[tuple[str, ...]] = mapped_column(TypeCodes, default=())
    location: Mapped[str | None] = mapped_column(String(255))
    formatted_address: Mapped[str | None] = mapped_column(String(500))
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[str | None] = mapped_column(String(255))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_notes: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    conference_url: Mapped[str | None] = mapped_column(String(2000))
    conference_url_notes: Mapped[str | None] = mapped_column(Text)
    conference_phone: Mapped[str | None] = mapped_column(String(100))
    conference_phone_notes: Mapped[str | None] = mapped_column(Text)
    group: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(2000))
    feedback_url: Mapped[str | None] = mapped_column(String(2000))
    updated: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str] = mapped_column(String(40))
    # The digest of the feed row the meeting was read from, when it read cleanly: an unchanged
    # row is not parsed again (finder/sources/loader.py, importers/common.py row_digest).
    feed_digest: Mapped[str | None] = mapped_column(String(40))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The same meeting listed by another source (finder/sources/duplicates.py); listings skip copies.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )

    source: Mapped[Source] = relationship()

    @validates("recurrence")
    def _derive_kind(self, key: str, value: Recurrence | None) -> Recurrence | None:
        """Keep ``recurrence_kind`` in step; a plain weekly pattern is stored as NULL.

        Whether it fits the meeting's day is checked where a pattern is chosen
        (finder/meetings/recurring.py); a new day refits it (``_refit_pattern``).
        """
        if value is not None and value.is_plain:
            value = None
        self.recurrence_kind = value.kind if value is not None else None
        return value

    @validates("day")
    def _refit_pattern(self, key: str, value: int) -> int:
        """A new day (a source moved the meeting) keeps the pattern, fitted to that day."""
        if self.recurrence is not None and value is not None:
            fitted = self.recurrence.fitted(value)
            if fitted != self.recurrence:
                self.recurrence = fitted
        return value

    @hybrid_property
    def is_listed(self) -> bool:
        """True while the meeting's source still lists it (a plan keeps it, a page shows it)."""
        return self.removed_at is None

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls) -> ColumnElement[bool]:
        return cls.removed_at.is_(None)

    @hybrid_property
    def is_shown(self) -> bool:
        """True for a listed meeting that is not a copy of another source's listing (see
        finder/sources/duplicates.py): what search, the meeting list and the export show."""
        return self.removed_at is None and self.duplicate_of_id is None

    @is_shown.inplace.expression
    @classmethod
    def _is_shown_expression(cls) -> ColumnElement[bool]:
        return and_(cls.removed_at.is_(None), cls.duplicate_of_id.is_(None))
