"""Geocoding behind geopy's interface: offline by default, an online service when configured."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from geopy.exc import GeocoderQueryError, GeopyError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from finder.geo.places import (
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
from finder.geo.points import valid_coordinates

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
    return to_point(location) if location is not None else None


def to_point(location: Location) -> GeoPoint | None:
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
        if exactly_one:
            return _likeliest(self, str(query))
        found: dict[str, Location] = {}
        for location in self._readings(str(query)):
            found.setdefault(location.raw["id"], location)
            if len(found) >= limit:
                break
        return list(found.values()) or None

    def _readings(self, query: str) -> Iterator[Location]:
        """The readings of a query, the likeliest first."""
        parts = [part for part in map(fold, query.split(",")) if part]
        return self._resolve(parts) if parts else iter(())

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


@lru_cache(maxsize=4096)
def _likeliest(geocoder: OfflineGeocoder, query: str) -> Location | None:
    # The answers come from data fixed for the life of the process: a place searched again
    # (every page of a search, every search from a ZIP, an address at each import) is read once.
    return next(geocoder._readings(query), None)
