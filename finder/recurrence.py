"""The one occurrence engine: the dates a meeting's pattern (``finder.pattern``) gives, each
one's real start and end in the meeting's zone with moved and cancelled dates applied, the next
start, and the pattern in words. Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from finder.enums import N_
from finder.pattern import MONTHLY, PLAIN, WEEKS, Moved, Recurrence, day_name
from finder.weekly import day_of, duration, local_start
from finder.zones import stored_zone

#: How far ahead ``next_occurrence`` looks before it says there is none.
HORIZON = timedelta(days=800)


class Slot(Protocol):
    """What the engine reads of a meeting (a ``finder.models.Meeting`` row fits)."""

    day: int
    time: str
    end_time: str | None
    timezone: str
    recurrence: Recurrence | None


@dataclass(frozen=True)
class PatternSlot:
    """A pattern on a day and time, not yet a meeting: what a form or a phrase describes."""

    day: int
    time: str
    recurrence: Recurrence
    end_time: str | None = None
    timezone: str = "UTC"


@dataclass(frozen=True)
class Occurrence:
    """One meeting date: its scheduled local date, real start and end, and what happens."""

    on: date
    start: datetime  # aware, in the meeting's zone (a start in a DST gap moves forward)
    end: datetime
    cancelled: bool = False
    moved: Moved | None = None


def pattern_of(slot: Slot) -> Recurrence:
    """The meeting's pattern (plain weekly when it has none, or reads as a weekly slot)."""
    return getattr(slot, "recurrence", None) or PLAIN


def is_weekly(slot: Slot) -> bool:
    """True when every week meets as the weekly columns say (no pattern, no exceptions)."""
    return pattern_of(slot).is_plain


def dates(slot: Slot, first: date, last: date) -> Iterator[date]:
    """The local dates from ``first`` to ``last`` (inclusive) the pattern meets on, cancelled too."""
    pattern = pattern_of(slot)
    on = first + timedelta(days=(slot.day - day_of(first)) % 7)
    while on <= last:
        if pattern.meets_on(slot.day, on):
            yield on
        on += timedelta(weeks=1)


def occurrence_on(slot: Slot, on: date) -> Occurrence:
    """The occurrence of a scheduled date ``on`` (see ``dates``)."""
    pattern = pattern_of(slot)
    moved = next((m for m in pattern.moved if m.on == on), None)
    clock_text, length = slot.time, duration(slot.time, slot.end_time)
    if moved is not None and (moved.time or moved.end_time):
        clock_text = moved.time or slot.time
        if moved.end_time:
            length = duration(clock_text, moved.end_time)
    tz = stored_zone(slot.timezone)
    # fold=0 (RFC 5545 §3.3.5): a gap time reads with the offset before it, i.e. moves forward.
    start = local_start(clock_text, slot.timezone, on).astimezone(UTC)
    end = start + length  # exact time, as DURATION is
    return Occurrence(on, start.astimezone(tz), end.astimezone(tz), on in pattern.cancelled, moved)


def occurrences(slot: Slot, start: datetime, end: datetime, *,
                cancelled: bool = False) -> Iterator[Occurrence]:
    """Occurrences starting in ``[start, end)`` (aware instants), in order; ``cancelled`` keeps
    the cancelled ones (marked) instead of leaving them out."""
    tz = stored_zone(slot.timezone)
    first = start.astimezone(tz).date() - timedelta(days=1)  # a moved start may be earlier
    last = end.astimezone(tz).date() + timedelta(days=1)
    found = []
    for on in dates(slot, first, last):
        occurrence = occurrence_on(slot, on)
        if start <= occurrence.start < end and (cancelled or not occurrence.cancelled):
            found.append(occurrence)
    yield from sorted(found, key=lambda o: o.start)


def next_occurrence(slot: Slot, now: datetime | None = None) -> Occurrence | None:
    """The first occurrence that is not cancelled starting at or after ``now``, or None."""
    now = now or datetime.now(UTC)
    pattern = pattern_of(slot)
    first = now.astimezone(stored_zone(slot.timezone)).date() - timedelta(days=1)
    first = max(first, pattern.starts or first)
    last = first + HORIZON
    # Date by date: a moved start stays on its date, so the first that fits is the next.
    for on in dates(slot, first, min(last, pattern.ends or last)):
        occurrence = occurrence_on(slot, on)
        if occurrence.start >= now and not occurrence.cancelled:
            return occurrence
    return None


def next_start(slot: Slot, now: datetime | None = None) -> datetime | None:
    """The next real start (aware, meeting's zone) at or after ``now``; None when it has ended."""
    occurrence = next_occurrence(slot, now)
    return occurrence.start if occurrence else None


def upcoming(slot: Slot, now: datetime, count: int, *, cancelled: bool = True) -> list[Occurrence]:
    """The next ``count`` occurrences from ``now`` (cancelled ones marked, unless told not to)."""
    found: list[Occurrence] = []
    begin, stop = now, now + HORIZON
    while len(found) < count and begin < stop:
        end = begin + timedelta(days=63)
        found.extend(occurrences(slot, begin, end, cancelled=cancelled))
        begin = end
    return found[:count]


def is_cancelled(slot: Slot, on: date) -> bool:
    """True when the meeting would meet on local date ``on`` but is cancelled that day."""
    return on in pattern_of(slot).cancelled and pattern_of(slot).meets_on(slot.day, on)


# --- in words -------------------------------------------------------------------------------

def _identity(text: str) -> str:
    return text


ORDINALS = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"), 5: N_("fifth"),
            -1: N_("last")}


def pgettext(context: str, message: str) -> str:
    """Marks ``message`` for the catalogue under ``context``; pages translate it where shown."""
    return message


#: Weekday names inside a sentence ("first and third Monday"): Spanish writes them in lower case.
SENTENCE = "weekday in a sentence"
SENTENCE_DAYS = (pgettext("weekday in a sentence", "Sunday"),
                 pgettext("weekday in a sentence", "Monday"),
                 pgettext("weekday in a sentence", "Tuesday"),
                 pgettext("weekday in a sentence", "Wednesday"),
                 pgettext("weekday in a sentence", "Thursday"),
                 pgettext("weekday in a sentence", "Friday"),
                 pgettext("weekday in a sentence", "Saturday"))


def describe(slot: Slot, gettext: Any = _identity, in_context: Any = None) -> str:
    """The pattern in words: "First and third Monday of the month, 19:00".

    ``gettext`` translates each piece and ``in_context`` (a ``pgettext``) the weekday within the
    sentence (pages pass Flask-Babel's); the defaults keep English.
    """
    pattern = pattern_of(slot)
    day = in_context(SENTENCE, SENTENCE_DAYS[slot.day]) if in_context else gettext(day_name(slot.day))
    if pattern.kind == MONTHLY:
        words = [gettext(ORDINALS[n]) for n in sorted(pattern.nths, key=lambda n: (n < 0, n))]
        which = words[0] if len(words) == 1 else \
            gettext("%(some)s and %(last)s") % {"some": ", ".join(words[:-1]), "last": words[-1]}
        text = gettext("%(which)s %(day)s of the month") % {"which": which, "day": day}
    elif pattern.kind == WEEKS and pattern.interval == 2:
        text = gettext("Every other %(day)s") % {"day": day}
    elif pattern.kind == WEEKS:
        text = gettext("Every %(n)d weeks on %(day)s") % {"n": pattern.interval, "day": day}
    else:
        text = gettext("Every %(day)s") % {"day": day}
    text = text[:1].upper() + text[1:] + f", {slot.time}"
    if pattern.starts:
        text += ", " + gettext("from %(date)s") % {"date": pattern.starts.isoformat()}
    if pattern.ends:
        text += ", " + gettext("until %(date)s") % {"date": pattern.ends.isoformat()}
    return text
