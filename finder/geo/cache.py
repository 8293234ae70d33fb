"""Geocoding with a cache and a rate limit: the online services, and the factory choosing one."""
from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol

from flask import current_app
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from finder.geo.geocoding import (
    GeoPoint,
    OfflineGeocoder,
    cache_key,
    to_point,
)

logger = logging.getLogger(__name__)


class CacheEntry(NamedTuple):
    """A cached answer; ``point`` is None when the service knew no such place."""

    point: GeoPoint | None


class GeocodeCache(Protocol):
    """Where a CachingGeocoder keeps answers, keyed by :func:`cache_key`."""

    def get(self, key: str) -> CacheEntry | None:
        """Return the cached answer, or None when the query was never asked."""

    def set(self, key: str, entry: CacheEntry) -> None:
        """Remember an answer."""


class MemoryGeocodeCache:
    """A least-recently-used cache inside one process."""

    def __init__(self, maxsize: int = 1024) -> None:
        """Keep at most ``maxsize`` answers."""
        self.maxsize = maxsize
        self._entries: OrderedDict[str, CacheEntry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> CacheEntry | None:
        """Return the cached answer and mark it recently used."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: CacheEntry) -> None:
        """Remember an answer, forgetting the least recently used beyond ``maxsize``."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)


class RedisGeocodeCache:
    """A cache in Redis, shared by every worker; Redis trouble reads as a miss, never an error."""

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Any = None,
        prefix: str = "finder:geocode:",
        ttl_seconds: int = 30 * 24 * 3600,
        miss_ttl_seconds: int = 24 * 3600,
    ) -> None:
        """Connect to ``url`` (or use ``client``); unknown places are remembered for less time."""
        try:
            import redis  # only deployments that set REDIS_URL need the package
        except ImportError as error:
            raise RuntimeError("REDIS_URL is set but the redis package is not installed") from error
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self._redis_error = redis.RedisError
        # Short timeouts and no retries (redis-py's default backs off for seconds): an outage
        # must cost a search milliseconds, not hold it up.
        self.client = client if client is not None else redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)
        )
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.miss_ttl_seconds = miss_ttl_seconds

    def get(self, key: str) -> CacheEntry | None:
        """Return the cached answer, or None on a miss, an outage or an unreadable value."""
        try:
            value = self.client.get(self.prefix + key)
            if value is None:
                return None
            data = json.loads(value)
            if not data:
                return CacheEntry(None)
            return CacheEntry(GeoPoint(float(data["lat"]), float(data["lon"]),
                                       str(data["address"]), str(data.get("kind", "place"))))
        except (self._redis_error, ValueError, KeyError, TypeError) as error:
            # The key is left out of the log: it is what a visitor typed.
            logger.warning("geocode cache read failed: %s", type(error).__name__)
            return None

    def set(self, key: str, entry: CacheEntry) -> None:
        """Store ``{lat, lon, address, kind}`` (``{}`` for an unknown place) with its TTL."""
        point = entry.point
        value = {} if point is None else {"lat": point.latitude, "lon": point.longitude,
                                          "address": point.label, "kind": point.kind}
        ttl = self.ttl_seconds if point is not None else self.miss_ttl_seconds
        try:
            self.client.set(self.prefix + key, json.dumps(value), ex=ttl)
        except self._redis_error as error:
            logger.warning("geocode cache write failed: %s", type(error).__name__)


class CachingGeocoder:
    """A geopy geocoder behind a cache and a rate limit, with geopy's ``geocode`` interface."""

    def __init__(
        self, geocoder: Geocoder, *, cache: GeocodeCache | None = None, min_delay_seconds: float = 1.0
    ) -> None:
        """Wrap ``geocoder``; calls to it are spaced at least ``min_delay_seconds`` apart."""
        self.geocoder = geocoder
        self.cache: GeocodeCache = cache if cache is not None else MemoryGeocodeCache()
        # No retries and no swallowing: retry pauses would hold a visitor's request for seconds,
        # and a swallowed outage would be cached as "no such place".
        self.rate_limited = RateLimiter(
            geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=0,
            error_wait_seconds=min_delay_seconds, swallow_exceptions=False,
        )

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs: Any) -> Any:
        """Answer a single-result query from the cache, else from the rate-limited service."""
        if not exactly_one or kwargs:
            return self.rate_limited(query, exactly_one=exactly_one, **kwargs)
        key = cache_key(query)
        entry = self.cache.get(key)
        if entry is None:
            location = self.rate_limited(query, exactly_one=True)
            self.cache.set(key, CacheEntry(to_point(location) if location is not None else None))
            return location
        if entry.point is None:
            return None
        point = entry.point
        return Location(point.label, (point.latitude, point.longitude),
                        {"kind": point.kind, "source": "cache"})


def make_geocoder(config: Mapping[str, Any]) -> OfflineGeocoder | CachingGeocoder:
    """Build the configured geocoder: offline by default, else a cached, rate-limited service.

    Reads ``GEOCODER`` ("offline", a geopy service name such as "nominatim", or a geopy
    Geocoder class), ``GEOCODER_OPTIONS`` (keyword arguments for it), ``GEOCODER_MIN_DELAY``
    (seconds between calls to an online service, default 1.0) and ``REDIS_URL`` (share the
    cache between workers; an in-process LRU cache otherwise).
    """
    service = config.get("GEOCODER") or "offline"
    options = dict(config.get("GEOCODER_OPTIONS") or {})
    if isinstance(service, str) and service.lower() == "offline":
        return OfflineGeocoder(**options)
    geocoder_class = service if isinstance(service, type) else get_geocoder_for_service(service)
    if config.get("REDIS_URL"):
        # Answers differ between services, so each keeps its own keys.
        prefix = f"finder:geocode:{geocoder_class.__name__.lower()}:"
        cache: GeocodeCache = RedisGeocodeCache(config["REDIS_URL"], prefix=prefix)
    else:
        cache = MemoryGeocodeCache()
    min_delay = float(config.get("GEOCODER_MIN_DELAY", 1.0))
    return CachingGeocoder(geocoder_class(**options), cache=cache, min_delay_seconds=min_delay)


def app_geocoder() -> OfflineGeocoder | CachingGeocoder:
    """The app's geocoder (offline unless configured), made once per app."""
    extensions = current_app.extensions
    if "finder.geocoder" not in extensions:
        extensions["finder.geocoder"] = make_geocoder(current_app.config)
    return extensions["finder.geocoder"]
