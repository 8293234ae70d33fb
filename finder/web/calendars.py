"""Calendar answers that skip the work: an ETag from cheap stamps, a 304 before any rendering,
and rendered bodies kept per process under that ETag.

A feed's bytes depend only on its data (``feeds.ical``), so a validator built from what the data
is made of (settings, picks, each meeting's change stamps) plus the version of the code and zone
data that turn it into bytes names the body exactly: a cached body is never stale, and any
change in the data or the code gives another tag.
"""
from __future__ import annotations

import functools
import hashlib
import threading
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import icalendar
import tzdata
from flask import Response, current_app, request

import feeds
import finder.pattern
import finder.recurrence
import finder.weekly
import finder.zones

#: Rendered calendars kept per worker process, and the bytes they may take together (a
#: 30-meeting feed is about 30 KB; a plan holds at most 200 meetings).
CACHE_SIZE = 512
CACHE_BYTES = 32 * 1024 * 1024
#: Content codings a compressed variant's ETag ends with (``"tag:gzip"``, Flask-Compress's way).
CODINGS = ("gzip", "br", "zstd", "deflate")
#: The modules whose code shapes a calendar's bytes: every one of ``feeds/``, and these.
_SHAPERS = (finder.pattern, finder.recurrence, finder.weekly, finder.zones)


@functools.cache
def code_version() -> str:
    """A digest of what turns data into calendar bytes: our feed code, icalendar, the zone data."""
    digest = hashlib.sha256(icalendar.__version__.encode() + _zone_data_version().encode())
    for path in shaping_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def shaping_files() -> list[Path]:
    """The source files ``code_version`` digests: every module of ``feeds/``, and ``_SHAPERS``."""
    feeds_folder = Path(feeds.__file__ or "").parent
    return [*sorted(feeds_folder.glob("*.py")), *(Path(module.__file__ or "") for module in _SHAPERS)]


def _zone_data_version() -> str:
    for folder in zoneinfo.TZPATH:  # zoneinfo reads the system's zone files first
        try:
            with (Path(folder) / "tzdata.zi").open() as first:
                return first.readline().strip()
        except OSError:
            continue
    return tzdata.IANA_VERSION


@functools.lru_cache(maxsize=256)
def validator(*parts: object) -> str:
    """The ETag value of a calendar made from ``parts`` (plain values: str, int, datetime, tuples).

    Kept per process: a feed asked for again (its 304) hashes its parts instead of digesting them.
    """
    return hashlib.sha256(repr((code_version(), parts)).encode()).hexdigest()[:32]


class Rendered:
    """A least-recently-used map of ETag to body, bounded in entries and bytes, safe across threads."""

    def __init__(self, size: int = CACHE_SIZE, max_bytes: int = CACHE_BYTES) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, tag: str) -> bytes | None:
        """The body kept under ``tag``, or None."""
        with self._lock:
            body = self._bodies.get(tag)
            if body is not None:
                self._bodies.move_to_end(tag)
            return body

    def put(self, tag: str, body: bytes) -> None:
        """Keep ``body`` under ``tag``, forgetting the least recently used beyond the bounds."""
        with self._lock:
            old = self._bodies.pop(tag, None)
            self._bytes += len(body) - (len(old) if old is not None else 0)
            self._bodies[tag] = body
            while len(self._bodies) > self.size or (self._bytes > self.max_bytes and len(self._bodies) > 1):
                self._bytes -= len(self._bodies.popitem(last=False)[1])


def rendered() -> Rendered:
    """This app's cache (one per app, so two apps in a process, as in tests, never share one)."""
    cache = current_app.extensions.get("finder.calendars")
    if cache is None:
        cache = current_app.extensions["finder.calendars"] = Rendered()
    return cache


def _matched(tag: str) -> str | None:
    """The tag from If-None-Match that names ``tag`` (plain or a compressed variant of it)."""
    sent = request.if_none_match
    if sent.star_tag:
        return tag
    for candidate in sent.as_set(include_weak=True):
        base, _, coding = candidate.rpartition(":")
        if candidate == tag or (base == tag and coding in CODINGS):
            return candidate
    return None


def _unchanged(tag: str, last_modified: datetime) -> str | None:
    """The ETag a 304 should carry, or None when the client's copy is not current."""
    if request.if_none_match:  # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
        return _matched(tag)
    since = request.if_modified_since
    return tag if since is not None and last_modified.replace(microsecond=0) <= since else None


def calendar_response(tag: str, last_modified: datetime, disposition: str,
                      build: Callable[[], bytes]) -> Response:
    """A conditional ``text/calendar`` answer: 304 without building, else the body kept under
    ``tag`` or built by ``build`` (and kept). HEAD gets the headers of GET."""
    headers = {"Cache-Control": "private, max-age=900", "X-Robots-Tag": "noindex"}
    if (current := _unchanged(tag, last_modified)) is not None:
        response = Response(status=304, headers=headers)
        response.set_etag(current)
    else:
        cache = rendered()
        body = cache.get(tag)
        if body is None:
            body = build()
            cache.put(tag, body)
        response = Response(body, mimetype="text/calendar", headers=headers)  # charset=utf-8 added
        response.headers["Content-Disposition"] = disposition
        response.set_etag(tag)
    response.last_modified = last_modified.replace(microsecond=0)
    return response
