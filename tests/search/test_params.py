"""finder.search.params: the API's query parameters as search criteria; a bad one is named in the error."""
from __future__ import annotations

from datetime import time

import pytest

from finder.enums import Attendance, Fellowship
from finder.search.criteria import DEFAULT_RADIUS_KM, Criteria
from finder.search.params import DEFAULT_LIMIT, MAX_LIMIT, ApiError, criteria_from_args


def test_no_parameters_give_the_defaults():
    assert criteria_from_args({}) == Criteria(
        latitude=None, longitude=None, radius_km=DEFAULT_RADIUS_KM, attendance=frozenset(),
        fellowships=frozenset(), day=None, time_from=None, time_to=None, starting_within=None,
        types=(), q="", tz="UTC", limit=DEFAULT_LIMIT, cursor=None,
    )
    assert DEFAULT_LIMIT == 50


def test_empty_values_count_as_absent():
    keys = ("lat", "lon", "near", "radius_km", "attendance", "fellowship", "day", "from", "to",
            "starting_within", "types", "q", "tz", "limit", "cursor", "region")
    assert criteria_from_args(dict.fromkeys(keys, "")) == criteria_from_args({})


def test_every_parameter_is_read():
    criteria = criteria_from_args({
        "lat": " 40.75 ", "lon": "-73.99", "radius_km": "12.5", "attendance": "Online,hybrid",
        "fellowship": "aa,na", "day": "6", "from": "22:00", "to": "02:00", "types": "O, SP,O",
        "q": "  big book  ", "tz": "Europe/London", "limit": str(MAX_LIMIT), "cursor": "abc",
        "region": " SANTA ANA ",
    })
    assert criteria.region == "SANTA ANA"
    assert (criteria.latitude, criteria.longitude, criteria.radius_km) == (40.75, -73.99, 12.5)
    assert criteria.attendance == {Attendance.ONLINE, Attendance.HYBRID}
    assert criteria.fellowships == {Fellowship.AA, Fellowship.NA}
    assert (criteria.day, criteria.time_from, criteria.time_to) == (6, time(22), time(2))
    assert criteria.types == ("O", "SP")  # repeats dropped, order kept
    assert (criteria.q, criteria.tz, criteria.limit, criteria.cursor) == (
        "big book", "Europe/London", MAX_LIMIT, "abc")
    assert criteria_from_args({"starting_within": "90"}).starting_within == 90


def test_without_tz_times_are_in_the_origins_zone():
    assert criteria_from_args({"lat": "36.07", "lon": "-79.79"}).tz == "America/New_York"
    assert criteria_from_args({"lat": "51.5", "lon": "-0.12"}).tz == "Europe/London"
    assert criteria_from_args({"lat": "51.5", "lon": "-0.12", "tz": "Asia/Kolkata"}).tz == "Asia/Kolkata"


@pytest.mark.parametrize(("args", "parameter"), [
    ({"lat": "abc", "lon": "1"}, "lat"),
    ({"lat": "91", "lon": "1"}, "lat"),
    ({"lat": "nan", "lon": "1"}, "lat"),
    ({"lat": "1", "lon": "181"}, "lon"),
    ({"lat": "1", "lon": "inf"}, "lon"),
    ({"lat": "40"}, "lon"),
    ({"lon": "-73"}, "lat"),
    ({"lat": "40", "lon": "-73", "near": "10027"}, "near"),
    ({"radius_km": "0"}, "radius_km"),
    ({"radius_km": "501"}, "radius_km"),
    ({"radius_km": "-5"}, "radius_km"),
    ({"radius_km": "nan"}, "radius_km"),
    ({"radius_km": "1e999"}, "radius_km"),
    ({"attendance": "inactive"}, "attendance"),
    ({"attendance": "in_person,teleport"}, "attendance"),
    ({"attendance": ",,"}, "attendance"),
    ({"fellowship": "xx"}, "fellowship"),
    ({"fellowship": "aa,xx"}, "fellowship"),
    ({"day": "7"}, "day"),
    ({"day": "-1"}, "day"),
    ({"day": "1.5"}, "day"),
    ({"day": "monday"}, "day"),
    ({"from": "25:00"}, "from"),
    ({"from": "7pm"}, "from"),
    ({"from": "7:00"}, "from"),
    ({"to": "24:00"}, "to"),
    ({"to": "19:60"}, "to"),
    ({"from": "19:00", "to": "19:00"}, "to"),
    ({"starting_within": "0"}, "starting_within"),
    ({"starting_within": "1441"}, "starting_within"),
    ({"starting_within": "soon"}, "starting_within"),
    ({"starting_within": "60", "from": "19:00"}, "starting_within"),
    ({"starting_within": "60", "to": "19:00"}, "starting_within"),
    ({"types": "O,%"}, "types"),
    ({"types": ",,"}, "types"),
    ({"tz": "Mars/Olympus_Mons"}, "tz"),
    ({"tz": "localtime"}, "tz"),
    ({"tz": " Europe/London"}, "tz"),
    ({"q": "x" * 201}, "q"),
    ({"region": "x" * 256}, "region"),
    ({"limit": "0"}, "limit"),
    ({"limit": str(MAX_LIMIT + 1)}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"cursor": "x" * 501}, "cursor"),
])
def test_a_bad_value_is_an_api_error_naming_the_parameter(args, parameter):
    with pytest.raises(ApiError) as caught:
        criteria_from_args(args)
    assert caught.value.parameter == parameter
    assert caught.value.status == 400
    assert parameter in caught.value.message


def test_the_longest_values_are_accepted():
    criteria = criteria_from_args({"q": "x" * 200, "cursor": "x" * 500, "radius_km": "500",
                                   "starting_within": "1440", "limit": "1"})
    assert (len(criteria.q), len(criteria.cursor), criteria.radius_km) == (200, 500, 500.0)
    assert (criteria.starting_within, criteria.limit) == (1440, 1)


def test_near_is_geocoded(app_ctx):
    criteria = criteria_from_args({"near": "10027"})  # Morningside Heights, New York
    assert criteria.latitude == pytest.approx(40.81, abs=0.02)
    assert criteria.longitude == pytest.approx(-73.95, abs=0.02)
    assert criteria.tz == "America/New_York"
    with pytest.raises(ApiError) as caught:
        criteria_from_args({"near": "Xyzzyplugh Nowhere"})
    assert caught.value.parameter == "near" and "Xyzzyplugh" in caught.value.message
