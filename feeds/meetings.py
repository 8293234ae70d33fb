"""Meetings as ``FeedEvent``s: what a calendar entry says, with status marks and discreet titles."""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Protocol

from feeds.events import FeedEvent
from feeds.ical import render_calendar
from finder.enums import Attendance
from finder.pattern import Recurrence
from finder.weekly import duration
from finder.zones import zone_name


class Meeting(Protocol):
    """What a calendar entry reads of a meeting (a ``finder.models.Meeting`` row fits)."""

    id: int
    name: str
    day: int
    time: str
    end_time: str | None
    timezone: str
    recurrence: Recurrence | None
    attendance_option: Attendance
    types: tuple[str, ...]
    location: str | None
    formatted_address: str | None
    approximate: bool
    latitude: float | None
    longitude: float | None
    location_notes: str | None
    notes: str | None
    conference_url: str | None
    conference_url_notes: str | None
    conference_phone: str | None
    conference_phone_notes: str | None
    sequence: int
    created_at: datetime
    changed_at: datetime
    removed_at: datetime | None


class Plan(Protocol):
    """What a subscription feed reads of a schedule (a ``Schedule`` row fits)."""

    name: str
    discreet: bool
    reminder_minutes: int | None
    revision: int
    updated_at: datetime


@dataclass(frozen=True)
class Pick:
    """A meeting in a plan, with its UID in that plan's feed and the time it was picked."""

    meeting: Meeting
    uid: str
    added_at: datetime

@dataclass(frozen=True)
class Wording:
    """The words a calendar entry adds to a meeting's own text, in the feed's language.

    Each ``%(title)s`` is the meeting's name, or ``title`` in a discreet feed.
    """

    title: str = "Meeting"
    online: str = "%(title)s (online)"
    online_only: str = "%(title)s (online only)"
    hybrid: str = "%(title)s (hybrid)"
    temporarily_closed: str = "Temporarily closed: %(title)s"
    inactive: str = "Inactive: %(title)s"
    removed: str = "No longer listed by its source: check before you go."
    venue_closed: str = "The venue is temporarily closed."


#: The words of feeds made without a language (and the English catalogue's own).
ENGLISH = Wording()
#: Words that tell a lock screen what kind of meeting this is; kept out of discreet feeds.
_REVEALING = re.compile(
    # "CA 90012" and "GA 30303" are states with a ZIP code, not fellowships.
    r"\b(?:AA|NA|GA|CA|OA|SLAA|CoDA|ACA)\b(?!\s+\d{5})|\b[AN]\.A\."
    r"|(?i:alcohol\w*|narcotic\w*|gambl\w*|cocaine|al-?anon|alateen|gam-?anon|nar-?anon"
    r"|anonymous|recovery|sobriety|sober|addict\w*|drug\w*|drink\w*|12[- ]?steps?|twelve[- ]steps?"
    r"|step stud\w*|big book|alano|intergroup|fellowship)"
)


def reveals_fellowship(text: str) -> bool:
    """True if ``text`` names a fellowship or says what the meeting is about."""
    return bool(_REVEALING.search(text))


def _discreet_lines(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip() and not reveals_fellowship(line)]


def _is_closed(meeting: Meeting) -> bool:
    return "TC" in meeting.types


def _summary(meeting: Meeting, discreet: bool, words: Wording) -> str:
    title = {"title": words.title if discreet else meeting.name}
    if meeting.attendance_option is Attendance.INACTIVE:
        return (words.temporarily_closed if _is_closed(meeting) else words.inactive) % title
    if meeting.attendance_option is Attendance.ONLINE:
        return (words.online_only if _is_closed(meeting) else words.online) % title
    if meeting.attendance_option is Attendance.HYBRID:
        return words.hybrid % title
    return title["title"]


def _status(meeting: Meeting) -> str:
    if meeting.removed_at is not None:
        return "CANCELLED"
    if meeting.attendance_option is Attendance.INACTIVE:
        return "TENTATIVE"
    return "CONFIRMED"


def _location(meeting: Meeting, discreet: bool) -> str | None:
    if meeting.attendance_option not in (Attendance.IN_PERSON, Attendance.HYBRID):
        return None  # online only, closed or inactive: an address would send people there
    parts = [meeting.location, meeting.formatted_address]
    if discreet:
        # "Alano Club, 12 Main St" keeps "12 Main St".
        parts = [", ".join(_discreet_lines(part.replace(", ", "\n"))) if part else None
                 for part in parts]
    return ", ".join(part for part in parts if part) or None


def _recurrence(meeting: Meeting, discreet: bool) -> Recurrence | None:
    """The meeting's pattern, with each moved date's place kept only where the series has one."""
    pattern = meeting.recurrence.fitted(meeting.day) if meeting.recurrence else None
    if pattern is None or not pattern.moved:
        return pattern
    in_place = meeting.attendance_option in (Attendance.IN_PERSON, Attendance.HYBRID)
    moved = []
    for one in pattern.moved:
        place = [one.location, one.formatted_address] if in_place else [None, None]
        if discreet:
            place = [", ".join(_discreet_lines(p.replace(", ", "\n"))) or None if p else None
                     for p in place]
        moved.append(replace(one, location=place[0], formatted_address=place[1]))
    return replace(pattern, moved=tuple(moved))


def _description(meeting: Meeting, discreet: bool, words: Wording) -> str | None:
    lines = []
    if meeting.removed_at is not None:
        lines.append(words.removed)
    elif _is_closed(meeting):
        lines.append(words.venue_closed)
    texts = [meeting.location_notes, meeting.notes, meeting.conference_url_notes,
             meeting.conference_phone_notes]
    if discreet:
        # Free text is where fellowship names hide: drop the notes, and keep only the lines
        # of the practical ones that name none (a passcode stays, "AA members only" goes).
        for text in (texts[0], *texts[2:]):
            lines.extend(_discreet_lines(text))
    else:
        lines.extend(text.strip() for text in texts if text and text.strip())
    return "\n".join(lines) or None


def meeting_event(
    meeting: Meeting,
    *,
    uid: str,
    anchor: date,
    discreet: bool = False,
    alarm_minutes: int | None = None,
    sequence_offset: int = 0,
    page_url: str | None = None,
    words: Wording = ENGLISH,
) -> FeedEvent:
    """The calendar entry of a weekly meeting.

    Parameters:
        meeting: the meeting row (a removed one becomes a cancelled series).
        uid: the entry's UID, opaque and stable for this feed.
        anchor: the series starts on the first meeting day on or after this date.
        discreet: a neutral title ("Meeting") and no free text naming the fellowship.
        alarm_minutes: a VALARM this many minutes before, or None.
        sequence_offset: added to the meeting's own SEQUENCE (feed-wide display changes).
        page_url: the meeting's page here (URL property), not the source's site.
        words: the words added to the meeting's own text, in the feed's language.

    Returns:
        The FeedEvent; the join link and phone are kept whatever ``discreet`` says.
    """
    in_place = meeting.attendance_option in (Attendance.IN_PERSON, Attendance.HYBRID)
    geo = None
    if in_place and not meeting.approximate and meeting.latitude is not None \
            and meeting.longitude is not None:
        geo = (meeting.latitude, meeting.longitude)
    online = meeting.attendance_option in (Attendance.ONLINE, Attendance.HYBRID)
    return FeedEvent(
        uid=uid,
        summary=_summary(meeting, discreet, words),
        day=meeting.day,
        time=meeting.time,
        duration=duration(meeting.time, meeting.end_time),
        timezone=zone_name(meeting.timezone) or "UTC",  # an unknown stored zone reads as UTC
        anchor=anchor,
        sequence=meeting.sequence + sequence_offset,
        last_modified=meeting.changed_at,
        status=_status(meeting),
        location=_location(meeting, discreet),
        geo=geo,
        description=_description(meeting, discreet, words),
        url=page_url,
        conference_url=meeting.conference_url if online or meeting.removed_at else None,
        conference_phone=meeting.conference_phone if online or meeting.removed_at else None,
        alarm_minutes=alarm_minutes,
        recurrence=_recurrence(meeting, discreet),
    )


PageUrl = Callable[[int], str]
#: Rendered feeds kept per process, keyed by their exact inputs (FeedEvents are frozen and
#: hashable), so a cached body is never stale: any change in the data makes another key.
RENDER_CACHE_SIZE = 256


@lru_cache(maxsize=RENDER_CACHE_SIZE)
def _render(events: tuple[FeedEvent, ...], name: str, calendar_uid: str) -> bytes:
    return render_calendar(events, name=name, calendar_uid=calendar_uid)


#: Namespace of the UIDs in one-meeting downloads, which are the same for everyone.
PUBLIC_NAMESPACE = uuid.UUID("5b0e8a52-3c1f-5d0e-9f6a-6d2a4c1e7b90")


def render_schedule(
    plan: Plan, calendar_uid: str, picks: Iterable[Pick], page_url: PageUrl | None = None,
    words: Wording = ENGLISH,
) -> tuple[bytes, datetime]:
    """A schedule's subscription feed and the time it last changed (for Last-Modified).

    Parameters:
        plan: the schedule's settings (name, discreet titles, reminders, revision).
        calendar_uid: the VCALENDAR's UID, stable for this schedule.
        picks: its meetings with their UIDs and the time each was picked.
        page_url: maps a meeting id to its page here, or None for no URL property.
        words: the words of the plan's language (discreet titles, "online", notices).

    Returns:
        The feed bytes (byte-stable for the same data) and the newest change time.
    """
    events, changed = [], [plan.updated_at]
    for pick in picks:
        events.append(meeting_event(
            pick.meeting,
            uid=pick.uid,
            anchor=pick.added_at.astimezone(UTC).date(),
            discreet=plan.discreet,
            alarm_minutes=plan.reminder_minutes,
            sequence_offset=plan.revision,
            page_url=page_url(pick.meeting.id) if page_url else None,
            words=words,
        ))
        changed.append(pick.meeting.changed_at)
    events.sort(key=lambda event: event.uid)  # the cache key should not depend on order
    body = _render(tuple(events), plan.name, calendar_uid)
    return body, max(changed)


def render_meeting(
    meeting: Meeting,
    page_url: PageUrl | None = None,
    *,
    discreet: bool = False,
    alarm_minutes: int | None = None,
    words: Wording = ENGLISH,
) -> bytes:
    """One meeting as a calendar file ("add to calendar"), by the same rules as a schedule feed."""
    uid = str(uuid.uuid5(PUBLIC_NAMESPACE, f"meeting/{meeting.id}"))
    event = meeting_event(
        meeting,
        uid=uid,
        anchor=meeting.created_at.astimezone(UTC).date(),
        discreet=discreet,
        alarm_minutes=alarm_minutes,
        page_url=page_url(meeting.id) if page_url else None,
        words=words,
    )
    name = words.title if discreet else meeting.name
    return _render((event,), name, str(uuid.uuid5(PUBLIC_NAMESPACE, uid)))
