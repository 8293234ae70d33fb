"""Render weekly meetings as one byte-stable iCalendar subscription feed (RFC 5545 + RFC 7986).

The rules behind every choice are in shared/reference/ical.md: one VEVENT per
meeting with a weekly RRULE (or the meeting's own pattern: every N weeks, monthly on the nth or
last weekday, until a last date; finder/pattern.py) and a local ``DTSTART;TZID=``, a
VTIMEZONE for every zone used (see ``feeds.vtimezone``), the pattern's cancelled dates as EXDATE,
its moved dates and single cancelled weeks as RECURRENCE-ID overrides, and no input that varies
between requests (no ``now()``, no random UIDs) so equal data gives equal bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vDuration, vUri

from feeds.events import FeedEvent
from feeds.vtimezone import load_zone, scan_transitions, vtimezone
from finder.pattern import MONTHLY, WEEKS, Moved, Recurrence
from finder.recurrence import occurrence_on
from finder.weekly import parse_clock
from finder.zones import zoneinfo

__all__ = ["DEFAULT_PRODID", "render_calendar", "vtimezone"]

DEFAULT_PRODID = "-//Meeting Finder//Meeting Finder 1.0//EN"
CANCELLED_PREFIX = "Cancelled: "

#: DTSTAMP when the caller has no LAST-MODIFIED: fixed, because ``now()`` would change the
#: bytes (and so the ETag) of every response.
_STAMP_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # indexed by Meeting Guide's day
# What RFC 3966 lets through in a dial string, plus the ",," pauses RFC 7986's own
# example uses; "#" (DTMF) is percent-encoded below because it would start a fragment.
_TEL_CHARS = frozenset("0123456789+-.(),*#")


def _uri(value: str | None) -> str | None:
    """``value`` if it can be written as a URI: no spaces or control characters (a CR or LF
    from a feed would otherwise end the property and start one of the feed's choosing)."""
    if not value or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value):
        return None
    return value


def _tel_uri(phone: str) -> str | None:
    dial = "".join(c for c in phone if c in _TEL_CHARS)
    if not any(c.isdigit() for c in dial):
        return None
    return "tel:" + dial.replace("#", "%23")


def _description(event: FeedEvent) -> str | None:
    # Most clients ignore CONFERENCE, so the join details are repeated in plain text.
    joins = []
    if _uri(event.conference_url):
        joins.append(f"Join online: {event.conference_url}")
    if event.conference_phone:
        joins.append(f"Join by phone: {event.conference_phone}")
    parts = [part for part in (event.description, "\n".join(joins)) if part]
    return "\n\n".join(parts) or None


def _summary(event: FeedEvent, cancelled: bool) -> str:
    if cancelled and not event.summary.startswith(CANCELLED_PREFIX):
        # Outlook shows cancelled instances as if they were on; the title says it anyway.
        return CANCELLED_PREFIX + event.summary
    return event.summary


def _pinned_starts(event: FeedEvent) -> dict[date, datetime]:
    """Weeks that parsers read differently from RFC 5545, with the UTC start meant.

    Those whose start falls in a DST gap or fold (RFC 5545 §3.3.5: offset before the gap,
    first of the two; ical.js 2.2.1 takes the offset after the gap and the second one),
    and those that span or end at an offset change (DURATION's hours are exact time,
    §3.3.6, but recurring_ical_events and ical.js both add them to the wall clock). These
    weeks get an override whose DTSTART is in UTC, which no parser can read two ways.
    """
    clock = parse_clock(event.time)
    first = event.first_date
    pattern = event.recurrence or Recurrence()
    skipped = {*pattern.cancelled, *(moved.on for moved in pattern.moved)}  # EXDATE or own override
    pinned: dict[date, datetime] = {}
    if first is None:
        return pinned
    for change in scan_transitions(event.timezone):
        at = change.at.replace(tzinfo=None)
        low, high = sorted((at + change.before, at + change.after))  # the gap or fold
        on = (low - event.duration).date() - timedelta(days=1)
        while on <= high.date():
            local = datetime.combine(on, clock)
            start = event.local_start(on).astimezone(UTC)  # fold=0, as RFC 5545 reads it
            end = start + event.duration
            if (
                event.meets_on(on)
                and on >= first
                and on not in skipped
                and (
                    low <= local < high
                    or low <= local + event.duration < high  # the wall-clock end is unclear
                    or start <= change.at <= end
                )
            ):
                pinned[on] = start
            on += timedelta(days=1)
    return pinned


def _vevent(
    event: FeedEvent,
    start: datetime,
    *,
    recurrence_id: datetime | None = None,
    status: str | None = None,
    moved: Moved | None = None,
    length: timedelta | None = None,
) -> Event:
    """The master VEVENT, or (with ``recurrence_id``) the override of one week."""
    status = status or event.status
    stamp = (event.last_modified or _STAMP_EPOCH).astimezone(UTC).replace(microsecond=0)
    vevent = Event()
    vevent.add("UID", event.uid)
    vevent.add("DTSTAMP", stamp)
    if event.last_modified is not None:
        vevent.add("LAST-MODIFIED", stamp)
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("SUMMARY", _summary(event, status == "CANCELLED"))
    vevent.add("DTSTART", start)
    vevent.add("DURATION", length or event.duration)
    if recurrence_id is not None:
        vevent.add("RECURRENCE-ID", recurrence_id)
    else:
        vevent.add("RRULE", _rrule(event))
        exdates = _exdates(event)
        if exdates:
            vevent.add("EXDATE", exdates)
    vevent.add("STATUS", status)
    place = ", ".join(p for p in (moved.location, moved.formatted_address) if p) if moved else ""
    if place or event.location:
        vevent.add("LOCATION", place or event.location)
    if event.geo is not None:
        vevent.add("GEO", event.geo)
    description = _description(event)
    if description:
        vevent.add("DESCRIPTION", description)
    if _uri(event.url):
        vevent.add("URL", event.url)
    if _uri(event.conference_url):
        vevent.add(
            "CONFERENCE",
            vUri(event.conference_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"},
        )
    tel = _tel_uri(event.conference_phone) if event.conference_phone else None
    if tel:
        vevent.add(
            "CONFERENCE",
            vUri(tel),
            parameters={"VALUE": "URI", "FEATURE": ["AUDIO", "PHONE"], "LABEL": "Join by phone"},
        )
    if event.alarm_minutes is not None and status != "CANCELLED":
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", event.summary)
        alarm.add("TRIGGER", -timedelta(minutes=event.alarm_minutes))
        vevent.add_component(alarm)
    return vevent


def _rrule(event: FeedEvent) -> dict[str, object]:
    """The master's RRULE: weekly, every INTERVAL weeks, or monthly by nth weekday; UNTIL."""
    pattern = event.recurrence or Recurrence()
    byday = _BYDAY[event.day]
    rule: dict[str, object] = {"FREQ": "WEEKLY"}
    if pattern.kind == WEEKS:
        rule["INTERVAL"] = pattern.interval
    if pattern.kind == MONTHLY:
        rule["FREQ"] = "MONTHLY"
        rule["BYDAY"] = [f"{n}{byday}" for n in sorted(pattern.nths, key=lambda n: (n < 0, n))]
    else:
        rule["BYDAY"] = byday
    if pattern.ends:
        # With a zoned DTSTART, UNTIL is in UTC (RFC 5545 §3.3.10): the end of the last day.
        last = datetime.combine(pattern.ends, time(23, 59, 59), tzinfo=zoneinfo(event.timezone))
        rule["UNTIL"] = last.astimezone(UTC)
    return rule


def _exdates(event: FeedEvent) -> list[datetime]:
    """The local starts of the pattern's cancelled dates after DTSTART (EXDATE: they vanish)."""
    pattern = event.recurrence or Recurrence()
    first = event.first_date
    return [event.local_start(on) for on in pattern.cancelled
            if first is not None and on > first and event.meets_on(on)]


def _unclear(event: FeedEvent, start: datetime, end: datetime) -> bool:
    """True when a span touches an offset change (a day either side): written in UTC then."""
    return any(start - timedelta(days=1) <= change.at <= end + timedelta(days=1)
               for change in scan_transitions(event.timezone))


def _vevents(event: FeedEvent) -> list[Event]:
    """The master VEVENT followed by its overrides (cancelled, moved or pinned weeks) in date
    order; nothing at all when the pattern has no date left after the anchor."""
    first = event.first_date
    if first is None:
        return []
    pinned = _pinned_starts(event)
    pattern = event.recurrence or Recurrence()
    moved = {m.on: m for m in pattern.moved if m.on >= first}
    # The master keeps its local DTSTART even when the first week is pinned: a UTC
    # DTSTART would make the whole series drift by an hour at every DST change.
    vevents = [_vevent(event, event.local_start(first))]
    overridden = {on for on in event.cancelled_dates if on not in pattern.cancelled}
    for on in sorted(overridden | pinned.keys() | moved.keys()):
        local = event.local_start(on)
        status = "CANCELLED" if on in event.cancelled_dates else None
        if on in moved:
            occurrence = occurrence_on(event, on)
            start, end = occurrence.start, occurrence.end
            if _unclear(event, start, end):
                start = start.astimezone(UTC)
            else:
                start = event.local_start(on).replace(hour=start.hour, minute=start.minute)
            vevents.append(_vevent(event, start, recurrence_id=local, status=status,
                                   moved=moved[on], length=end - occurrence.start))
        else:
            vevents.append(_vevent(event, pinned.get(on) or local, recurrence_id=local,
                                   status=status))
    return vevents


def render_calendar(
    events: Iterable[FeedEvent],
    *,
    name: str,
    calendar_uid: str,
    prodid: str = DEFAULT_PRODID,
    refresh: timedelta = timedelta(hours=6),
    home_timezone: str = "UTC",
) -> bytes:
    """Render meetings as one iCalendar subscription feed.

    The bytes depend only on the arguments: VTIMEZONEs come in sorted TZID order and
    events are sorted by ``uid`` (so the order of ``events`` does not matter). Each
    master is followed by its overrides in date order: one per cancelled week, and one
    with a UTC DTSTART per week that falls in or spans a DST change (``_pinned_starts``).

    Parameters:
        events: the meetings; ``uid`` must be unique among them.
        name: display name (NAME and X-WR-CALNAME); keep it neutral, it shows on screens.
        calendar_uid: stable UID of the feed itself (RFC 7986).
        prodid: PRODID of the producer.
        refresh: suggested polling interval (REFRESH-INTERVAL and X-PUBLISHED-TTL).
        home_timezone: IANA zone whose VTIMEZONE keeps a feed with no events valid.

    Returns:
        The calendar as UTF-8 bytes with CRLF line ends and 75-octet folding.

    Raises:
        ValueError: two events share a ``uid``, or ``home_timezone`` is unknown.
    """
    ordered = sorted(events, key=lambda event: event.uid)
    uids = [event.uid for event in ordered]
    if len(set(uids)) != len(uids):
        duplicates = sorted({uid for uid in uids if uids.count(uid) > 1})
        raise ValueError(f"duplicate event uid(s): {duplicates}")
    load_zone(home_timezone)
    name = " ".join(name.split())  # a title is one line (icalendar writes NAME unescaped)

    calendar = Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", prodid)
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    calendar.add("UID", calendar_uid)
    # RFC 7986's ABNF requires VALUE=DURATION; icalendar's own helper leaves it out.
    calendar.add("REFRESH-INTERVAL", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(refresh))

    # An empty VCALENDAR is invalid (RFC 5545 §3.6), so a member with no meetings
    # still gets the VTIMEZONE of their home zone.
    for tzid in sorted({event.timezone for event in ordered} or {home_timezone}):
        calendar.add_component(vtimezone(tzid))
    for event in ordered:
        for vevent in _vevents(event):
            calendar.add_component(vevent)
    return calendar.to_ical()
