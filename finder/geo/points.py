"""Offline geography: great-circle maths, search boxes and time zones (place names: places.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from finder.zones import zone_name

#: Mean Earth radius (IUGG R1), the usual choice for spherical distances.
EARTH_RADIUS_KM = 6371.0088

# Points exactly on the search circle must not be lost to floating-point rounding, so boxes are
# widened by a hair (1e-9 degree is about 0.1 mm).
_PAD_DEGREES = 1e-9

# Within this many degrees of (0, 0) a coordinate is a feed's placeholder, not a place in the sea.
_NULL_ISLAND_DEGREES = 1e-6

_WHOLE_WORLD = ((-180.0, 180.0),)


def coordinates(latitude: object, longitude: object) -> tuple[float, float] | None:
    """Floats of a usable position from numbers or numeric strings (feeds send strings and junk).

    None when either is missing, not finite, out of range, or at (0, 0), a feed's placeholder.
    """
    try:
        lat = float(latitude)  # type: ignore[arg-type]
        lon = float(longitude)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    if abs(lat) < _NULL_ISLAND_DEGREES and abs(lon) < _NULL_ISLAND_DEGREES:
        return None
    return lat, lon


def valid_coordinates(latitude: object, longitude: object) -> bool:
    """Tell whether a latitude/longitude pair is a usable position (see :func:`coordinates`)."""
    return coordinates(latitude, longitude) is not None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    # min() guards asin against a rounding overshoot for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A latitude band and one or two longitude ranges that together enclose a search circle.

    ``lon_ranges`` holds ``(min_lon, max_lon)`` pairs with ``min_lon <= max_lon``: one pair
    normally, two when the circle crosses the antimeridian (a point matches if it falls in
    either), and ``((-180.0, 180.0),)`` when the circle reaches a pole.
    """

    min_lat: float
    max_lat: float
    lon_ranges: tuple[tuple[float, float], ...]

    @property
    def crosses_antimeridian(self) -> bool:
        """Tell whether the longitude test needs two ranges."""
        return len(self.lon_ranges) > 1

    def contains(self, latitude: float, longitude: float) -> bool:
        """Tell whether a point lies inside the box (the prefilter, not the exact distance test)."""
        if not self.min_lat <= latitude <= self.max_lat:
            return False
        return any(low <= longitude <= high for low, high in self.lon_ranges)


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """Return the smallest latitude/longitude box around a spherical circle, for an index prefilter.

    Parameters:
        latitude, longitude: the centre in degrees.
        radius_km: the search radius in kilometres, zero or more.

    Returns:
        A :class:`BoundingBox`; filter with ``min_lat <= lat <= max_lat`` AND any of
        ``lon_ranges``, then keep rows whose :func:`haversine_km` is within the radius.

    Raises:
        ValueError: for a centre out of range or a negative or non-finite radius.
    """
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise ValueError(f"centre out of range: ({latitude}, {longitude})")
    if not (math.isfinite(radius_km) and radius_km >= 0):
        raise ValueError(f"radius must be a finite number >= 0, not {radius_km!r}")
    angular = radius_km / EARTH_RADIUS_KM
    if angular >= math.pi:
        return BoundingBox(-90.0, 90.0, _WHOLE_WORLD)
    dlat = math.degrees(angular) + _PAD_DEGREES
    min_lat, max_lat = latitude - dlat, latitude + dlat
    if min_lat <= -90.0 or max_lat >= 90.0:
        # The circle contains a pole, so it spans every meridian.
        return BoundingBox(max(min_lat, -90.0), min(max_lat, 90.0), _WHOLE_WORLD)
    # Widest longitude offset of a spherical cap (J. Matuschek, "Finding points within a distance
    # of a latitude/longitude using bounding coordinates"); the ratio is < 1 once no pole is inside.
    ratio = math.sin(angular) / math.cos(math.radians(latitude))
    dlon = math.degrees(math.asin(min(1.0, ratio))) + _PAD_DEGREES
    west, east = longitude - dlon, longitude + dlon
    if east - west >= 360.0:
        return BoundingBox(min_lat, max_lat, _WHOLE_WORLD)
    if west < -180.0:
        ranges = ((west + 360.0, 180.0), (-180.0, east))
    elif east > 180.0:
        ranges = ((west, 180.0), (-180.0, east - 360.0))
    else:
        ranges = ((west, east),)
    return BoundingBox(min_lat, max_lat, ranges)



def timezone_at(latitude: float, longitude: float) -> str | None:
    """Return the IANA time zone at a point (``Etc/GMT+N`` at sea), or None for unusable input.

    The name is always one that :class:`zoneinfo.ZoneInfo` can load here; a zone newer than the
    local tz database gives None rather than a name that would fail later.
    """
    import tzfpy  # a large native library (its zones' shapes): loaded at the first point asked

    point = coordinates(latitude, longitude)
    if point is None:
        return None
    return zone_name(tzfpy.get_tz(point[1], point[0]))  # tzfpy takes longitude first
