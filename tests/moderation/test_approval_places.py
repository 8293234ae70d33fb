"""Approved submissions are placed as imports are (issue #12): the geocode cache, then the geocoder."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from finder.enums import Attendance
from finder.geo.models import GeocodedAddress
from finder.sources.geocoding import address_key
from finder.submissions.models import Submission
from tests.nominatim import nominatim_server

ADDRESS = "4953 W Addison St, Chicago, IL 60641, USA"  # the new_meeting fixture's
STREET = (41.94654, -87.74786)


@pytest.fixture
def approve(client, csrf_token):
    """``approve(sub_id)``: press "Approve" on the submission's review page."""
    def press(sub_id: int):
        token = csrf_token(f"/moderate/{sub_id}")
        return client.post(f"/moderate/{sub_id}/approve", data={"csrf_token": token})

    return press


@pytest.fixture
def approved(db_session, logged_in, submit_new, submission_id, approve):
    """``approved()``: a new meeting submitted and approved; the stored meeting."""
    def make():
        sub_id = submission_id(submit_new())
        assert approve(sub_id).status_code == 303
        db_session.expire_all()
        return db_session.get(Submission, sub_id).meeting

    return make


def cached(db_session) -> GeocodedAddress | None:
    return db_session.get(GeocodedAddress, address_key(ADDRESS))


def test_offline_it_is_placed_by_postal_code_and_marked_approximate(client, db_session, approved):
    meeting = approved()
    assert meeting.formatted_address == ADDRESS
    assert meeting.attendance_option is Attendance.HYBRID  # still held there
    assert meeting.approximate is True
    assert meeting.latitude == pytest.approx(41.95, abs=0.05)  # ZIP 60641, not the city centre
    assert cached(db_session).approximate is True
    body = client.get(f"/api/v1/meetings/{meeting.id}").get_json()
    assert body["approximate"] is True


def test_an_online_geocoder_places_it_at_its_street(app, client, db_session, approved):
    with nominatim_server(app, {"4953 W Addison St": STREET}) as server:
        meeting = approved()
    assert (meeting.latitude, meeting.longitude, meeting.approximate) == (*STREET, False)
    assert meeting.attendance_option is Attendance.HYBRID
    assert ADDRESS in server.asked
    row = cached(db_session)
    assert (row.latitude, row.approximate) == (STREET[0], False)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "approximate location" not in page.lower()


def test_a_cached_address_is_not_asked_again(app, db_session, approved):
    db_session.add(GeocodedAddress(key=address_key(ADDRESS), latitude=41.9, longitude=-87.7,
                                   label="cached", approximate=False))
    db_session.commit()
    with nominatim_server(app, {"4953 W Addison St": STREET}) as server:
        meeting = approved()
    assert server.asked == []
    assert (meeting.latitude, meeting.approximate) == (41.9, False)


def test_a_failing_geocoder_never_fails_the_approval(app, db_session, approved):
    with nominatim_server(app, {}) as server:
        server.fail = True
        meeting = approved()
    assert meeting is not None and meeting.attendance_option is Attendance.HYBRID
    assert meeting.approximate is True and meeting.latitude is not None  # placed offline
    assert cached(db_session) is None  # a stand-in for the failed service is not kept
    assert db_session.scalar(sa.select(sa.func.count()).select_from(GeocodedAddress)) == 0
