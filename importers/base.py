"""The importer base class: ``fetch`` is the only I/O, ``parse`` is pure."""
from __future__ import annotations

import http.client
import io
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import ClassVar, NamedTuple
from urllib.parse import urlsplit

from finder.enums import Fellowship
from importers.errors import FeedFetchError, FeedNotModified, RecordError
from importers.record import Issue, MeetingRecord

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
READ_SIZE = 64 * 1024
# Python refuses to read ints past 4,300 digits (and a feed's ids are far shorter).
MAX_INT_DIGITS = 100
USER_AGENT = "MeetingFinder/0.1 (+feed importer)"


class Rejected(Issue):
    """A record that was reported and skipped."""


class Notice(Issue):
    """A warning about the feed or one field of a record; nothing was skipped."""


class Unchanged(NamedTuple):
    """A feed row that reads exactly as when its meeting was stored (same row, same options,
    same importer code): the meeting keyed ``key`` is unchanged, and the row is not parsed again."""

    key: str


ParseItem = MeetingRecord | Rejected | Notice | Unchanged


class Placed(NamedTuple):
    """Where a geocoder put an address, whether only roughly (postal code, town), and how."""

    latitude: float
    longitude: float
    approximate: bool
    how: str


def rejection(exc: Exception, key: str | None) -> Rejected:
    """Any exception raised while reading one record, as that record's rejection.

    A RecordError gives its own key and reason; anything else (a value no check foresaw) is
    named by its type, so one bad record never stops the feed.
    """
    if isinstance(exc, RecordError):
        return Rejected(exc.key or key, exc.reason)
    return Rejected(key, f"could not be read: {type(exc).__name__}: {exc}")


def json_int(digits: str) -> int | str:
    """``json.loads``'s ``parse_int``: a number too long to be an int stays its digits (a string)."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


class Validators(NamedTuple):
    """An HTTP answer's ``ETag`` and ``Last-Modified``, sent back to ask "changed since?"."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers these validators make (none when both are empty)."""
        out = {"If-None-Match": self.etag} if self.etag else {}
        return out | ({"If-Modified-Since": self.last_modified} if self.last_modified else {})


@dataclass(frozen=True)
class ImportOptions:
    """What the caller knows about a source that its feed may not say."""

    fellowship: Fellowship = Fellowship.AA
    default_timezone: str | None = None
    source_name: str = "feed"
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    # A CSV in a layout of its own: (field, the feed's column) pairs (importers/csv_columns.py).
    columns: tuple[tuple[str, str], ...] = ()
    # Places an address with no coordinates (the app's geocoder and cache; importers stay
    # free of Flask): returns (latitude, longitude, approximate, how) or None.
    geocode: Callable[[str], Placed | None] | None = field(default=None, compare=False)
    # What the source's last fetch answered: an importer that can ask "changed since?" sends
    # them, and raises FeedNotModified on a 304.
    validators: Validators | None = None
    # The source's stored meetings by the digest of the feed row each was read from (the
    # loader's; importers/common.py row_digest): the key of the meeting a row gave, or None.
    unchanged: Callable[[str], str | None] | None = field(default=None, compare=False)


class Importer:
    """Reads one source format: fetch the bytes, then parse them into records."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    # The fellowship a new source of this format belongs to when none is given (one-fellowship formats).
    fellowship: ClassVar[Fellowship | None] = None
    # True when the feed is read through the importer's own fetch even after the format was
    # recognised from the bytes (a manifest that names the real file, a file too large to hold).
    fetches_itself: ClassVar[bool] = False

    def __init__(self, options: ImportOptions | None = None) -> None:
        self.options = options or ImportOptions()
        # Set by a fetch that got them: what to send next time (stored on the source).
        self.validators: Validators | None = None

    def fetch(self, location: str) -> bytes:
        """Read a feed from a file path or an http(s) URL, bounded in time and size."""
        return fetch_bytes(location, timeout=self.options.timeout, max_bytes=self.options.max_bytes)

    def parse(self, raw: bytes) -> Iterator[ParseItem]:
        """Turn feed bytes into records, rejections and notices. Raises FeedParseError."""
        raise NotImplementedError

    @classmethod
    def sniff(cls, raw: bytes) -> bool:
        """True if ``raw`` looks like this importer's format (used when no format is given)."""
        return False


def fetch_bytes(location: str, *, timeout: float, max_bytes: int) -> bytes:
    """Read ``location`` (a path or an http(s) URL), gunzipping, and refusing what is too large."""
    if location.startswith(("http://", "https://")):
        data = _fetch_url(location, timeout=timeout, max_bytes=max_bytes)
    elif "://" in location:
        raise FeedFetchError(f"unsupported URL scheme in {location!r}: use http(s) or a file path")
    else:
        data = _read_file(Path(location), max_bytes=max_bytes)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, location, max_bytes=max_bytes)
    return data


def is_root_server(location: str) -> bool:
    """True for a root server's URL (not a JSON file, not a ``client_interface`` query)."""
    if not location.startswith(("http://", "https://")):
        return False
    path = urlsplit(location).path.lower()
    return ("switcher=" not in location and "client_interface" not in path
            and not path.endswith((".json", ".ndjson", ".jsonl", ".gz", ".csv")))


def _read_file(path: Path, *, max_bytes: int) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # /dev/zero reads forever, a FIFO may never answer
            raise FeedFetchError(f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise FeedFetchError(f"{path} is too large ({info.st_size:,} bytes; the limit is {max_bytes:,})")
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise FeedFetchError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise FeedFetchError(f"{path} is a directory, not a feed file") from None
    except PermissionError:
        raise FeedFetchError(f"cannot read {path}: permission denied") from None
    if len(data) > max_bytes:
        raise FeedFetchError(f"{path} is too large (over {max_bytes:,} bytes)")
    return data


def _fetch_url(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """GET ``url`` within ``timeout`` seconds in all (not per read: a slow drip is cut off too)."""
    chunks: list[bytes] = []
    stream_url(url, chunks.append, timeout=timeout, max_bytes=max_bytes)
    return b"".join(chunks)


def stream_url(url: str, write: Callable[[bytes], object], *, timeout: float, max_bytes: int,
               headers: dict[str, str] | None = None) -> Message:
    """GET ``url``, handing each piece of the body to ``write``; the response's headers.

    The whole answer must come within ``timeout`` seconds and ``max_bytes`` bytes. ``headers``
    are sent too (``If-None-Match``...): a 304 answer raises FeedNotModified.
    """
    # Here, not at the top: a feed read from a file (finder import FILE) loads neither (7 M
    # instructions of start-up with gzip below).
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT, "Accept-Encoding": "gzip", "Accept": "application/json, */*",
        **(headers or {})})
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FeedFetchError(f"{url} is too large ({int(length):,} bytes; the limit is {max_bytes:,})")
            while size <= max_bytes:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                _limit_next_read(response, remaining)
                chunk = response.read1(min(READ_SIZE, max_bytes + 1 - size))
                if not chunk:
                    break
                write(chunk)
                size += len(chunk)
            answer = response.headers
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            raise FeedNotModified(f"{url} has not changed (HTTP 304)") from None
        raise FeedFetchError(f"{url} answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if not isinstance(exc.reason, TimeoutError):
            raise FeedFetchError(f"cannot reach {url}: {exc.reason}") from None
        raise FeedFetchError(f"{url} did not answer within {timeout:g} s") from None
    except TimeoutError:  # the whole answer, not each read, must come within the deadline
        raise FeedFetchError(f"{url} did not answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FeedFetchError(f"cannot read {url}: {exc}") from None
    if size > max_bytes:
        raise FeedFetchError(f"{url} is too large (over {max_bytes:,} bytes)")
    return answer


def _limit_next_read(response: http.client.HTTPResponse, seconds: float) -> None:
    # The socket's own timeout bounds one read; lowering it to what is left of the deadline
    # bounds the whole fetch. (http.client keeps the socket as fp.raw._sock.)
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def _gunzip(data: bytes, location: str, *, max_bytes: int) -> bytes:
    import gzip

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise FeedFetchError(f"{location} is not valid gzip: {exc}") from None
    if len(out) > max_bytes:
        raise FeedFetchError(f"{location} is too large once decompressed (over {max_bytes:,} bytes)")
    return out
