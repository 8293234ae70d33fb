"""The meeting page beside the meeting: back to the search, a small map, other meetings here, sharing."""
from __future__ import annotations

import re

from finder.enums import Attendance
from finder.meetings.related import search_query

ONLINE = {"attendance_option": Attendance.ONLINE, "formatted_address": None, "location": None,
          "latitude": None, "longitude": None, "conference_url": "https://zoom.us/j/123456789"}


def test_the_search_is_carried_back_with_only_its_own_parameters():
    assert search_query("near=Irvine%2C+CA&starting_within=120&types=W&types=S") == \
        "near=Irvine%2C+CA&starting_within=120&types=W&types=S"
    assert search_query("near=Irvine&next=https://evil.example&cursor=abc") == "near=Irvine"
    assert search_query("x" * 1001) == "" and search_query(None) == ""
    assert search_query("&".join(f"q={n}" for n in range(41))) == ""  # more fields than a search has
    assert search_query('near="><script>') == "near=%22%3E%3Cscript%3E"


def test_back_link_and_a_share_link_without_the_search(client, make_meeting):
    meeting_id = make_meeting(name="Noon").id
    page = client.get(f"/meetings/{meeting_id}?search=near%3DIrvine%26lat%3D33.68").get_data(as_text=True)
    assert '<a href="/?near=Irvine&amp;lat=33.68">← Back to the results</a>' in page
    share = re.search(r'id="share-url" value="([^"]+)"', page)[1]
    assert share == f"http://localhost/meetings/{meeting_id}"  # the meeting only: no search, no place
    assert "Back to the results" not in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)


def test_other_meetings_at_the_same_place_or_of_the_same_group(client, make_meeting):
    here = make_meeting(name="Tuesday Night").id
    make_meeting(name="Saturday Morning", slug="sat", day=6, time="09:00", latitude=40.81175)
    make_meeting(name="Tuesday Night", slug="thu", day=4)  # its own other day, on one line first
    make_meeting(name="Tuesday Night", slug="fri", day=5)
    make_meeting(name="Across Town", slug="far", latitude=40.75, longitude=-73.99)
    make_meeting(name="Zoom Of The Group", slug="zoom", group="Riverside", **ONLINE)
    grouped = make_meeting(name="Riverside Sunday", slug="sun", day=0, group="Riverside",
                           latitude=40.70, longitude=-74.0).id
    page = client.get(f"/meetings/{here}?lang=en").get_data(as_text=True)
    related = page[page.index('id="h-related"'):].split("</ul>")[0]
    assert "Saturday Morning" in related and "Saturday 09:00" in related
    assert related.index("Thu, Fri 19:00") < related.index("Saturday Morning")
    assert "Across Town" not in related and "Tuesday 19:00" not in related
    page = client.get(f"/meetings/{grouped}").get_data(as_text=True)
    related = page[page.index('id="h-related"'):].split("</ul>")[0]
    assert "Zoom Of The Group" in related and "Tuesday Night" not in related and "Saturday" not in related


def test_a_small_map_only_with_tiles_and_a_street_point(client, make_meeting):
    in_person = make_meeting(name="Hall").id
    online = make_meeting(name="Online", slug="o", **ONLINE).id
    client.application.config.update(TILE_URL="")
    page = client.get(f"/meetings/{in_person}").get_data(as_text=True)
    assert "<svg" not in page and "leaflet" not in page  # no tiles configured
    client.application.config.update(TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png",
                                     TILE_ATTRIBUTION="© OpenStreetMap contributors")
    page = client.get(f"/meetings/{in_person}").get_data(as_text=True)
    tiles = re.findall(r'<image href="https://tiles.example.org/16/(\d+)/(\d+).png"', page)
    assert 1 <= len(tiles) <= 4 and ("19303", "24616") in tiles  # 40.8117, -73.9626 at zoom 16
    assert "Map of the meeting place" in page and "© OpenStreetMap contributors" in page
    assert "leaflet" not in page
    assert "<svg" not in client.get(f"/meetings/{online}").get_data(as_text=True)
