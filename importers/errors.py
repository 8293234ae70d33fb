"""The importers' exception tree."""
from __future__ import annotations


class FeedError(Exception):
    """A feed could not be imported at all; nothing was changed."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source


class FeedFetchError(FeedError):
    """The feed could not be read: unreachable, too large, a bad HTTP status, a missing file."""


class FeedParseError(FeedError):
    """The feed was read but is not in the expected format."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, source=source)
        self.key = key
        self.line = line


class FeedNotModified(Exception):
    """A conditional fetch was answered 304: the feed is as last imported, nothing to read.

    Not a FeedError: nothing failed.
    """


class UnknownImporterError(FeedError, LookupError):
    """No importer is registered under the given name."""


class RecordError(ValueError):
    """One record cannot be imported (it is reported and skipped, the rest go on)."""

    def __init__(self, key: str | None, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason
