"""The importer base class: ``fetch`` is the only I/O, ``parse`` is pure."""
from __future__ import annotations

import gzip
import io
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from finder.enums import Fellowship
from importers.errors import FeedFetchError
from importers.record import Issue, MeetingRecord

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
USER_AGENT = "MeetingFinder/0.1 (+feed importer)"


class Rejected(Issue):
    """A record that was reported and skipped."""


class Notice(Issue):
    """A warning about the feed or one field of a record; nothing was skipped."""


ParseItem = MeetingRecord | Rejected | Notice


@dataclass(frozen=True)
class ImportOptions:
    """What the caller knows about a source that its feed may not say."""

    fellowship: Fellowship = Fellowship.AA
    default_timezone: str | None = None
    source_name: str = "feed"
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES


class Importer:
    """Reads one source format: fetch the bytes, then parse them into records."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    # The fellowship a new source of this format belongs to when none is given (one-fellowship formats).
    fellowship: ClassVar[Fellowship | None] = None

    def __init__(self, options: ImportOptions | None = None) -> None:
        self.options = options or ImportOptions()

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


def _read_file(path: Path, *, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FeedFetchError(f"{path} is too large ({size:,} bytes; the limit is {max_bytes:,})")
        return path.read_bytes()
    except FileNotFoundError:
        raise FeedFetchError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise FeedFetchError(f"{path} is a directory, not a feed file") from None
    except PermissionError:
        raise FeedFetchError(f"cannot read {path}: permission denied") from None


def _fetch_url(url: str, *, timeout: float, max_bytes: int) -> bytes:
    request = urllib.request.Request(
        url,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", "Accept": "application/json, */*"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FeedFetchError(f"{url} is too large ({int(length):,} bytes; the limit is {max_bytes:,})")
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FeedFetchError(f"{url} answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FeedFetchError(f"cannot reach {url}: {exc.reason}") from None
    except TimeoutError:
        raise FeedFetchError(f"{url} did not answer within {timeout:g} s") from None
    except OSError as exc:
        raise FeedFetchError(f"cannot read {url}: {exc}") from None
    if len(data) > max_bytes:
        raise FeedFetchError(f"{url} is too large (over {max_bytes:,} bytes)")
    return data


def _gunzip(data: bytes, location: str, *, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise FeedFetchError(f"{location} is not valid gzip: {exc}") from None
    if len(out) > max_bytes:
        raise FeedFetchError(f"{location} is too large once decompressed (over {max_bytes:,} bytes)")
    return out
