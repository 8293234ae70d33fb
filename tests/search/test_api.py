"""The search API (finder/search/api.py): answers match the OpenAPI document, bad parameters get a
400 naming them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from jsonschema import Draft202012Validator

from finder.enums import Attendance
from finder.pattern import MONTHLY, Recurrence


@pytest.fixture
def schema_validator(app) -> Callable[[str], Draft202012Validator]:
    """``schema_validator(name)``: a JSON Schema validator for one of the API's component schemas."""
    components = app.extensions["openapi"]["components"]

    def validator(name: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": components})

    return validator


@pytest.fixture
def listed(add_meeting):
    """A few meetings: two near Greensboro (BMLT's test origin), one online, one removed."""
    return {
        "near": add_meeting("Greensboro Noon", latitude=36.0733691, longitude=-79.8240715,
                            timezone="America/New_York").id,
        "far": add_meeting("Greensboro West", latitude=36.0869819, longitude=-79.9023415,
                           timezone="America/New_York", attendance_option=Attendance.HYBRID,
                           conference_url="https://zoom.us/j/2").id,
        "online": add_meeting("Online London", attendance_option=Attendance.ONLINE,
                              timezone="Europe/London", day=2, time="19:00").id,
        "removed": add_meeting("Gone", latitude=36.07, longitude=-79.8,
                               removed_at=datetime(2026, 1, 1, tzinfo=UTC)).id,
    }


def test_search_by_coordinates_matches_the_schema(client, listed, bmlt_origin, schema_validator) -> None:
    lat, lon = bmlt_origin
    response = client.get(f"/api/v1/meetings?lat={lat}&lon={lon}&radius_km=20")
    assert response.status_code == 200
    body = response.get_json()
    schema_validator("MeetingPage").validate(body)
    assert [m["name"] for m in body["meetings"]] == [
        "Greensboro Noon", "Greensboro West", "Online London"]
    assert body["meetings"][0]["distance_km"] == pytest.approx(2.85, rel=0.005)
    assert body["meetings"][1]["distance_km"] == pytest.approx(10.03, rel=0.005)
    online = body["meetings"][2]
    assert online["distance_km"] is None and online["latitude"] is None
    # Without tz, times are shown in the origin's zone (Greensboro: New York time).
    assert body["meetings"][0]["next_start"][-6:] in ("-05:00", "-04:00")
    assert body["next"] is None


def test_a_repeated_parameter_counts_its_first_value(client, listed, bmlt_origin) -> None:
    lat, lon = bmlt_origin
    response = client.get(f"/api/v1/meetings?lat={lat}&lon={lon}&limit=1&limit=500&radius_km=20")
    assert response.status_code == 200
    assert [m["name"] for m in response.get_json()["meetings"]] == ["Greensboro Noon"]
    assert client.get("/api/v1/meetings?limit=500&limit=1").status_code == 400


def test_search_filters_and_paging(client, listed, bmlt_origin, schema_validator) -> None:
    lat, lon = bmlt_origin
    base = f"/api/v1/meetings?lat={lat}&lon={lon}&radius_km=20"
    names = [m["name"] for m in client.get(base + "&attendance=online").get_json()["meetings"]]
    assert names == ["Online London", "Greensboro West"] or names == [
        "Greensboro West", "Online London"]
    assert [m["name"] for m in client.get(base + "&attendance=hybrid").get_json()["meetings"]] \
        == ["Greensboro West"]
    seen, url = [], base + "&limit=1"
    while url:
        body = client.get(url).get_json()
        schema_validator("MeetingPage").validate(body)
        seen += [m["id"] for m in body["meetings"]]
        url = base + f"&limit=1&cursor={body['next']}" if body["next"] else None
    assert seen == [listed["near"], listed["far"], listed["online"]]


def test_search_near_a_zip_code(client, listed) -> None:
    # 27401 is downtown Greensboro, NC: both in-person meetings are within 15 km of it.
    body = client.get("/api/v1/meetings?near=27401&radius_km=15&attendance=in_person").get_json()
    assert {m["name"] for m in body["meetings"]} == {"Greensboro Noon", "Greensboro West"}


def test_unknown_place_is_a_400_naming_near(client, listed, schema_validator) -> None:
    response = client.get("/api/v1/meetings?near=Xyzzyplugh%20Nowhere")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == "near"
    assert "Xyzzyplugh" in body["error"]
    schema_validator("Error").validate(body)


@pytest.mark.parametrize(("query", "parameter"), [
    ("lat=abc&lon=1", "lat"),
    ("lat=91&lon=1", "lat"),
    ("lat=40", "lon"),
    ("lat=40&lon=-73&near=10027", "near"),
    ("lat=40&lon=-73&radius_km=0", "radius_km"),
    ("lat=40&lon=-73&radius_km=nan", "radius_km"),
    ("attendance=inactive", "attendance"),
    ("attendance=in_person,teleport", "attendance"),
    ("fellowship=xx", "fellowship"),
    ("day=7", "day"),
    ("day=monday", "day"),
    ("from=25:00", "from"),
    ("from=7pm", "from"),
    ("from=19:00&to=19:00", "to"),
    ("starting_within=60&from=19:00", "starting_within"),
    ("starting_within=0", "starting_within"),
    ("types=O,%25", "types"),
    ("tz=Mars/Olympus_Mons", "tz"),
    ("limit=0", "limit"),
    ("limit=1000", "limit"),
    ("cursor=garbage", "cursor"),
    ("q=" + "x" * 201, "q"),
])
def test_bad_parameters(client, schema_validator, query, parameter) -> None:
    response = client.get("/api/v1/meetings?" + query)
    assert response.status_code == 400, response.get_json()
    body = response.get_json()
    assert body["parameter"] == parameter
    assert body["error"]
    schema_validator("Error").validate(body)


def test_one_meeting(client, listed, schema_validator) -> None:
    response = client.get(f"/api/v1/meetings/{listed['online']}?tz=America/New_York")
    assert response.status_code == 200
    body = response.get_json()
    schema_validator("Meeting").validate(body)
    assert body["name"] == "Online London" and body["distance_km"] is None
    # London 19:00 is 14:00 or 15:00 in New York, depending on the week's daylight saving.
    assert body["next_start"][11:16] in ("14:00", "15:00")
    for missing in (listed["removed"], 999_999):
        response = client.get(f"/api/v1/meetings/{missing}")
        assert response.status_code == 404
        schema_validator("Error").validate(response.get_json())


def test_a_meetings_pattern_is_in_the_answer_structured_and_in_words(client, make_meeting,
                                                                      schema_validator) -> None:
    monthly = make_meeting(name="Business", day=1, time="19:00", recurrence=Recurrence(
        kind=MONTHLY, nths=(1, 3), cancelled=(date(2030, 1, 6),)))
    weekly = make_meeting(name="Every week", day=2, time="19:00")
    body = client.get(f"/api/v1/meetings/{monthly.id}").get_json()
    schema_validator("Meeting").validate(body)
    assert body["recurrence"] == {"kind": "monthly", "nths": [1, 3], "cancelled": ["2030-01-06"],
                                  "description": "First and third Monday of the month, 19:00"}
    body = client.get(f"/api/v1/meetings/{weekly.id}").get_json()
    assert body["recurrence"] == {"kind": "weekly", "description": "Every Tuesday, 19:00"}
    page = client.get("/api/v1/meetings?q=Business").get_json()
    schema_validator("MeetingPage").validate(page)
    assert [m["recurrence"]["kind"] for m in page["meetings"]] == ["monthly"]
