"""finder.geo.cache: configured online geocoders, rate-limited and cached in memory or Redis."""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from itertools import pairwise

import pytest
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
    GeocodeError,
    GeocodeServiceError,
    GeoPoint,
    OfflineGeocoder,
    geocode,
)


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
