"""finder.search.cursor: paging cursors round-trip, and anything this server did not make is refused."""
from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime

import pytest

from finder.search.cursor import NEAR, ONLINE, CursorError, decode_cursor, encode_cursor

NOW = datetime(2026, 1, 13, 17, 0, 5, tzinfo=UTC)


def forged(data: object) -> str:
    """A token shaped like the server's, around any JSON value."""
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(("segment", "key"), [
    (NEAR, [12.5, 42]), (NEAR, [0, 1]), (ONLINE, [1440, 7]), (ONLINE, None), (NEAR, [-3.25e-7, 2**40]),
])
def test_round_trip(segment, key):
    token = encode_cursor(segment, key, NOW)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)  # URL-safe, no padding
    assert decode_cursor(token) == (segment, key, NOW)


def test_the_instant_keeps_whole_seconds():
    assert decode_cursor(encode_cursor(NEAR, None, NOW.replace(microsecond=999_999)))[2] == NOW


@pytest.mark.parametrize("token", [
    "", "not-a-cursor", "!!!!", "e30",  # e30 is "{}"
    forged([NEAR, None, 1]),
    forged({"s": "far", "k": None, "t": 1}),  # a segment the search does not have
    forged({"s": NEAR, "k": None}),
    forged({"s": NEAR, "k": None, "t": 1.5}),
    forged({"s": NEAR, "k": None, "t": "1"}),
    forged({"s": NEAR, "k": None, "t": 10**20}),  # past any date
    forged({"s": NEAR, "k": [1], "t": 1}),
    forged({"s": NEAR, "k": [1, 2, 3], "t": 1}),
    forged({"s": NEAR, "k": [True, 1], "t": 1}),
    forged({"s": NEAR, "k": ["1", 2], "t": 1}),
    forged({"s": NEAR, "k": {"a": 1}, "t": 1}),
    base64.urlsafe_b64encode(b'{"s": "near", "k": [NaN, 1], "t": 1}').decode(),
    base64.urlsafe_b64encode(b'{"s": "near", "k": [Infinity, 1], "t": 1}').decode(),
    base64.urlsafe_b64encode(b'{"s": "near", "k": [1, -Infinity], "t": 1}').decode(),
    base64.urlsafe_b64encode(b"\xff\xfe not utf-8").decode(),
])
def test_anything_else_is_refused(token):
    with pytest.raises(CursorError):
        decode_cursor(token)


def test_a_tampered_token_is_refused():
    token = encode_cursor(NEAR, [12.5, 42], NOW)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    tampered = base64.urlsafe_b64encode(raw.replace(b'"near"', b'"nope"')).decode()
    with pytest.raises(CursorError):
        decode_cursor(tampered)
    with pytest.raises(CursorError):
        decode_cursor(token[:-3])  # cut short: no longer JSON


def test_cursor_error_is_a_value_error():
    assert issubclass(CursorError, ValueError)
