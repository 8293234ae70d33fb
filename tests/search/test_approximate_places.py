"""Issue #12's done-when: a CSV with addresses only, imported, then found near its city, "approximate"."""
from __future__ import annotations

import re
import shutil

import pytest

from tests.golden import DATA

SACRAMENTO = (38.58157, -121.4944)  # the city centre: every meeting is some km away


@pytest.fixture
def imported(runner, tmp_path):
    """The intergroup's export (addresses, no coordinates, no zone) imported with ``finder import``."""
    for name in ("intergroup-export.csv", "intergroup-export.mapping"):
        shutil.copy(DATA / "csv-mapped" / name, tmp_path / name)
    result = runner.invoke(args=["import", str(tmp_path / "intergroup-export.csv"), "--mapping",
                                 str(tmp_path / "intergroup-export.mapping"), "--name", "sac"])
    assert result.exit_code == 0, result.output
    assert "placed by postal code or town (approximate)" in result.output


def test_the_api_finds_them_near_the_city_and_says_approximate(client, imported):
    body = client.get("/api/v1/meetings?near=Sacramento, CA&radius_km=40"
                      "&attendance=in_person").get_json()
    found = {m["name"]: m for m in body["meetings"]}
    assert set(found) == {"Downtown Big Book", "Midtown Sunrise", "Davis Women's Step Study"}
    assert all(m["approximate"] and m["timezone"] == "America/Los_Angeles" for m in found.values())
    assert found["Davis Women's Step Study"]["distance_km"] > 15  # its town, not Sacramento's


def test_the_search_page_says_approximate_location_and_about(client, imported):
    page = client.get("/?near=Sacramento, CA&radius_km=40&attendance=in_person&units=km"
                      "&tz=America/Los_Angeles").get_data(as_text=True)
    rows = page.split('<li class="meeting')[1:]
    assert len(rows) >= 3 and "Downtown Big Book" in page and "Davis Women&#39;s Step Study" in page
    for row in rows:
        assert "approximate location" in row
        distance = re.search(r'<span class="distance">([^<]+)</span>', row)[1]
        assert re.fullmatch(r"about \d+ km", distance), distance  # never a false "0.4 km"
    spanish = client.get("/?near=Sacramento, CA&radius_km=40&attendance=in_person&units=km"
                         "&lang=es").get_data(as_text=True)
    assert "ubicación aproximada" in spanish and re.search(r"a unos \d+ km", spanish)


def test_the_meeting_page_says_so_and_directions_follow_the_address(client, imported):
    body = client.get("/api/v1/meetings?near=Sacramento, CA&radius_km=40&q=Downtown").get_json()
    [meeting] = body["meetings"]
    page = client.get(f"/meetings/{meeting['id']}").get_data(as_text=True)
    assert "Approximate location" in page
    assert ("destination=2620%20Capitol%20Ave%2C%20Sacramento%2C%20CA%2095816" in page)


def test_an_exact_place_keeps_its_exact_distance(client, make_meeting):
    make_meeting(name="Exact", latitude=SACRAMENTO[0] + 0.01, longitude=SACRAMENTO[1],
                 timezone="America/Los_Angeles", formatted_address="1 J St, Sacramento, CA 95814, USA")
    page = client.get(f"/?lat={SACRAMENTO[0]}&lon={SACRAMENTO[1]}&units=km").get_data(as_text=True)
    assert '<span class="distance">1.1 km</span>' in page
    assert "approximate location" not in page
