"""A meeting's pattern in the API: structured (as stored, finder/pattern.py) plus the sentence,
and the JSON schema both the answers and a submission's ``recurrence`` follow."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from finder.api.openapi import CLOCK
from finder.pattern import KINDS, MAX_INTERVAL, NTHS, PLAIN
from finder.recurrence import PatternSlot, Slot, describe, pattern_of

DATE = {"type": "string", "format": "date"}
#: The stored shape (``Recurrence.to_json``); every field but ``kind`` optional.
PATTERN_FIELDS: dict[str, Any] = {
    "kind": {"enum": list(KINDS), "description": "weekly, weeks (every N weeks from anchor) or "
                                                 "monthly (on the nths weeks of the month)"},
    "interval": {"type": "integer", "minimum": 2, "maximum": MAX_INTERVAL,
                 "description": "weeks: meets every N weeks"},
    "anchor": {**DATE, "description": "weeks: a date it meets (on its day)"},
    "nths": {"type": "array", "items": {"enum": list(NTHS)}, "minItems": 1, "uniqueItems": True,
             "description": "monthly: weeks of the month, 1-5, -1 = last"},
    "starts": {**DATE, "description": "first date"},
    "ends": {**DATE, "description": "last date"},
    "cancelled": {"type": "array", "items": DATE, "description": "dates it does not meet"},
    "moved": {"type": "array", "description": "dates it meets at another time or place",
              "items": {"type": "object", "required": ["on"], "additionalProperties": False,
                        "properties": {"on": DATE, "time": CLOCK, "end_time": CLOCK,
                                       "location": {"type": "string"},
                                       "formatted_address": {"type": "string"}}}},
}
RECURRENCE = {
    "type": "object", "required": ["kind", "description"], "additionalProperties": False,
    "description": "how often it meets; weekly for most meetings",
    "properties": PATTERN_FIELDS | {"description": {
        "type": "string", "description": "in words, e.g. 'First and third Monday of the month, 19:00'"}},
}


def recurrence_json(meeting: Slot) -> dict[str, Any]:
    """The meeting's pattern as the API shows it (``{"kind": "weekly", ...}`` for most)."""
    if getattr(meeting, "recurrence", None) is None:
        return dict(_weekly_json(meeting.day, meeting.time))
    pattern = pattern_of(meeting)
    return {"kind": pattern.kind, **(pattern.to_json() or {}), "description": describe(meeting)}


@lru_cache(maxsize=2048)
def _weekly_json(day: int, time: str) -> dict[str, Any]:
    # Most meetings are plain weekly: their pattern in words depends on the day and time alone.
    slot = PatternSlot(day, time, PLAIN)
    return {"kind": PLAIN.kind, "description": describe(slot)}
