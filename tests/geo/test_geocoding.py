"""finder.geo.geocoding and places: the offline geocoder finds ZIP codes, cities and countries."""
from __future__ import annotations

import time

import pytest

from finder.geo.geocoding import (
    MAX_QUERY_LENGTH,
    GeocodeError,
    GeoPoint,
    OfflineGeocoder,
    geocode,
)
from finder.geo.places import fold
from finder.geo.points import haversine_km


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
