"""What a request tells about the seeker: the time zone their browser reported, and "now"."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, request

from finder.zones import zone_or_none

TZ_COOKIE = "tz"


def seeker_zone() -> ZoneInfo | None:
    """The seeker's zone: ``?tz=``, else the one the browser reported in a cookie, else unknown."""
    return zone_or_none(request.args.get("tz")) or zone_or_none(request.cookies.get(TZ_COOKIE))


def fixed_now() -> datetime | None:
    """The instant tests fix with ``FIXED_NOW`` (ISO 8601, aware); honoured only when TESTING."""
    value = current_app.config.get("FIXED_NOW") if current_app.testing else None
    return datetime.fromisoformat(value) if value else None
