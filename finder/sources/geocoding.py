"""Addresses without coordinates placed at import: the geocode cache first, then a geocoder.

The offline default places an address by its US postal code, else by its town (approximate);
a configured online geocoder (Nominatim, Photon, Pelias through geopy, rate-limited) gives a
street-level point. A failing geocoder never fails an import: the address is placed offline,
and that answer is not kept, so a later import asks the service again.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from finder.extensions import db
from finder.geo.points import valid_coordinates
from importers.base import Placed

if TYPE_CHECKING:
    from finder.geo.geocoding import OfflineGeocoder
    from finder.geo.models import GeocodedAddress

logger = logging.getLogger(__name__)

_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
# A part that ends in a ZIP as US addresses write it ("CA 92805", "92805-1234"), not "10115 Berlin".
_ZIP_PART = re.compile(r"^(?:[A-Za-z][A-Za-z .]* )?(\d{5})(?:-\d{4})?$")
_US = frozenset({"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america"})
BY_STREET = "addresses placed at their street by the geocoder"
ROUGHLY = "addresses without coordinates placed by postal code or town (approximate)"


def address_key(address: str) -> str:
    """The cache key of an address: whitespace collapsed, case folded, at most 255 characters."""
    from finder.geo.geocoding import cache_key  # geopy loads only when an address is placed

    return cache_key(address[:200])


class AddressPlacer:
    """``ImportOptions.geocode`` for one import; ``save()`` adds what it learnt to the cache.

    The cache is read, and the geocoder (and geopy) set up, at the first address to place: not
    for a feed that has every meeting's coordinates.
    """

    def __init__(self, known: Iterable[GeocodedAddress] | None = None) -> None:
        """Answer from ``known`` rows of the cache (the whole cache when None: an import's case)."""
        if known is not None:
            self.known = {row.key: row for row in known}
        self.learnt: dict[str, GeocodedAddress] = {}
        self.failed: dict[str, GeocodedAddress] = {}
        self._geocoder: Any = None
        self._offline: OfflineGeocoder | None = None
        self.failures = 0

    @cached_property
    def known(self) -> dict[str, GeocodedAddress]:
        """The whole geocode cache by key."""
        from finder.geo.models import GeocodedAddress

        return {row.key: row for row in db.session.scalars(select(GeocodedAddress))}

    @property
    def online(self) -> Any:
        """The configured online geocoder, or None when the app places addresses offline."""
        if self._geocoder is None:
            from finder.geo.cache import app_geocoder
            from finder.geo.geocoding import OfflineGeocoder

            self._geocoder = app_geocoder()
            if isinstance(self._geocoder, OfflineGeocoder):
                self._offline = self._geocoder
        return None if self._geocoder is self._offline else self._geocoder

    def __call__(self, address: str) -> Placed | None:
        key = address_key(address)
        row = self.known.get(key) or self.learnt.get(key) or self.failed.get(key)
        if row is None:
            row = self._look_up(address, key)
        if row.latitude is None or row.longitude is None:
            return None
        return Placed(row.latitude, row.longitude, row.approximate,
                      ROUGHLY if row.approximate else BY_STREET)

    def save(self) -> None:
        """Keep this import's answers (not the stand-ins for a failed service) for the next one."""
        if self.learnt:  # (the cache was read to place them)
            db.session.add_all(self.learnt.values())
            self.known.update(self.learnt)
            self.learnt = {}

    def _look_up(self, address: str, key: str) -> GeocodedAddress:
        from finder.geo.models import GeocodedAddress

        if self.online is not None:
            try:
                location = self.online.geocode(address, exactly_one=True)
            except Exception as error:  # noqa: BLE001 (a geocoder's failure never fails an import)
                self.failures += 1
                logger.warning("geocoder failed at import: %s", type(error).__name__)
                self.failed[key] = self._roughly(address, key)
                return self.failed[key]
            if location is not None and valid_coordinates(location.latitude, location.longitude):
                row = GeocodedAddress(key=key, latitude=location.latitude, longitude=location.longitude,
                                      label=str(location.address)[:255], approximate=False)
                self.learnt[key] = row
                return row
        self.learnt[key] = self._roughly(address, key)
        return self.learnt[key]

    def _roughly(self, address: str, key: str) -> GeocodedAddress:
        """The address placed offline: by its postal code, else its town; nowhere if neither."""
        from finder.geo.models import GeocodedAddress

        if self._offline is None:
            from finder.geo.geocoding import OfflineGeocoder

            self._offline = OfflineGeocoder()
        parts = [part.strip() for part in address.split(",") if part.strip()]
        queries = _us_zips(parts)
        queries += [", ".join(parts[i:i + 2]) for i in range(1, len(parts) - 1)]
        for query in queries:
            location = self._offline.geocode(query, exactly_one=True)
            if location is not None and location.raw.get("kind") in {"zip", "city"}:
                return GeocodedAddress(key=key, latitude=location.latitude,
                                       longitude=location.longitude,
                                       label=str(location.address)[:255], approximate=True)
        return GeocodedAddress(key=key, latitude=None, longitude=None, label=None, approximate=True)


def place_address(address: str) -> Placed | None:
    """One address placed as imports place theirs (an approved submission's), through the cache.

    What is learnt is added to the session, kept when the caller commits.
    """
    from finder.geo.models import GeocodedAddress

    key = address_key(address)
    row = db.session.get(GeocodedAddress, key)
    placer = AddressPlacer(known=[row] if row is not None else [])
    placed = placer(address)
    for learnt in placer.learnt.values():
        db.session.merge(learnt)  # merge: the same address may have been learnt meanwhile
    return placed


def _us_zips(parts: list[str]) -> list[str]:
    """The US ZIP codes in an address's parts after the street; none in another country's."""
    if len(parts) > 2 and parts[-1].casefold() not in _US and not _ZIP.search(parts[-1]):
        return []  # "Calle Mayor 1, Madrid, 28013, Spain": 28013 is no US ZIP there
    return [match[1] for match in map(_ZIP_PART.match, parts[1:]) if match]
