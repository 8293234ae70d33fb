"""Rows for tests that need meetings in the database without going through an importer."""
from __future__ import annotations

from typing import Any

from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.models import Meeting, Source


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
    values: dict[str, Any] = {
        "source_key": fields.get("slug", "m-" + str(fields.get("name", "x")).lower().replace(" ", "-")),
        "slug": "tuesday-night", "fellowship": Fellowship.AA, "name": "Tuesday Night",
        "day": 2, "time": "19:00", "end_time": "20:00", "timezone": "America/New_York",
        "attendance_option": Attendance.IN_PERSON, "types": ("O", "D"),
        "location": "Church Hall", "formatted_address": "490 Riverside Dr, New York, NY 10027, USA",
        "latitude": 40.8117, "longitude": -73.9626, "content_hash": "test",
    }
    values.update(fields)
    values.setdefault("source_id", source().id)
    row = Meeting(**values)
    db.session.add(row)
    db.session.flush()
    return row
