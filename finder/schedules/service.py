"""Schedules without accounts: secret tokens (stored hashed), picks, settings, rotation."""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import get_locale, lazy_gettext

from feeds.meetings import PageUrl, Pick, render_schedule
from finder.enums import Attendance
from finder.extensions import db
from finder.models import Meeting, utcnow
from finder.schedules.models import Schedule, ScheduleMeeting
from finder.schedules.overlaps import overlapping_pairs
from finder.web.feed_words import feed_words
from finder.web.i18n import LANGUAGES

DEFAULT_NAME = lazy_gettext("My meetings")  # in the language of the page that makes the plan
MAX_NAME = 120
MAX_MEETINGS = 200
MAX_REMINDER_MINUTES = 24 * 60
# secrets.token_urlsafe(32): 43 URL-safe characters, 256 bits.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
SETTINGS = ("name", "discreet", "reminder_minutes")
#: The cookie that keeps this browser's plan token (HttpOnly, this site only).
PLAN_COOKIE = "plan"


class ScheduleError(ValueError):
    """A request to change a schedule that cannot be honoured; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(schedule: Schedule) -> str:
    token = secrets.token_urlsafe(32)
    schedule.token_hash = hash_token(token)
    return token


def find_schedule(token: str) -> Schedule | None:
    """The schedule a token opens, or None for a malformed, unknown or rotated token."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    digest = hash_token(token)
    # The lookup is by hash, so its timing reveals nothing about the token.
    return db.session.execute(
        db.select(Schedule).where(Schedule.token_hash == digest)
    ).scalar_one_or_none()


def create_schedule(settings: Mapping[str, Any] | None = None) -> tuple[Schedule, str]:
    """A new, empty schedule and its token (which is not stored, so return it now)."""
    schedule = Schedule(name=str(DEFAULT_NAME), uid_key=str(uuid.uuid4()), discreet=False, revision=0,
                        language=reader_language())
    token = _new_token(schedule)
    update_schedule(schedule, settings or {}, bump=False)
    db.session.add(schedule)
    return schedule, token


def update_schedule(schedule: Schedule, changes: Mapping[str, Any], *, bump: bool = True) -> None:
    """Apply ``name``, ``discreet`` and ``reminder_minutes``; raise ScheduleError on a bad value."""
    unknown = sorted(set(changes) - set(SETTINGS))
    if unknown:
        raise ScheduleError(unknown[0], "unknown field")
    if "name" in changes:
        name = changes["name"]
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
            raise ScheduleError("name", f"must be text of 1 to {MAX_NAME} characters")
        schedule.name = " ".join(name.split())
    shown_before = (schedule.discreet, schedule.reminder_minutes)
    if "discreet" in changes:
        if not isinstance(changes["discreet"], bool):
            raise ScheduleError("discreet", "must be true or false")
        schedule.discreet = changes["discreet"]
    if "reminder_minutes" in changes:
        minutes = changes["reminder_minutes"]
        if isinstance(minutes, float) and minutes.is_integer():  # JSON's 30.0 is a whole number
            minutes = int(minutes)
        if minutes is not None and (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 0 <= minutes <= MAX_REMINDER_MINUTES
        ):
            raise ScheduleError(
                "reminder_minutes", f"must be null or whole minutes from 0 to {MAX_REMINDER_MINUTES}"
            )
        schedule.reminder_minutes = minutes
    if bump and (schedule.discreet, schedule.reminder_minutes) != shown_before:
        # Every event now reads differently: raise SEQUENCE for clients that go by it.
        schedule.revision = (schedule.revision or 0) + 1
    schedule.updated_at = utcnow()


def reader_language() -> str:
    """The interface language of the current request (English outside one)."""
    language = str(get_locale() or "en")
    return language if language in LANGUAGES else "en"


def set_language(schedule: Schedule) -> None:
    """Let the plan's feed speak the reader's language (a change rewords every event)."""
    language = reader_language()
    if schedule.language != language:
        schedule.language = language
        schedule.revision = (schedule.revision or 0) + 1


def rotate_token(schedule: Schedule) -> str:
    """Replace the token; the old one stops working, the UIDs (from ``uid_key``) stay."""
    token = _new_token(schedule)
    schedule.updated_at = utcnow()
    return token


def delete_schedule(schedule: Schedule) -> None:
    """Delete a schedule and its picks."""
    db.session.delete(schedule)


def _meeting_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ScheduleError("meeting_id", "must be a meeting id (an integer)")
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit():
            raise ScheduleError("meeting_id", "must be a meeting id (an integer)")
        value = int(value)
    if not 0 < value < 2**31:
        raise ScheduleError("meeting_id", "no such meeting")
    return value


def add_meeting(schedule: Schedule, value: Any) -> tuple[ScheduleMeeting, bool]:
    """Pick a listed meeting; returns the pick and whether it is new."""
    meeting_id = _meeting_id(value)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise ScheduleError("meeting_id", "no such meeting")
    existing = next((pick for pick in schedule.picks if pick.meeting_id == meeting_id), None)
    if existing is not None:
        return existing, False
    if not meeting.is_listed:
        raise ScheduleError("meeting_id", "this meeting is no longer listed")
    if len(schedule.picks) >= MAX_MEETINGS:
        raise ScheduleError("meeting_id", f"a schedule holds at most {MAX_MEETINGS} meetings")
    pick = ScheduleMeeting(meeting=meeting, added_at=utcnow())
    schedule.picks.append(pick)
    schedule.updated_at = utcnow()
    return pick, True


def remove_meeting(schedule: Schedule, meeting_id: int) -> bool:
    """Drop a pick; False if the meeting was not in the schedule."""
    pick = next((pick for pick in schedule.picks if pick.meeting_id == meeting_id), None)
    if pick is None:
        return False
    schedule.picks.remove(pick)
    schedule.updated_at = utcnow()
    return True


def is_picked(token: str | None, meeting_id: int) -> bool:
    """True when the plan a token opens holds the meeting (False for no or a dead token)."""
    schedule = find_schedule(token) if token else None
    return schedule is not None and db.session.execute(
        db.select(ScheduleMeeting.meeting_id).where(ScheduleMeeting.schedule_id == schedule.id,
                                                    ScheduleMeeting.meeting_id == meeting_id)
    ).first() is not None


def picked_meetings(schedule: Schedule) -> list[tuple[ScheduleMeeting, Meeting]]:
    """The schedule's picks with their meetings, in one query, by day and time."""
    rows = db.session.execute(
        db.select(ScheduleMeeting, Meeting)
        .join(Meeting, Meeting.id == ScheduleMeeting.meeting_id)
        .where(ScheduleMeeting.schedule_id == schedule.id)
        .order_by(Meeting.day, Meeting.time, Meeting.id)
    )
    return [(pick, meeting) for pick, meeting in rows]


@functools.cache
def _stamp_statement() -> sa.Select:
    # Built once, in Core: building the select and running it through the ORM cost more than
    # the query itself, on a path (a feed's 304) that does nothing else.
    plan, pick, meeting = Schedule.__table__.c, ScheduleMeeting.__table__.c, Meeting.__table__.c
    return (
        sa.select(plan.id, plan.uid_key, plan.name, plan.discreet, plan.reminder_minutes,
                  plan.revision, plan.updated_at, pick.meeting_id, pick.added_at, meeting.changed_at,
                  meeting.sequence, meeting.content_hash, meeting.removed_at)
        .select_from(Schedule.__table__)
        .outerjoin(ScheduleMeeting.__table__, pick.schedule_id == plan.id)
        .outerjoin(Meeting.__table__, meeting.id == pick.meeting_id)
        .where(plan.token_hash == sa.bindparam("digest"))
        .order_by(pick.meeting_id)
    )


@functools.cache
def _raw_stamp_statement() -> sa.Select:
    # The same query, its columns as the driver gives them (SQLite's datetimes as text, its
    # booleans as 0/1): equal rows mean equal stamps, so each distinct answer is converted once.
    typed = _stamp_statement()
    return typed.with_only_columns(*(sa.type_coerce(column, sa.types.NullType())
                                     for column in typed.selected_columns))


def feed_stamp(token: str) -> tuple[tuple[object, ...], datetime] | None:
    """What a schedule's feed is made of, in one small query and without building it: the
    settings, the picks and each picked meeting's change stamps (a parts tuple for its ETag),
    and when it last changed; None for a token that opens nothing.

    Every way a meeting changes (import, moderation, a pattern's dates) moves ``changed_at`` and
    usually ``sequence``; ``content_hash`` covers the imported fields besides.
    """
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    # A connection of its own, not the session's: a 304 then needs no session at all.
    with db.engine.connect() as connection:
        rows = connection.execute(_raw_stamp_statement(), {"digest": hash_token(token)}).all()
    if not rows:
        return None
    return _stamp(connection.dialect, tuple(map(tuple, rows)))


@functools.lru_cache(maxsize=256)
def _stamp(dialect: sa.Dialect, rows: tuple[tuple[object, ...], ...]) -> tuple[tuple[object, ...], datetime]:
    # A pure function of the driver's rows: a feed asked for again (a 304, a warm answer) skips
    # the conversion of its 30-odd rows of datetimes. Each column is converted as the typed
    # query would convert it (UTCDateTime's aware datetimes, booleans).
    convert = [column.type.dialect_impl(dialect).result_processor(dialect, None)
               for column in _stamp_statement().selected_columns]
    typed = [tuple(value if step is None else step(value) for step, value in zip(convert, row, strict=True))
             for row in rows]
    picks = tuple(row[7:] for row in typed if row[7] is not None)
    changed = max([typed[0][6], *(pick[2] for pick in picks)])
    return (typed[0][:7], picks), changed


def meeting_uid(schedule: Schedule, meeting_id: int) -> str:
    """The UID of a meeting in this schedule's feed: opaque, per schedule, stable across rotation."""
    return _meeting_uid(schedule.uid_key, meeting_id)


@functools.lru_cache(maxsize=65_536)
def _meeting_uid(uid_key: str, meeting_id: int) -> str:
    # A pure function of its arguments, asked for by every feed request: hash it once.
    return str(uuid.uuid5(uuid.UUID(uid_key), f"meeting/{meeting_id}"))


def calendar_uid(schedule: Schedule) -> str:
    """The UID of the schedule's VCALENDAR (RFC 7986), stable across rotation."""
    return str(uuid.uuid5(uuid.UUID(schedule.uid_key), "calendar"))


def schedule_feed(schedule: Schedule, page_url: PageUrl | None = None) -> tuple[bytes, datetime]:
    """The schedule's calendar feed (see ``feeds.meetings.render_schedule``), its picks read in one query."""
    picks = [Pick(meeting, meeting_uid(schedule, meeting.id), pick.added_at)
             for pick, meeting in picked_meetings(schedule)]
    return render_schedule(schedule, calendar_uid(schedule), picks, page_url,
                           feed_words(schedule.language))


def schedule_overlaps(picks: list[tuple[ScheduleMeeting, Meeting]]) -> list[tuple[int, int]]:
    """Id pairs of picked meetings that clash in the coming week (listed, active ones).

    Takes the rows of :func:`picked_meetings`, which the caller has already read.
    """
    slots = [meeting for _, meeting in picks
             if meeting.is_listed and meeting.attendance_option is not Attendance.INACTIVE]
    return overlapping_pairs(slots, utcnow())


def schedule_urls(token: str) -> dict[str, str]:
    """The feed (https and webcal) and manage URLs that a token opens."""
    feed_url = url_for("schedules.feed", token=token, _external=True)
    return {
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "manage_url": url_for("schedules.manage", token=token, _external=True),
    }
