"""Sorting an importer's output before it is loaded: the records, the rejections (a repeated
source key among them) and the warnings, in feed order. Pure: no database."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

from importers.base import Notice, ParseItem, Rejected, Unchanged
from importers.record import Issue, MeetingRecord
from importers.repairs import Tally

# Worded once for every format: each importer's key (slug, root server + id_bigint, ...) is
# the source key.
DUPLICATE_KEY = "duplicate key: an earlier record has it"


class Collected(NamedTuple):
    """A feed's parse sorted out: the records to load, the rejections and the warnings, and
    the keys of the meetings whose feed rows are unchanged (not read again)."""

    records: list[MeetingRecord]
    rejected: list[Issue]
    warnings: list[Issue]
    unchanged: list[str]


def collect(
    items: Iterable[ParseItem], *, progress: Callable[[int], None] | None = None
) -> Collected:
    """Sort an importer's output into records, rejections and warnings, in feed order.

    A repeated source key is rejected here, once for every importer: a source's keys must be
    unique (a repeat would break the unique constraint), and the first record keeps the key.
    """
    collected = Collected([], [], [], [])
    keys: set[str] = set()
    tallies: Counter[str] = Counter()
    for item in items:
        if isinstance(item, MeetingRecord):
            if item.source_key in keys:
                collected.rejected.append(Rejected(item.source_key, DUPLICATE_KEY))
                continue
            keys.add(item.source_key)
            collected.records.append(item)
            for warning in item.warnings:
                if isinstance(warning, Tally):
                    tallies[warning.reason] += 1
                else:
                    collected.warnings.append(warning)
            if progress and len(collected.records) % 5000 == 0:
                progress(len(collected.records) + len(collected.unchanged))
        elif isinstance(item, Unchanged):
            if item.key in keys:
                collected.rejected.append(Rejected(item.key, DUPLICATE_KEY))
                continue
            keys.add(item.key)
            collected.unchanged.append(item.key)
        elif isinstance(item, Rejected):
            collected.rejected.append(item)
        elif isinstance(item, Notice):
            collected.warnings.append(item)
    collected.warnings.extend(Notice(None, f"{count} {reason}") for reason, count in tallies.items())
    if progress:
        progress(len(collected.records) + len(collected.unchanged))
    return collected
