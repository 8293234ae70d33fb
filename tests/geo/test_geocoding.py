"""Distances, search boxes, time zones and geocoding, checked against hand-computed values."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterator
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import tzfpy
from geopy.distance import great_circle
from geopy.exc import GeocoderQueryError, GeocoderUnavailable
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from finder.geo.cache import (
    CacheEntry,
    CachingGeocoder,
    MemoryGeocodeCache,
    RedisGeocodeCache,
    make_geocoder,
)
from finder.geo.geocoding import (
    MAX_QUERY_LENGTH,
    GeocodeError,
    GeocodeServiceError,
    GeoPoint,
    OfflineGeocoder,
    geocode,
)
from finder.geo.places import fold
from finder.geo.points import (
    EARTH_RADIUS_KM,
    bounding_box,
    haversine_km,
    timezone_at,
    valid_coordinates,
)

BMLT_ORIGIN = (36.065752051707, -79.793701171875)


@pytest.fixture(scope="module")
def offline() -> OfflineGeocoder:
    """One offline geocoder for the module: its data loads once per process anyway."""
    geocoder = OfflineGeocoder()
    geocoder.warm()
    return geocoder


def km_from(point: GeoPoint | None, latitude: float, longitude: float) -> float:
    """Distance of a geocoded point from where it should be."""
    assert point is not None
    return haversine_km(point.latitude, point.longitude, latitude, longitude)


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


# --- offline geocoding ---------------------------------------------------------------------


def test_fold_ignores_case_accents_punctuation_and_saint() -> None:
    assert fold("  Saint-Étienne ") == fold("st etienne") == "st etienne"
    assert fold("St. John's") == fold("st johns")
    assert fold("ŁÓDŹ") == "lodz"


@pytest.mark.parametrize("query", ["10027", "10027-1234", " 10027 ", "New York, NY 10027"])
def test_zip_code(offline: OfflineGeocoder, query: str) -> None:
    point = geocode(query, offline)
    assert km_from(point, 40.811, -73.953) < 2.0
    assert point is not None and point.kind == "zip" and "10027" in point.label


@pytest.mark.parametrize(
    "query",
    ["Springfield, IL", "springfield,il", "Springfield, Illinois", "SPRINGFIELD  IL",
     "Springfield, IL, USA", "1 Main St, Springfield, IL"],
)
def test_us_city_uses_the_state(offline: OfflineGeocoder, query: str) -> None:
    point = geocode(query, offline)
    assert km_from(point, 39.80, -89.64) < 5.0
    assert point is not None and point.kind == "city" and point.label == "Springfield, IL"


def test_state_code_wins_over_the_same_country_code(offline: OfflineGeocoder) -> None:
    # "CA" is California before Canada, though Canada's Richmond (BC) is the larger city.
    assert km_from(geocode("Richmond, CA", offline), 37.936, -122.348) < 5.0
    assert km_from(geocode("Richmond, Canada", offline), 49.170, -123.137) < 5.0


def test_same_name_in_another_state(offline: OfflineGeocoder) -> None:
    assert km_from(geocode("Springfield, MO", offline), 37.215, -93.298) < 5.0
    assert km_from(geocode("Paris, TX", offline), 33.661, -95.556) < 5.0


def test_small_us_town_comes_from_zip_codes(offline: OfflineGeocoder) -> None:
    # Milford, Delaware is below GeoNames' 15,000 threshold; DE is also Germany's code.
    location = offline.geocode("Milford, DE")
    assert location is not None and location.raw["source"] == "zipcodes"
    assert haversine_km(location.latitude, location.longitude, 38.92, -75.43) < 5.0
    assert offline.geocode("Berlin, DE").raw["country_code"] == "DE"


@pytest.mark.parametrize(
    ("query", "latitude", "longitude", "country"),
    [
        ("Paris, France", 48.85, 2.35, "FR"),
        ("paris", 48.85, 2.35, "FR"),  # the most populous Paris, not Paris, Texas
        ("  PARIS ,   france ", 48.85, 2.35, "FR"),
        ("London, UK", 51.51, -0.13, "GB"),
        ("London, United Kingdom", 51.51, -0.13, "GB"),
        ("London, England", 51.51, -0.13, "GB"),
        ("London, ON", 42.98, -81.23, "CA"),
        ("Montreal", 45.51, -73.59, "CA"),
        ("Montréal, QC", 45.51, -73.59, "CA"),
        ("Koln", 50.93, 6.95, "DE"),
        ("Cologne, Germany", 50.93, 6.95, "DE"),
        ("New York", 40.71, -74.01, "US"),
    ],
)
def test_world_cities(offline: OfflineGeocoder, query: str, latitude: float, longitude: float, country: str) -> None:
    location = offline.geocode(query)
    assert location is not None and location.raw["kind"] == "city"
    assert location.raw["country_code"] == country
    assert haversine_km(location.latitude, location.longitude, latitude, longitude) < 5.0


@pytest.mark.parametrize("query", ["France", "france", "FR", "FRA", " the  france "])
def test_countries(offline: OfflineGeocoder, query: str) -> None:
    location = offline.geocode(query)
    assert location is not None and location.raw["kind"] == "country"
    assert location.raw["code"] == "FR" and location.address == "France"


def test_list_of_candidates_most_populous_first(offline: OfflineGeocoder) -> None:
    found = offline.geocode("Springfield", exactly_one=False)
    assert isinstance(found, list) and len(found) >= 5
    populations = [location.raw["population"] for location in found]
    assert populations == sorted(populations, reverse=True)
    assert {"Springfield, IL", "Springfield, MO", "Springfield, MA"} <= {loc.address for loc in found}


@pytest.mark.parametrize("query", ["Nowhereville, ZZ", "Nowhereville", "99999", "zzzz, zzzz, zzzz"])
def test_unknown_places(offline: OfflineGeocoder, query: str) -> None:
    assert geocode(query, offline) is None


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "x" * (MAX_QUERY_LENGTH + 1)])
def test_unusable_queries_raise(offline: OfflineGeocoder, query: str) -> None:
    with pytest.raises(GeocodeError):
        geocode(query, offline)
    assert issubclass(GeocodeError, ValueError)


def test_longest_query_is_accepted(offline: OfflineGeocoder) -> None:
    assert geocode("Paris, France" + " " * 300, offline) is not None  # spaces collapse first
    assert geocode("x" * MAX_QUERY_LENGTH, offline) is None


def test_reverse_finds_the_nearest_city(offline: OfflineGeocoder) -> None:
    location = offline.reverse((39.78, -89.65))
    assert location is not None and location.address == "Springfield, IL"
    assert location.raw["distance_km"] == pytest.approx(
        haversine_km(39.78, -89.65, location.latitude, location.longitude), abs=0.001
    )
    assert offline.reverse((-48.88, -123.39)) is None  # Point Nemo: nothing within 50 km


def test_lookups_are_fast_once_loaded(offline: OfflineGeocoder) -> None:
    queries = ["10027", "Springfield, IL", "paris", "London, UK", "France", "Nowhereville, ZZ"]
    for query in queries:
        offline.geocode(query)  # first ZIP lookups are memoised
    started = time.perf_counter()
    for _ in range(200):
        for query in queries:
            offline.geocode(query)
    per_lookup_ms = (time.perf_counter() - started) * 1000 / (200 * len(queries))
    # Typical is well under 0.1 ms; 2 ms still catches an accidental scan of the 34k cities.
    assert per_lookup_ms < 2.0


# --- configured geocoders ------------------------------------------------------------------


class CountingGeocoder(Geocoder):
    """A stand-in for an online service: knows one place and records when it was asked."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        self.calls: list[tuple[str, float]] = []
        self.error: Exception | None = None

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: object = DEFAULT_SENTINEL) -> Location | None:
        self.calls.append((query, time.monotonic()))
        if self.error is not None:
            raise self.error
        if "springfield" in query.lower():
            return Location("Springfield, Sangamon County, Illinois, United States",
                            (39.7990, -89.6440), {"place_id": 1})
        return None


def test_default_geocoder_is_offline() -> None:
    assert isinstance(make_geocoder({}), OfflineGeocoder)
    configured = make_geocoder({"GEOCODER": "offline", "GEOCODER_OPTIONS": {"max_reverse_km": 5}})
    assert isinstance(configured, OfflineGeocoder) and configured.max_reverse_km == 5


def test_online_geocoder_is_cached_across_case_and_spacing() -> None:
    geocoder = make_geocoder({"GEOCODER": CountingGeocoder, "GEOCODER_MIN_DELAY": 0,
                              "GEOCODER_OPTIONS": {"user_agent": "meeting-finder-tests"}})
    assert isinstance(geocoder, CachingGeocoder) and isinstance(geocoder.cache, MemoryGeocodeCache)
    service = geocoder.geocoder
    assert isinstance(service, CountingGeocoder) and service.headers["User-Agent"] == "meeting-finder-tests"

    first = geocode("Springfield, IL", geocoder)
    again = geocode("  SPRINGFIELD,   il ", geocoder)
    assert first == again == GeoPoint(39.7990, -89.6440,
                                      "Springfield, Sangamon County, Illinois, United States", "place")
    assert [query for query, _ in service.calls] == ["Springfield, IL"]

    # Unknown places are remembered too, so junk queries do not spend the service's quota.
    assert geocode("Nowhereville", geocoder) is None
    assert geocode("nowhereville", geocoder) is None
    assert len(service.calls) == 2


def test_online_geocoder_goes_through_the_rate_limiter() -> None:
    geocoder = make_geocoder({"GEOCODER": CountingGeocoder, "GEOCODER_MIN_DELAY": 0})
    assert isinstance(geocoder.rate_limited, RateLimiter) and geocoder.rate_limited.min_delay_seconds == 0
    spaced = CachingGeocoder(CountingGeocoder(), min_delay_seconds=0.05)
    for query in ("a", "b", "c"):
        geocode(query, spaced)
    times = [when for _, when in spaced.geocoder.calls]
    assert len(times) == 3 and min(b - a for a, b in pairwise(times)) >= 0.045


def test_service_failures_are_reported_and_not_cached() -> None:
    geocoder = CachingGeocoder(CountingGeocoder(), min_delay_seconds=0)
    geocoder.geocoder.error = GeocoderUnavailable("down")
    with pytest.raises(GeocodeServiceError):
        geocode("Springfield, IL", geocoder)
    geocoder.geocoder.error = GeocoderQueryError("bad query")
    with pytest.raises(GeocodeError):
        geocode("Springfield, IL", geocoder)
    geocoder.geocoder.error = None
    assert geocode("Springfield, IL", geocoder) is not None
    assert len(geocoder.geocoder.calls) == 3


def test_named_geopy_service_is_built_without_calling_it() -> None:
    geocoder = make_geocoder({
        "GEOCODER": "nominatim",
        "GEOCODER_OPTIONS": {"user_agent": "meeting-finder-tests", "domain": "nominatim.invalid"},
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    })
    assert isinstance(geocoder, CachingGeocoder) and isinstance(geocoder.geocoder, Nominatim)
    assert geocoder.geocoder.domain == "nominatim.invalid"
    assert geocoder.rate_limited.min_delay_seconds == 1.0  # Nominatim's usage policy: 1 per second
    assert isinstance(geocoder.cache, RedisGeocodeCache)
    assert geocoder.cache.prefix == "finder:geocode:nominatim:"
    with pytest.raises(ValueError, match="nominatim"):  # the error lists the valid names
        make_geocoder({"GEOCODER": "no-such-service"})


def test_memory_cache_forgets_the_least_recently_used() -> None:
    cache = MemoryGeocodeCache(maxsize=2)
    cache.set("a", CacheEntry(None))
    cache.set("b", CacheEntry(GeoPoint(1.0, 2.0, "B", "place")))
    assert cache.get("a") == CacheEntry(None)  # "a" is now the most recently used
    cache.set("c", CacheEntry(None))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None


def test_redis_outage_reads_as_a_miss_quickly() -> None:
    pytest.importorskip("redis")
    cache = RedisGeocodeCache("redis://127.0.0.1:1/0")  # nothing listens on port 1
    started = time.perf_counter()
    cache.set("springfield, il", CacheEntry(None))
    assert cache.get("springfield, il") is None
    assert time.perf_counter() - started < 1.0  # no retry back-off holding up the search


@pytest.fixture
def redis_cache() -> Iterator[RedisGeocodeCache]:
    """A Redis cache under a prefix of this test's own, removed afterwards; skips without Redis."""
    redis = pytest.importorskip("redis")
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5, socket_timeout=0.5,
                         retry=Retry(NoBackoff(), 0))  # fail fast when there is no server
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379 ({type(error).__name__})")
    prefix = f"finder-test:{uuid.uuid4().hex}:"
    yield RedisGeocodeCache(client=client, prefix=prefix)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def test_redis_cache_round_trip(redis_cache: RedisGeocodeCache) -> None:
    point = GeoPoint(39.799, -89.644, "Springfield, IL", "city")
    assert redis_cache.get("springfield, il") is None
    redis_cache.set("springfield, il", CacheEntry(point))
    redis_cache.set("nowhereville", CacheEntry(None))
    assert redis_cache.get("springfield, il") == CacheEntry(point)
    assert redis_cache.get("nowhereville") == CacheEntry(None)
    ttl = redis_cache.client.ttl(redis_cache.prefix + "springfield, il")
    assert 30 * 86400 - 60 < ttl <= 30 * 86400
    assert redis_cache.client.ttl(redis_cache.prefix + "nowhereville") <= 86400


def test_caching_geocoder_with_redis(redis_cache: RedisGeocodeCache) -> None:
    first = CachingGeocoder(CountingGeocoder(), cache=redis_cache, min_delay_seconds=0)
    second = CachingGeocoder(CountingGeocoder(), cache=redis_cache, min_delay_seconds=0)  # another worker
    assert geocode("Springfield, IL", first) == geocode("springfield, IL", second)
    assert len(first.geocoder.calls) == 1 and second.geocoder.calls == []
