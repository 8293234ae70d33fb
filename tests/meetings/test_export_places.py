"""The Meeting Guide export keeps the spec's `approximate`: the address's, not our point's."""
from __future__ import annotations

from finder.enums import Attendance

EXPORT = "/api/v1/meeting-guide.json"


def test_a_meeting_held_at_its_address_but_placed_roughly(client, make_meeting):
    make_meeting(slug="rough", name="Rough", approximate=True, latitude=40.81, longitude=-73.96)
    make_meeting(slug="exact", name="Exact")
    make_meeting(slug="online", name="Online", attendance_option=Attendance.ONLINE, approximate=True,
                 formatted_address="Boston, MA, USA", conference_url="https://zoom.us/j/99",
                 latitude=None, longitude=None)
    entries = {entry["slug"]: entry for entry in client.get(EXPORT).get_json()}
    # "yes" would make a Meeting Guide reader list it as not in person (TSML: inactive).
    assert entries["rough"]["approximate"] == "no"
    assert "latitude" not in entries["rough"]  # a rough point: readers place the address
    assert (entries["exact"]["approximate"], entries["exact"]["latitude"]) == ("no", 40.8117)
    assert entries["online"]["approximate"] == "yes"
