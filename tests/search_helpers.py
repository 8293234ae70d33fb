"""Meetings made directly in the database for the search and API tests."""
from __future__ import annotations

from typing import Any

from finder.enums import Attendance
from finder.models import Meeting
from tests.factories import meeting

BMLT_ORIGIN = (36.065752051707, -79.793701171875)


def add_meeting(name: str, **fields: Any) -> Meeting:
    """Add a meeting (in person in Midtown New York, Monday 19:00, open) unless told otherwise."""
    values: dict[str, Any] = {"name": name, "day": 1, "time": "19:00", "end_time": None,
                              "types": ("O",), "latitude": 40.75, "longitude": -73.99}
    if fields.get("attendance_option") == Attendance.ONLINE and "latitude" not in fields:
        values.update(latitude=None, longitude=None, formatted_address=None, location=None,
                      conference_url="https://zoom.us/j/123")
    return meeting(**(values | fields))
