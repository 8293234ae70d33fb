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

from finder.models import Meeting  # noqa: E402
from tests import factories  # noqa: E402

CHANGED = datetime(2026, 6, 1, 12, 30, 45, tzinfo=UTC)
ADDED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def add_meeting(key: str, **fields: Any) -> Meeting:
    """``factories.meeting`` keyed by ``key``, with a revealing name and a fixed change time."""
    values: dict[str, Any] = dict(
        source_key=key, slug=key, name=f"AA Big Book Study {key}", location="Alano Club", day=1,
        created_at=CHANGED, changed_at=CHANGED,
    )
    return factories.meeting(**(values | fields))


def render_in_this_process(config: dict[str, Any], token: str) -> bytes:
    """The feed body as a fresh app serves it."""
    from finder import create_app

    app = create_app(config)
    response = app.test_client().get(f"/feeds/{token}.ics")
    assert response.status_code == 200, response.status_code
    return response.data


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.buffer.write(render_in_this_process(json.loads(sys.argv[1]), sys.argv[2]))
