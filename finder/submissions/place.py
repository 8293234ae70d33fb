"""Where a submitted address lands: placed as imports place theirs, and the time zone there."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from finder.geo.cache import app_geocoder
from finder.geo.geocoding import geocode
from finder.geo.points import timezone_at
from finder.sources.geocoding import place_address
from finder.submissions.rules import formatted_address
from importers.base import Placed


def locate(fields: Mapping[str, Any]) -> Placed | None:
    """Where a submission's street address lands (see ``place``), or None."""
    address = formatted_address(fields)
    return place(address) if address else None


def place(address: str) -> Placed | None:
    """An address placed as imports place theirs, or None; never an error.

    The imports' path (finder/sources/geocoding.py): the geocode cache, then a configured online
    geocoder (street level), else offline by postal code or town (approximate). A geocoder
    outage places it offline: it must not block an approval.
    """
    if not current_app.config.get("SUBMISSIONS_GEOCODE", True):
        return None
    try:
        return place_address(address)
    except Exception:  # noqa: BLE001 (the cache itself failing must not fail an approval either)
        current_app.logger.warning("placing a submission failed", exc_info=True)
        return None


def town_point(fields: Mapping[str, Any]) -> tuple[float, float] | None:
    """Town-level coordinates of a submission's place from the configured geocoder, or None."""
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
        except Exception:  # noqa: BLE001 (a geocoder outage must not block a submission)
            current_app.logger.warning("geocoding a submission failed", exc_info=True)
            return None
        if point is not None:
            return point.latitude, point.longitude
    return None


def zone_of_address(fields: Mapping[str, Any]) -> str | None:
    """The IANA zone where the submission's town lands (as imports find it), or None."""
    point = town_point(fields)
    return timezone_at(*point) if point else None
