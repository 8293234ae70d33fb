"""Print a schedule's feed as a freshly started app serves it: ``python render_feed.py CONFIG_JSON TOKEN``.

A script rather than a fixture because tests/schedules/test_feed.py needs the feed rendered in a
new interpreter (its own hash seed, no zone or cache warmed up by the test process) to show that
the bytes do not depend on the process.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, when run by path

from finder import create_app  # noqa: E402


def render(config: dict, token: str) -> bytes:
    """The body of ``GET /feeds/TOKEN.ics`` from an app built with ``config``."""
    response = create_app(config).test_client().get(f"/feeds/{token}.ics")
    assert response.status_code == 200, response.status_code
    return response.data


if __name__ == "__main__":
    sys.stdout.buffer.write(render(json.loads(sys.argv[1]), sys.argv[2]))
