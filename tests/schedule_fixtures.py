"""Meetings for the schedule and feed tests, and a script that renders a feed in a fresh process.

Run as ``python tests/schedule_fixtures.py CONFIG_JSON TOKEN`` it prints the body of
``GET /feeds/TOKEN.ics`` from an app built with that config (for the byte-stability test).
"""
from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # pragma: no cover - only when run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from finder.enums import Attendance, Fellowship  # noqa: E402
from finder.extensions import db  # noqa: E402
from finder.models import Meeting, Source  # noqa: E402

CHANGED = datetime(2026, 6, 1, 12, 30, 45, tzinfo=UTC)
ADDED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def add_source(name: str = "test-intergroup") -> Source:
    """A source to hang meetings on (flushed, so it has an id)."""
    source = Source(name=name, url="test", format="meeting-guide", fellowship=Fellowship.AA)
    db.session.add(source)
    db.session.flush()
    return source


def add_meeting(source: Source, key: str, **fields: Any) -> Meeting:
    """A meeting with sensible defaults (an in-person AA meeting Monday 19:00 in New York)."""
    values: dict[str, Any] = dict(
        source_key=key, slug=key, fellowship=Fellowship.AA, name=f"AA Big Book Study {key}",
        day=1, time="19:00", end_time="20:00", timezone="America/New_York",
        attendance_option=Attendance.IN_PERSON, types=("O", "BB"),
        location="Alano Club", formatted_address="12 Main St, Springfield, NY 10001, USA",
        latitude=40.75, longitude=-73.99, content_hash="x" * 40, sequence=0,
        created_at=CHANGED, changed_at=CHANGED,
    )
    values.update(fields)
    meeting = Meeting(source=source, **values)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def render_in_this_process(config: dict[str, Any], token: str) -> bytes:
    """The feed body as a fresh app serves it."""
    from finder import create_app

    app = create_app(config)
    response = app.test_client().get(f"/feeds/{token}.ics")
    assert response.status_code == 200, response.status_code
    return response.data


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.buffer.write(render_in_this_process(json.loads(sys.argv[1]), sys.argv[2]))
