"""Meetings that are not plain weekly: every N weeks, monthly on the nth or last weekday, with
dated exceptions (cancelled and moved dates) and a first and last date.

The weekly rules stay in ``finder.weekly`` (day 0 = Sunday, ``HH:MM`` local clocks); this module
adds the pattern a meeting's ``day`` and ``time`` follow. A meeting without a ``Recurrence`` (or
with the default one) meets every week. Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from finder.enums import N_
from finder.weekly import DAY_NAMES, day_of, duration, local_start, parse_clock
from finder.zones import stored_zone

WEEKLY, WEEKS, MONTHLY = "weekly", "weeks", "monthly"
KINDS = (WEEKLY, WEEKS, MONTHLY)
#: Weeks of the month a monthly meeting can name: 1st..4th, 5th (months that have one) and last.
NTHS = (1, 2, 3, 4, 5, -1)
MAX_INTERVAL = 8
MAX_EXCEPTIONS = 200
#: How far ahead ``next_occurrence`` looks before it says there is none.
HORIZON = timedelta(days=800)


@dataclass(frozen=True)
class Moved:
    """One date on which the meeting meets at another time and/or place."""

    on: date  # the date it would have met (and still meets, at another time or place)
    time: str | None = None  # HH:MM local; None keeps the usual time
    end_time: str | None = None
    location: str | None = None
    formatted_address: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored in the meeting's ``recurrence`` column."""
        data = {"on": self.on.isoformat(), "time": self.time, "end_time": self.end_time,
                "location": self.location, "formatted_address": self.formatted_address}
        return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True)
class Recurrence:
    """The pattern of a meeting's ``day``: weekly, every ``interval`` weeks from ``anchor``, or
    monthly on the ``nths`` weeks of the month (1..5, -1 = last); plus its dated exceptions."""

    kind: str = WEEKLY
    interval: int = 1
    anchor: date | None = None  # a date it meets, for every-N-weeks
    nths: tuple[int, ...] = ()
    starts: date | None = None
    ends: date | None = None
    cancelled: tuple[date, ...] = ()
    moved: tuple[Moved, ...] = field(default=())

    def __post_init__(self) -> None:
        """Refuse a pattern that names no dates or is out of range (ValueError says which)."""
        if self.kind not in KINDS:
            raise ValueError(f"recurrence kind must be one of {KINDS}, not {self.kind!r}")
        if self.kind == WEEKS:
            if not 2 <= self.interval <= MAX_INTERVAL or self.anchor is None:
                raise ValueError(f"every N weeks needs N from 2 to {MAX_INTERVAL} and an anchor date")
        elif self.interval != 1 or self.anchor is not None:
            raise ValueError("only every-N-weeks meetings have an interval and an anchor")
        if self.kind == MONTHLY:
            if not self.nths or any(n not in NTHS for n in self.nths) \
                    or len(set(self.nths)) != len(self.nths):
                raise ValueError("a monthly meeting names weeks of the month: 1-5 or -1 (last)")
        elif self.nths:
            raise ValueError("only monthly meetings name weeks of the month")
        if self.starts and self.ends and self.ends < self.starts:
            raise ValueError("the last date is before the first")
        if len(self.cancelled) + len(self.moved) > MAX_EXCEPTIONS:
            raise ValueError(f"at most {MAX_EXCEPTIONS} cancelled or moved dates")
        moved_days = [m.on for m in self.moved]
        if len(set(moved_days)) != len(moved_days) or set(moved_days) & set(self.cancelled):
            raise ValueError("a date is moved or cancelled once")
        for moved in self.moved:
            for clock_text in (moved.time, moved.end_time):
                if clock_text is not None:
                    parse_clock(clock_text)

    @property
    def is_plain(self) -> bool:
        """True for a plain weekly meeting with no dates: what a row without a pattern means."""
        return self == PLAIN

    def check(self, day: int) -> None:
        """Refuse exceptions and anchors that are not on the meeting's ``day`` (0 = Sunday)."""
        if self.anchor is not None and day_of(self.anchor) != day:
            raise ValueError(f"the anchor date {self.anchor} is not a {day_name(day)}")
        for on in (*self.cancelled, *(m.on for m in self.moved)):
            if not self.meets_on(day, on):
                raise ValueError(f"{on} is not a date this meeting meets")

    def fitted(self, day: int) -> Recurrence:
        """This pattern for a meeting now on ``day``: the anchor moved to that weekday in its
        week, and the exceptions that are no longer dates it meets dropped."""
        anchor = self.anchor
        if anchor is not None and day_of(anchor) != day:
            anchor += timedelta(days=day - day_of(anchor))
        pattern = replace(self, anchor=anchor)
        return replace(pattern,
                       cancelled=tuple(on for on in self.cancelled if pattern.meets_on(day, on)),
                       moved=tuple(m for m in self.moved if pattern.meets_on(day, m.on)))

    def meets_on(self, day: int, on: date) -> bool:
        """True when the pattern has a meeting on local date ``on`` (cancelled or not)."""
        if day_of(on) != day or (self.starts and on < self.starts) or (self.ends and on > self.ends):
            return False
        if self.kind == WEEKS:
            assert self.anchor is not None
            return (on - self.anchor).days % (7 * self.interval) == 0
        if self.kind == MONTHLY:
            week = (on.day - 1) // 7 + 1
            last = (on + timedelta(days=7)).month != on.month
            return week in self.nths or (last and -1 in self.nths)
        return True

    def to_json(self) -> dict[str, Any] | None:
        """The JSON object stored in the ``recurrence`` column (None for plain weekly)."""
        if self.is_plain:
            return None
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == WEEKS:
            data |= {"interval": self.interval, "anchor": self.anchor.isoformat()}  # type: ignore[union-attr]
        if self.nths:
            data["nths"] = list(self.nths)
        for name in ("starts", "ends"):
            if getattr(self, name):
                data[name] = getattr(self, name).isoformat()
        if self.cancelled:
            data["cancelled"] = [on.isoformat() for on in sorted(self.cancelled)]
        if self.moved:
            data["moved"] = [m.to_json() for m in sorted(self.moved, key=lambda m: m.on)]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Recurrence:
        """Read what ``to_json`` wrote; raise ValueError on anything else."""
        if not data:
            return PLAIN
        if not isinstance(data, dict):
            raise ValueError("a recurrence is a JSON object")
        try:
            moved = tuple(
                Moved(date.fromisoformat(m["on"]), m.get("time"), m.get("end_time"),
                      m.get("location"), m.get("formatted_address"))
                for m in data.get("moved", ())
            )
            return cls(
                kind=data.get("kind", WEEKLY),
                interval=int(data.get("interval", 1)),
                anchor=_date(data.get("anchor")),
                nths=tuple(int(n) for n in data.get("nths", ())),
                starts=_date(data.get("starts")),
                ends=_date(data.get("ends")),
                cancelled=tuple(sorted(date.fromisoformat(d) for d in data.get("cancelled", ()))),
                moved=tuple(sorted(moved, key=lambda m: m.on)),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a recurrence: {error}") from None


PLAIN = Recurrence()


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


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


def day_name(day: int) -> str:
    """The English name of Meeting Guide day ``day``."""
    return DAY_NAMES[day]


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
