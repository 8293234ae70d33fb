"""Fixtures of the schedule tests: meetings with revealing names and a fixed change time."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from finder.models import Meeting

#: When every meeting made here was created and last changed, so feeds are the same on every day.
CHANGED = datetime(2026, 6, 1, 12, 30, 45, tzinfo=UTC)


@pytest.fixture
def add_meeting(make_meeting) -> Callable[..., Meeting]:
    """``add_meeting(key, **fields)``: a Monday meeting keyed ``key``, named "AA Big Book Study <key>".

    The name and the "Alano Club" location reveal the fellowship, for the discreet-feed tests;
    ``created_at`` and ``changed_at`` are fixed (the row's ``changed_at`` tells the value).
    """
    def add(key: str, **fields: Any) -> Meeting:
        values: dict[str, Any] = dict(
            source_key=key, slug=key, name=f"AA Big Book Study {key}", location="Alano Club", day=1,
            created_at=CHANGED, changed_at=CHANGED,
        )
        return make_meeting(**(values | fields))

    return add
