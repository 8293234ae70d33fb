"""What a request tells about the seeker: the time zone their browser reported."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import request

from finder.zones import zone_or_none

TZ_COOKIE = "tz"


def seeker_zone() -> ZoneInfo | None:
    """The seeker's zone: ``?tz=``, else the one the browser reported in a cookie, else unknown."""
    return zone_or_none(request.args.get("tz")) or zone_or_none(request.cookies.get(TZ_COOKIE))
