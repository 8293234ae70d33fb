"""Fixtures of the search tests: meetings with search defaults, and BMLT's test origin."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from finder.enums import Attendance
from finder.models import Meeting


@pytest.fixture
def bmlt_origin() -> tuple[float, float]:
    """The origin of BMLT's own distance tests (Greensboro, NC), whose answers the search must match."""
    return (36.065752051707, -79.793701171875)


@pytest.fixture
def add_meeting(make_meeting) -> Callable[..., Meeting]:
    """``add_meeting(name, **fields)``: a meeting in person in Midtown New York, Monday 19:00, open.

    An online one (``attendance_option=Attendance.ONLINE``) has no place unless given one, and a
    Zoom link.
    """
    def add(name: str, **fields: Any) -> Meeting:
        values: dict[str, Any] = {"name": name, "day": 1, "time": "19:00", "end_time": None,
                                  "types": ("O",), "latitude": 40.75, "longitude": -73.99}
        if fields.get("attendance_option") == Attendance.ONLINE and "latitude" not in fields:
            values.update(latitude=None, longitude=None, formatted_address=None, location=None,
                          conference_url="https://zoom.us/j/123")
        return make_meeting(**(values | fields))

    return add
