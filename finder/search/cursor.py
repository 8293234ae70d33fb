"""Paging cursors: an opaque token for a position in the search's two lists and its instant."""
from __future__ import annotations

import base64
import binascii
import json
import math
from datetime import UTC, datetime
from typing import Any

NEAR, ONLINE = "near", "online"


class CursorError(ValueError):
    """A paging cursor that this server did not make (or that was altered)."""


def encode_cursor(segment: str, key: list[Any] | None, now: datetime) -> str:
    """An opaque token for the position after ``key`` in ``segment``, at the search instant."""
    data = {"s": segment, "k": key, "t": int(now.timestamp())}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[str, list[Any] | None, datetime]:
    """Read a cursor made by :func:`encode_cursor`; CursorError otherwise."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        segment, key, stamp = data["s"], data["k"], data["t"]
        if segment not in (NEAR, ONLINE) or not isinstance(stamp, int):
            raise ValueError(segment)
        if key is not None and not (len(key) == 2 and all(
                isinstance(part, int | float) and not isinstance(part, bool)
                and math.isfinite(part) for part in key)):
            raise ValueError(key)
        return segment, key, datetime.fromtimestamp(stamp, UTC)
    except (ValueError, TypeError, KeyError, OverflowError, binascii.Error,
            UnicodeDecodeError) as error:
        raise CursorError("not a cursor from this server") from error
