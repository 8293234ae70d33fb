"""finder.geo.points: distances, search boxes and time zones, checked against hand-computed values."""
from __future__ import annotations

import math
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import tzfpy
from geopy.distance import great_circle

from finder.geo.points import (
    EARTH_RADIUS_KM,
    bounding_box,
    haversine_km,
    timezone_at,
    valid_coordinates,
)

BMLT_ORIGIN = (36.065752051707, -79.793701171875)


# --- maths ---------------------------------------------------------------------------------


def test_haversine_matches_bmlt_test_vectors() -> None:
    near = haversine_km(*BMLT_ORIGIN, 36.0733691, -79.8240715)
    far = haversine_km(*BMLT_ORIGIN, 36.0869819, -79.9023415)
    assert near == pytest.approx(2.858, abs=0.001)
    assert far == pytest.approx(10.045, abs=0.001)
    # BMLT's own answers use a slightly different radius; ours must agree within 0.5 %.
    assert near == pytest.approx(2.85, rel=0.005)
    assert far == pytest.approx(10.03, rel=0.005)


def test_haversine_edges() -> None:
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(0.0, 179.9, 0.0, -179.9) == pytest.approx(22.24, abs=0.01)
    assert haversine_km(1.0, 2.0, 3.0, 4.0) == haversine_km(3.0, 4.0, 1.0, 2.0)


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (36.06, -79.79, True),
        ("36.06", "-79.79", True),  # feeds send strings
        (0.0, 10.0, True),  # the equator is real
        (90.0, 180.0, True),
        (0.0, 0.0, False),  # "null island": a placeholder, not a meeting place
        ("0", "0.0", False),
        (90.5, 0.0, False),
        (10.0, -180.5, False),
        (float("nan"), 1.0, False),
        (1.0, float("inf"), False),
        (None, 1.0, False),
        ("", "", False),
        ("north", "west", False),
    ],
)
def test_valid_coordinates(latitude: object, longitude: object, expected: bool) -> None:
    assert valid_coordinates(latitude, longitude) is expected


def ring(latitude: float, longitude: float, radius_km: float, steps: int = 720) -> Iterator[tuple[float, float]]:
    """Points exactly ``radius_km`` from the centre, every half degree of bearing."""
    sphere = great_circle(radius=EARTH_RADIUS_KM)
    for step in range(steps):
        point = sphere.destination((latitude, longitude), bearing=step * 360 / steps, distance=radius_km)
        yield point.latitude, point.longitude


def flat(ranges: tuple[tuple[float, float], ...]) -> list[float]:
    """Longitude ranges as one flat list, for pytest.approx."""
    return [bound for pair in ranges for bound in pair]


def assert_ring_inside(latitude: float, longitude: float, radius_km: float) -> None:
    """Every point at the search distance passes the box prefilter."""
    box = bounding_box(latitude, longitude, radius_km)
    for lat, lon in ring(latitude, longitude, radius_km):
        assert haversine_km(latitude, longitude, lat, lon) == pytest.approx(radius_km)
        assert box.contains(lat, lon), (lat, lon, box)


def test_bounding_box_ordinary() -> None:
    # 10 km is 0.089932 degrees of latitude; of longitude at 40N, asin(sin(d) / cos 40) = 0.117398.
    box = bounding_box(40.0, -74.0, 10.0)
    assert box.min_lat == pytest.approx(39.910068, abs=1e-6)
    assert box.max_lat == pytest.approx(40.089932, abs=1e-6)
    assert flat(box.lon_ranges) == pytest.approx([-74.117398, -73.882602], abs=1e-6)
    assert not box.crosses_antimeridian
    assert_ring_inside(40.0, -74.0, 10.0)


def test_bounding_box_across_the_antimeridian() -> None:
    # Fiji: 50 km is 0.449660 degrees of latitude and asin(sin(d) / cos 17) = 0.470206 of longitude.
    box = bounding_box(-17.0, 179.9, 50.0)
    assert box.crosses_antimeridian
    assert box.min_lat == pytest.approx(-17.449660, abs=1e-6)
    assert box.max_lat == pytest.approx(-16.550340, abs=1e-6)
    assert flat(box.lon_ranges) == pytest.approx([179.429794, 180.0, -180.0, -179.629794], abs=1e-6)
    assert_ring_inside(-17.0, 179.9, 50.0)
    assert box.contains(-17.0, -179.7) and not box.contains(-17.0, 0.0)
    # And the other way across.
    assert flat(bounding_box(-17.0, -179.9, 50.0).lon_ranges) == pytest.approx(
        [179.629794, 180.0, -180.0, -179.429794], abs=1e-6
    )
    assert_ring_inside(-17.0, -179.9, 50.0)


def test_bounding_box_is_tight() -> None:
    # The box must stay a useful filter: points 1 % beyond the radius, due N/E/S/W, fall outside.
    for latitude, longitude in ((40.0, -74.0), (-17.0, 179.9), (65.0, 25.0)):
        box = bounding_box(latitude, longitude, 50.0)
        sphere = great_circle(radius=EARTH_RADIUS_KM)
        for bearing in (0, 90, 180, 270):
            beyond = sphere.destination((latitude, longitude), bearing=bearing, distance=50.5)
            assert not box.contains(beyond.latitude, beyond.longitude), (latitude, bearing)


@pytest.mark.parametrize("latitude", [89.9, -89.9])
def test_bounding_box_around_a_pole(latitude: float) -> None:
    # 100 km from 89.9 reaches over the pole (0.1 degree is 11 km), so every meridian is in range.
    box = bounding_box(latitude, 30.0, 100.0)
    assert box.lon_ranges == ((-180.0, 180.0),)
    assert (box.min_lat, box.max_lat) == pytest.approx(
        (89.000680, 90.0) if latitude > 0 else (-90.0, -89.000680), abs=1e-6
    )
    assert_ring_inside(latitude, 30.0, 100.0)


def test_bounding_box_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        bounding_box(40.0, -74.0, -1.0)
    with pytest.raises(ValueError):
        bounding_box(91.0, 0.0, 1.0)
    assert bounding_box(0.0, 0.0, 30_000.0).lon_ranges == ((-180.0, 180.0),)


# --- time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (40.7128, -74.0060, "America/New_York"),
        (51.5074, -0.1278, "Europe/London"),
        (-33.8688, 151.2093, "Australia/Sydney"),
        (22.5726, 88.3639, "Asia/Kolkata"),
        (33.4484, -112.0740, "America/Phoenix"),  # no daylight saving, unlike the rest of Mountain
        (30.0, -40.0, "Etc/GMT+3"),  # mid-Atlantic: a nautical zone, three hours behind UTC
    ],
)
def test_timezone_at(latitude: float, longitude: float, zone: str) -> None:
    assert timezone_at(latitude, longitude) == zone
    ZoneInfo(zone)


@pytest.mark.parametrize(("latitude", "longitude"), [(0.0, 0.0), (95.0, 0.0), (float("nan"), 0.0)])
def test_timezone_at_unusable_coordinates(latitude: float, longitude: float) -> None:
    assert timezone_at(latitude, longitude) is None


def test_every_zone_tzfpy_can_return_loads_in_zoneinfo() -> None:
    assert [name for name in tzfpy.timezonenames() if not _loads(name)] == []


def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except Exception:  # any failure means the app could not use the zone
        return False
    return True
