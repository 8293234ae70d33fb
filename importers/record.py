"""The normalised meeting record that every importer produces."""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from operator import attrgetter
from typing import Any

import orjson

from finder.enums import Attendance, Fellowship
from finder.pattern import Recurrence
from importers.normalize import storable

KEY_LIMIT = 200
REASON_LIMIT = 300


def _short(value: str, limit: int) -> str:
    """``value`` storable, and cut in the middle when longer than ``limit`` (the end says why)."""
    value = storable(value)
    if len(value) <= limit:
        return value
    tail = limit // 4
    return value[:limit - tail - 1] + "…" + value[-tail:]



@dataclass(frozen=True)
class Issue:
    """A problem found in a feed: a rejected record or a dropped field."""

    key: str | None
    reason: str

    def __post_init__(self) -> None:
        # One place keeps every report storable and small, whatever an importer quoted: no
        # NUL or lone surrogate, a key cut to its column, a reason cut in the middle.
        if self.key is not None:
            object.__setattr__(self, "key", _short(self.key, KEY_LIMIT))
        object.__setattr__(self, "reason", _short(self.reason, REASON_LIMIT))

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape used in import reports."""
        return {"key": self.key, "reason": self.reason}


# Slots: a frozen dataclass's __init__ sets each of the 31 fields with object.__setattr__,
# a quarter quicker on a slot than in a __dict__ (100,000 records an import).
@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """One weekly meeting in the Meeting Guide vocabulary, ready to be stored.

    ``raw`` keeps the source row for diagnosis (like geopy's ``Location.raw``); it is not
    part of the meeting's content and not stored.
    """

    source_key: str
    slug: str
    fellowship: Fellowship
    name: str
    day: int
    time: str
    timezone: str
    attendance_option: Attendance
    end_time: str | None = None
    types: tuple[str, ...] = ()
    location: str | None = None
    formatted_address: str | None = None
    approximate: bool = False
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_notes: str | None = None
    notes: str | None = None
    conference_url: str | None = None
    conference_url_notes: str | None = None
    conference_phone: str | None = None
    conference_phone_notes: str | None = None
    group: str | None = None
    url: str | None = None
    feedback_url: str | None = None
    updated: datetime | None = None
    recurrence: Recurrence | None = None  # None: every week (finder/pattern.py)
    warnings: tuple[Issue, ...] = field(default=(), compare=False)
    raw: Any = field(default=None, compare=False, repr=False)
    # The digest of the feed row, kept with the meeting when the row read cleanly (no warning,
    # nothing geocoded), so an unchanged row is not parsed again (loader.py). Not content.
    feed_digest: str | None = field(default=None, compare=False, repr=False)

    def columns(self) -> dict[str, Any]:
        """The record's stored fields, keyed by meeting column name (with the pattern's kind)."""
        columns = dict(zip(_stored_names(), _stored_values()(self), strict=True))
        columns["recurrence_kind"] = self.recurrence.kind if self.recurrence else None
        return columns

    def content_hash(self, columns: dict[str, Any] | None = None) -> str:
        """A digest of everything stored, so an unchanged re-import can be detected cheaply.

        Pass ``columns`` when they are already at hand (the loader needs them too).
        """
        columns = dict(columns if columns is not None else self.columns())
        if columns.get("recurrence") is None:  # weekly: the digest stays what it was before patterns
            columns.pop("recurrence", None)
            columns.pop("recurrence_kind", None)
        else:
            columns["recurrence"] = columns["recurrence"].to_json()
        return hashlib.sha1(canonical_json(columns)).hexdigest()


def canonical_json(columns: dict[str, Any]) -> bytes:
    """``json.dumps(columns, sort_keys=True, default=str, separators=(",", ":"))``, encoded.

    Every stored meeting's content hash is of this text, so it never changes, byte for byte:
    orjson writes it (a third of the standard encoder's time), and the standard encoder takes
    what orjson would write differently: text past ASCII (orjson does not escape it), DEL, a
    value orjson refuses (a lone surrogate, an integer past 64 bits), a float under 1e-4
    (``0.00001`` against ``1e-05``) and one that is not finite (``null`` against ``NaN``). The
    columns are flat: no float hides in a nested value.
    """
    try:
        payload = orjson.dumps(columns, default=str, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(columns).encode()
    if payload.isascii() and b"\x7f" not in payload and not any(
            isinstance(value, float) and value != 0 and not 1e-4 <= abs(value) < math.inf
            for value in columns.values()):
        return payload
    return _ENCODER.encode(columns).encode()


_NOT_STORED = {"warnings", "raw", "feed_digest"}
# json.dumps(sort_keys=True, default=str, separators=(",", ":")), made once (not per record).
_ENCODER = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":"))
# The same with orjson: dates and dataclasses through ``default=str`` as the encoder does.
_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


@cache
def _stored_names() -> tuple[str, ...]:
    # dataclasses.fields() is slow enough to matter at 100,000 records: read it once.
    return tuple(f.name for f in fields(MeetingRecord) if f.name not in _NOT_STORED)


@cache
def _stored_values() -> attrgetter[tuple[Any, ...]]:
    return attrgetter(*_stored_names())
