"""How often a submitted meeting meets: read from the form's words or the API's ``recurrence``
object, checked at the edge (one clear message under ``recurrence``), and said back as a sentence.

The form and the API share one shape, the stored one (``Recurrence.to_json``: ``kind``,
``interval``, ``anchor``, ``nths``, ``starts``, ``ends``, ``cancelled``, ``moved``); the form's
flat fields are turned into it first (``from_form``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from finder.enums import N_
from finder.pattern import (
    KINDS,
    MAX_EXCEPTIONS,
    MAX_INTERVAL,
    MONTHLY,
    NTHS,
    WEEKS,
    Moved,
    Recurrence,
)
from finder.recurrence import PatternSlot, describe
from finder.weekly import day_of
from importers.normalize import parse_time

FIELDS = frozenset({"kind", "interval", "anchor", "nths", "starts", "ends", "cancelled", "moved"})
MOVED_FIELDS = frozenset({"on", "time", "end_time", "location", "formatted_address"})
_LIST_SPLIT = re.compile(r"[\s,;]+")
#: A form line for a moved date: "2026-12-24 18:00" or "2026-12-24 18:00-19:00".
_MOVED_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})(?:\s*[-–]\s*(\d{1,2}:\d{2}))?$")

DATES = N_("Give dates as YYYY-MM-DD, for example 2026-12-24.")
MESSAGES = {
    "shape": N_("Send recurrence as an object, e.g. {\"kind\": \"monthly\", \"nths\": [1, 3]}."),
    "kind": N_("Choose how often it meets: every week, every few weeks, or monthly."),
    "interval": N_("Every 2 to 8 weeks: choose how many."),
    "anchor": N_("Give a date it meets, on its day, to count the weeks from."),
    "nths": N_("Choose which weeks of the month it meets (1st to 5th, or last)."),
    "order": N_("The last date comes before the first."),
    "off_day": N_("A cancelled or moved date is not a date this meeting meets."),
    "moved": N_("Give each moved date as YYYY-MM-DD HH:MM, one per line."),
    "twice": N_("A date is cancelled or moved once."),
    "many": N_("At most 200 cancelled or moved dates."),
}


class PatternError(ValueError):
    """A recurrence that cannot be stored; ``message`` is for the submitter (translatable)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def from_form(form: Any) -> dict[str, Any]:
    """The form's "How often" fields (a Werkzeug MultiDict) in the shared shape."""
    kind = (form.get("repeat") or "weekly").strip()
    data: dict[str, Any] = {"kind": kind}
    if kind == WEEKS:
        data |= {"interval": form.get("every_weeks", ""), "anchor": form.get("anchor", "")}
    if kind == MONTHLY:
        data["nths"] = form.getlist("nths")
    for name in ("starts", "ends"):
        data[name] = form.get(name, "")
    data["cancelled"] = [word for word in _LIST_SPLIT.split(form.get("cancelled", "")) if word]
    data["moved"] = [line.strip() for line in form.get("moved", "").splitlines() if line.strip()]
    return data


def form_fields(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored pattern as the form's flat fields (to prefill it)."""
    pattern = Recurrence.from_json(dict(value) if value else None)
    moved = [f"{m.on.isoformat()} {m.time or ''}{'-' + m.end_time if m.end_time else ''}".strip()
             for m in pattern.moved]
    return {
        "repeat": pattern.kind, "every_weeks": pattern.interval if pattern.kind == WEEKS else 2,
        "anchor": pattern.anchor.isoformat() if pattern.anchor else "",
        "nths": [str(n) for n in pattern.nths],
        "starts": pattern.starts.isoformat() if pattern.starts else "",
        "ends": pattern.ends.isoformat() if pattern.ends else "",
        "cancelled": "\n".join(on.isoformat() for on in pattern.cancelled),
        "moved": "\n".join(moved),
    }


def check_pattern(value: object, day: int | None) -> dict[str, Any] | None:
    """The stored JSON of a submitted pattern (None: every week), or PatternError.

    ``day`` (0 = Sunday) is the meeting's; None when it is itself in error (dates are then
    checked as dates only).
    """
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping) or set(value) - FIELDS:
        raise PatternError(MESSAGES["shape"])
    kind = value.get("kind") or "weekly"
    if kind not in KINDS:
        raise PatternError(MESSAGES["kind"])
    interval, anchor = 1, None
    if kind == WEEKS:
        interval = _number(value.get("interval"), "interval")
        if not 2 <= interval <= MAX_INTERVAL:
            raise PatternError(MESSAGES["interval"])
        anchor = _date(value.get("anchor"))
        if anchor is None or (day is not None and day_of(anchor) != day):
            raise PatternError(MESSAGES["anchor"])
    nths = _nths(value.get("nths")) if kind == MONTHLY else ()
    starts, ends = _date(value.get("starts")), _date(value.get("ends"))
    if starts and ends and ends < starts:
        raise PatternError(MESSAGES["order"])
    cancelled = tuple(sorted({_date(on) for on in _items(value.get("cancelled"))}))  # type: ignore[type-var]
    moved = tuple(_moved(item) for item in _items(value.get("moved")))
    if len(cancelled) + len(moved) > MAX_EXCEPTIONS:
        raise PatternError(MESSAGES["many"])
    try:
        pattern = Recurrence(kind=kind, interval=interval, anchor=anchor, nths=nths, starts=starts,
                             ends=ends, cancelled=cancelled,  # type: ignore[arg-type]
                             moved=tuple(sorted(moved, key=lambda m: m.on)))
    except ValueError:
        raise PatternError(MESSAGES["twice"]) from None
    if day is not None:
        try:
            pattern.check(day)
        except ValueError:
            raise PatternError(MESSAGES["off_day"]) from None
    return pattern.to_json()


def _items(value: object) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [word for word in _LIST_SPLIT.split(value) if word]
    if not isinstance(value, list):
        raise PatternError(MESSAGES["shape"])
    return value


def _number(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise PatternError(MESSAGES[what])
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise PatternError(MESSAGES[what])


def _nths(value: object) -> tuple[int, ...]:
    weeks = []
    for item in _items(value):
        week = _number(item, "nths")
        if week not in NTHS:
            raise PatternError(MESSAGES["nths"])
        if week not in weeks:
            weeks.append(week)
    if not weeks:
        raise PatternError(MESSAGES["nths"])
    return tuple(sorted(weeks, key=lambda n: (n < 0, n)))


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PatternError(DATES)


def _moved(item: object) -> Moved:
    if isinstance(item, str):  # a form line
        line = _MOVED_LINE.match(item)
        if not line:
            raise PatternError(MESSAGES["moved"])
        item = {"on": line[1], "time": line[2], "end_time": line[3]}
    if not isinstance(item, Mapping) or set(item) - MOVED_FIELDS or not item.get("on"):
        raise PatternError(MESSAGES["moved"])
    clocks = [parse_time(str(item[name])) if item.get(name) else None for name in ("time", "end_time")]
    if any(item.get(name) and clock is None for name, clock in zip(("time", "end_time"), clocks,
                                                                    strict=True)):
        raise PatternError(MESSAGES["moved"])
    texts = [str(item[name]).strip()[:255] if item.get(name) else None
             for name in ("location", "formatted_address")]
    on = _date(item["on"])
    assert on is not None
    return Moved(on, clocks[0], clocks[1], texts[0], texts[1])


def sentence(fields: Mapping[str, Any], gettext: Callable[[str], str],
             in_context: Callable[[str, str], str] | None = None) -> str | None:
    """How often the submitted meeting meets, in words ("First and third Monday of the month,
    19:00"); None when its day or time is missing. Pass Flask-Babel's ``gettext`` and
    ``pgettext`` to translate it."""
    if fields.get("day") is None or not fields.get("time"):
        return None
    pattern = Recurrence.from_json(fields.get("recurrence") or None)
    return describe(PatternSlot(int(fields["day"]), str(fields["time"]), pattern), gettext, in_context)
