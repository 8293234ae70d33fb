"""Where a submitted address lands: city-level coordinates and the time zone there (offline)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from finder.geo.cache import app_geocoder
from finder.geo.geocoding import geocode
from finder.geo.points import timezone_at


def locate(fields: Mapping[str, Any]) -> tuple[float, float] | None:
    """City-level coordinates of a submission's place from the configured geocoder, or None.

    Never an error: a geocoder outage must not block a submission or an approval.
    """
    if not current_app.config.get("SUBMISSIONS_GEOCODE", True):
        return None
    city = ", ".join(str(p) for p in (fields.get("city"), fields.get("state"), fields.get("country"))
                     if p)
    geocoder = app_geocoder()
    for query in (city, str(fields.get("postal_code") or "")):
        if not query.strip():
            continue
        try:
            point = geocode(query, geocoder)
        except Exception:
            current_app.logger.warning("geocoding a submission failed", exc_info=True)
            return None
        if point is not None:
            return point.latitude, point.longitude
    return None


def zone_of_address(fields: Mapping[str, Any]) -> str | None:
    """The IANA zone where the submission's place lands (as imports find it), or None."""
    point = locate(fields)
    return timezone_at(*point) if point else None
