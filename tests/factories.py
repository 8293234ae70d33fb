"""Rows for tests that need meetings in the database without going through an importer."""
from __future__ import annotations

from typing import Any

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from tests.conftest import meeting_values


def source(name: str = "test-source", **fields: Any) -> Source:
    """A source row (flushed, so it has an id)."""
    row = db.session.scalar(db.select(Source).where(Source.name == name))
    if row is None:
        row = Source(name=name, url=fields.pop("url", "https://example.org/feed.json"),
                     format="meeting-guide", fellowship=Fellowship.AA, **fields)
        db.session.add(row)
        db.session.flush()
    return row


def meeting(**fields: Any) -> Meeting:
    """A listed in-person AA meeting in New York on Tuesday at 19:00, with ``fields`` replacing any of that."""
    values = meeting_values(fields)
    values.setdefault("source_id", source().id)
    row = Meeting(**values)
    db.session.add(row)
    db.session.flush()
    return row
