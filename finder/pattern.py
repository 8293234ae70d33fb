"""The pattern of a meeting that is not plain weekly: every N weeks, monthly on the nth or last
weekday, with dated exceptions (cancelled and moved dates) and a first and last date; its checks
and its JSON form (the ``recurrence`` column).

The weekly rules stay in ``finder.weekly`` (day 0 = Sunday, ``HH:MM`` local clocks); this module
adds the pattern a meeting's ``day`` and ``time`` follow. A meeting without a ``Recurrence`` (or
with the default one) meets every week. The dates it gives are ``finder.recurrence``'s to count.
Pure: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from finder.weekly import DAY_NAMES, day_of, parse_clock

WEEKLY, WEEKS, MONTHLY = "weekly", "weeks", "monthly"
KINDS = (WEEKLY, WEEKS, MONTHLY)
#: Weeks of the month a monthly meeting can name: 1st..4th, 5th (months that have one) and last.
NTHS = (1, 2, 3, 4, 5, -1)
MAX_INTERVAL = 8
MAX_EXCEPTIONS = 200


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


def day_name(day: int) -> str:
    """The English name of Meeting Guide day ``day``."""
    return DAY_NAMES[day]
