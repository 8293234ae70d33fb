"""Geocoding behind geopy's interface: offline by default, an online service when configured."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from geopy.exc import GeocoderQueryError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from finder.geo import valid_coordinates
from finder.places import (
    City,
    Country,
    Gazetteer,
    PostalPlace,
    fold,
    gazetteer,
    region_abbreviation,
    us_town,
    zip_code,
)

logger = logging.getLogger(__name__)

#: Longest query accepted, after whitespace is collapsed.
MAX_QUERY_LENGTH = 200

_KINDS = frozenset({"zip", "city", "country"})
# A folded last part such as "10027", "10027 1234" or "il 62701" (fold turns "-" into a space).
_POSTAL = re.compile(r"^(?:(?P<rest>[^0-9]+) )?(?P<zip>[0-9]{5})(?: [0-9]{4})?$")


class GeocodeError(ValueError):
    """The query cannot be looked up as typed: empty, too long, or refused by the service."""


class GeocodeServiceError(RuntimeError):
    """The online geocoder failed (network, quota, outage); the same query may work later."""


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """Where a query resolved to, a label to show for it, and the kind of match."""

    latitude: float
    longitude: float
    label: str
    kind: str  # "zip", "city" or "country" offline; "place" from an online service


class SupportsGeocode(Protocol):
    """Anything with geopy's ``geocode(query, exactly_one=True)``."""

    def geocode(self, query: str, *, exactly_one: bool = True) -> Any:
        """Resolve a query to a geopy Location, a list of them, or None."""


def normalize_query(query: str) -> str:
    """Strip and collapse whitespace; raise GeocodeError for an empty or oversized query."""
    text = " ".join(query.split()) if isinstance(query, str) else ""
    if not text:
        raise GeocodeError("Enter a place, an address or a ZIP code.")
    if len(text) > MAX_QUERY_LENGTH:
        raise GeocodeError(f"A place can be at most {MAX_QUERY_LENGTH} characters long.")
    return text


def cache_key(query: str) -> str:
    """Return the cache key of a query: normalised and case-folded."""
    return normalize_query(query).casefold()


def geocode(query: str, geocoder: SupportsGeocode) -> GeoPoint | None:
    """Resolve what a visitor typed to one point, or None when no such place is known.

    Raises:
        GeocodeError: the query is empty, over MAX_QUERY_LENGTH, or refused by the service.
        GeocodeServiceError: an online geocoder failed; the visitor may try again.
    """
    text = normalize_query(query)
    try:
        location = geocoder.geocode(text, exactly_one=True)
    except GeocoderQueryError as error:
        raise GeocodeError(str(error)) from error
    except GeopyError as error:
        raise GeocodeServiceError(str(error)) from error
    return _to_point(location) if location is not None else None


def _to_point(location: Location) -> GeoPoint | None:
    """Convert a geopy Location, refusing coordinates no meeting could have."""
    if not valid_coordinates(location.latitude, location.longitude):
        return None
    raw = location.raw if isinstance(location.raw, dict) else {}
    kind = raw.get("kind") if raw.get("kind") in _KINDS else "place"
    return GeoPoint(location.latitude, location.longitude, location.address, kind)


class OfflineGeocoder(Geocoder):
    """Geocode US ZIP codes, cities and countries from data that packages ship; no network.

    Reads "10027", "10027-1234", "Springfield, IL", "Springfield Illinois", "Springfield, IL,
    USA", "Springfield, IL 62701", "London, ON", "Paris, France", "paris", "France", "FR".
    ``Location.raw`` holds ``kind`` ("zip", "city" or "country"), ``source`` and ``id``.
    """

    def __init__(
        self,
        *,
        min_city_population: int = 15000,
        alternates_min_population: int = 100_000,
        max_reverse_km: float = 50.0,
        **options: Any,
    ) -> None:
        """Configure which GeoNames file to index; geopy's own options are accepted and unused."""
        super().__init__(**options)  # keeps geopy's attributes; its HTTP adapter is never used
        self.min_city_population = min_city_population
        self.alternates_min_population = alternates_min_population
        self.max_reverse_km = max_reverse_km

    @property
    def places(self) -> Gazetteer:
        """The process-wide gazetteer, loaded on first use."""
        return gazetteer(self.min_city_population, self.alternates_min_population)

    def warm(self) -> None:
        """Load the place data now (about a second) rather than during a visitor's search."""
        _ = self.places
        zip_code("10027")  # the zipcodes package loads its own table on first use

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        limit: int = 10,
    ) -> Location | list[Location] | None:
        """Resolve a place name or ZIP code; with ``exactly_one=False``, likeliest first."""
        parts = [part for part in map(fold, str(query).split(",")) if part]
        found: dict[str, Location] = {}
        for location in self._resolve(parts) if parts else ():
            if exactly_one:
                return location
            found.setdefault(location.raw["id"], location)
            if len(found) >= limit:
                break
        return list(found.values()) or None

    def reverse(
        self, query: Any, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL
    ) -> Location | list[Location] | None:
        """Return the nearest listed city within ``max_reverse_km`` of a point, or None."""
        point = Point(query)
        nearest = self.places.nearest_city(point.latitude, point.longitude, self.max_reverse_km)
        if nearest is None:
            return None
        location = self._city(nearest[0], distance_km=round(nearest[1], 3))
        return location if exactly_one else [location]

    def _resolve(self, parts: list[str]) -> Iterator[Location]:
        """Yield readings of comma-separated folded parts, the likeliest first."""
        *head, last = parts
        postal = _POSTAL.match(last)
        if postal:
            if place := zip_code(postal["zip"]):
                yield self._zip(place)
            # An unknown ZIP still leaves "Springfield, IL" in "Springfield, IL 62799".
            rest = head + [postal["rest"]] if postal["rest"] else head
            if rest:
                yield from self._resolve(rest)
        elif not head:
            yield from self._single(last)
        else:
            # "Springfield, IL", then "Springfield, IL, USA" and "London, England, UK".
            yield from self._qualified(head[-1], last)
            if len(head) >= 2:
                yield from self._qualified(head[-2], head[-1])
                yield from self._qualified(head[-2], last)

    def _single(self, name: str) -> Iterator[Location]:
        """Yield readings of one part: a country, a city, or a city with its region unseparated."""
        if country := self.places.country(name, codes=False):
            yield self._country(country)
        yield from map(self._city, self.places.find_cities(name))
        # Two-letter country codes come after cities: "LA" means Los Angeles before Laos.
        if country := self.places.country(name):
            yield self._country(country)
        words = name.split()
        for cut in range(1, min(len(words), 4)):  # "Springfield IL", "Las Cruces New Mexico"
            yield from self._qualified(" ".join(words[:-cut]), " ".join(words[-cut:]))

    def _qualified(self, city: str, qualifier: str) -> Iterator[Location]:
        """Yield cities named ``city`` in the state, province or country named ``qualifier``."""
        region = self.places.regions.get(qualifier)
        # A US state comes first: "Richmond, CA" is California's, not Canada's (larger) Richmond.
        if region:
            yield from map(self._city, self.places.find_cities(city, *region))
        if country := self.places.country(qualifier):
            yield from map(self._city, self.places.find_cities(city, country.code))
        # Towns too small for GeoNames ("Milford, DE") are still US postal towns.
        if region and region[0] == "US" and (town := us_town(city, region[1])):
            yield Location(f"{town.name}, {town.state}", (town.latitude, town.longitude),
                           {"kind": "city", "source": "zipcodes",
                            "id": f"town:{town.state}:{fold(town.name)}", **town._asdict()})

    def _city(self, city: City, **extra: Any) -> Location:
        """Wrap a GeoNames city as a Location labelled the way addresses are written."""
        country = self.places.countries.get(city.country_code)
        parts = [city.name, region_abbreviation(city.country_code, city.admin1)]
        if city.country_code != "US":
            parts.append(country.name if country else city.country_code)
        raw = {"kind": "city", "source": "geonames", "id": f"geonames:{city.geonameid}"}
        return Location(", ".join(filter(None, parts)), (city.latitude, city.longitude),
                        {**raw, **city._asdict(), **extra})

    def _country(self, country: Country) -> Location:
        """Wrap a country as a Location at its capital."""
        raw = {"kind": "country", "source": "geonames", "id": f"country:{country.code}"}
        return Location(country.name, (country.latitude, country.longitude),
                        {**raw, **country._asdict()})

    def _zip(self, place: PostalPlace) -> Location:
        """Wrap a ZIP code as a Location labelled "City, ST 12345"."""
        raw = {"kind": "zip", "source": "zipcodes", "id": f"zip:{place.zip_code}"}
        return Location(f"{place.name}, {place.state} {place.zip_code}",
                        (place.latitude, place.longitude), {**raw, **place._asdict()})


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
            self.cache.set(key, CacheEntry(_to_point(location) if location is not None else None))
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
