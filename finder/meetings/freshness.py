"""When a listing was last confirmed, and whether a seeker should be told it may be out of date.

A listing is confirmed by its source's last successful import while the source still carries it
(an import that dropped it would have marked it removed), or by a moderator's decision about it
(an approval, or clearing attendees' reports), whichever is later.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, literal_column, or_, select

from finder.extensions import db
from finder.models import Meeting, Source, utcnow
from finder.search import driver
from finder.sources.refresh import source_status
from finder.submissions.models import AuditRecord

STALE_AFTER = timedelta(days=90)
LOCAL_FORMAT = "local"
# Decisions that vouch for a listing as it stands (a rejection or a forward does not). The LIKE
# pattern is written into the SQL: SQLite re-prepares a statement at every run whose LIKE pattern
# is a bound parameter (its plan may depend on the value), which made the search API's page of
# rows parse and plan its SQL again for every page (3.6% of a search request's instructions).
_CONFIRMING = or_(AuditRecord.action.like(literal_column("'approve%'")),
                  AuditRecord.action == "clear reports")


class Freshness(NamedTuple):
    """A listing's last confirmation and why it might be out of date (a named tuple: a search
    page makes fifty, and a frozen dataclass costs several times as much to make)."""

    confirmed: datetime | None
    source_trouble: bool
    stale: bool


# Made once: SQLAlchemy finds their compiled form without building a query for every page.
_DECISIONS = (select(AuditRecord.meeting_id, func.max(AuditRecord.created_at))
              .where(AuditRecord.meeting_id.is_not(None), _CONFIRMING)
              .group_by(AuditRecord.meeting_id))
_DECISIONS_OF = _DECISIONS.where(AuditRecord.meeting_id.in_(bindparam("ids", expanding=True)))
_SOURCES = select(Source.id, Source.format, Source.last_success_at)
_TROUBLE = select(Source.id, Source.format, Source.flagged_at, Source.failures)


def decisions(meeting_ids: Iterable[int] | None = None) -> dict[int, datetime]:
    """The latest confirming moderator decision of each meeting (of all, when ids is None)."""
    # On the session's connection: plain rows, without the ORM's result machinery.
    connection = db.session.connection()
    rows = (connection.execute(_DECISIONS) if meeting_ids is None
            else connection.execute(_DECISIONS_OF, {"ids": list(meeting_ids)}))
    return {meeting_id: _aware(when) for meeting_id, when in rows}


def source_confirmations() -> dict[int, datetime | None]:
    """Each imported source's last successful import (None for the local source)."""
    rows = db.session.connection().execute(_SOURCES)
    return {sid: (None if fmt == LOCAL_FORMAT else _aware(at)) for sid, fmt, at in rows}


def latest(*times: datetime | None) -> datetime | None:
    """The latest of the given times, ignoring missing ones."""
    present = [t for t in times if t is not None]
    return max(present) if present else None


def freshness(meeting: Meeting, now: datetime | None = None) -> Freshness:
    """How fresh one meeting's listing is (for its page)."""
    now = now or utcnow()
    source = meeting.source
    by_source = (source.last_success_at
                 if source.format != LOCAL_FORMAT and meeting.is_listed else None)
    confirmed = latest(_aware(by_source), decisions([meeting.id]).get(meeting.id))
    trouble = source.format != LOCAL_FORMAT and source_status(source) in ("failing", "flagged")
    stale = trouble or confirmed is None or now - confirmed > STALE_AFTER
    return Freshness(confirmed, trouble, stale)


def _aware(when: datetime | None) -> datetime | None:
    # SQLite's MAX() hands back a plain string or naive value, not the column's aware type.
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def confirmation_columns() -> list[Any]:
    """A meeting's two confirmations as columns of a query on ``meetings`` (read with
    ``is_listed``; :func:`last_confirmed` takes the later): its source's last successful import (null
    for the local source) and its latest confirming decision. A query that reads a page's rows
    anyway gets them without a query of its own (the search API)."""
    by_source = (select(Source.last_success_at)
                 .where(Source.id == Meeting.source_id, Source.format != LOCAL_FORMAT)
                 .scalar_subquery())
    by_moderator = (select(func.max(AuditRecord.created_at))
                    .where(AuditRecord.meeting_id == Meeting.id, _CONFIRMING)
                    .scalar_subquery())
    return [by_source.label("source_confirmed"), by_moderator.label("moderator_confirmed")]


def last_confirmed(row: Any) -> datetime | None:
    """The last confirmation of a row read with :func:`confirmation_columns` and ``is_listed``."""
    by_source = _aware(row.source_confirmed) if row.is_listed else None
    if row.moderator_confirmed is None:  # most rows, fifty a search: no list, no max
        return by_source
    return latest(by_source, _aware(row.moderator_confirmed))


_CONFIRMATIONS = select(Meeting.id, Meeting.is_listed.expression.label("is_listed"),
                        *confirmation_columns()).where(Meeting.id.in_(bindparam("ids", expanding=True)))


def confirmations(meetings: Iterable[Meeting]) -> dict[int, datetime | None]:
    """The last confirmation of each of ``meetings``, in one query."""
    ids = [m.id for m in meetings]
    if not ids:
        return {}
    return {row.id: last_confirmed(row)
            for row in db.session.connection().execute(_CONFIRMATIONS, {"ids": ids})}


def page_freshness(rows: Iterable[Any], now: datetime | None = None) -> dict[int, Freshness]:
    """How fresh each of a page of results is, by the rule of :func:`freshness`: ``rows`` read
    with :func:`confirmation_columns` and ``is_listed``, and one query for the sources' trouble."""
    rows = list(rows)
    if not rows:
        return {}
    now = now or utcnow()
    # On the driver's cursor (finder/search/driver.py): a few rows, read for every page.
    trouble = {sid: fmt != LOCAL_FORMAT and (flagged is not None or bool(failures))
               for sid, fmt, flagged, failures in driver.rows(_TROUBLE, {})}
    found = {}
    for row in rows:
        when, failing = last_confirmed(row), trouble.get(row.source_id, False)
        found[row.id] = Freshness(when, failing, failing or when is None or now - when > STALE_AFTER)
    return found


def confirmed_date(when: datetime | None) -> str | None:
    """A confirmation as the API and the export give it: ``YYYY-MM-DD`` (UTC), or None."""
    return when.astimezone(UTC).date().isoformat() if when else None
