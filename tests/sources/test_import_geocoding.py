"""Addresses without coordinates are placed at import (issue #12: every in-person meeting)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.models import GeocodedAddress
from finder.models import Meeting
from tests.nominatim import nominatim_server

CSV = ("name,day,time,address,city,state,postal_code\n"
       "Anaheim Big Book,Monday,19:00,1 Main St,Anaheim,CA,92805\n"
       "Irvine Step Study,Tuesday,20:00,9 Elm St,Irvine,CA,\n")
ANAHEIM = (33.8359, -117.9086)


@pytest.fixture
def addresses(tmp_path):
    path = tmp_path / "addresses.csv"
    path.write_text(CSV)
    return str(path)


def test_addresses_only_csv_is_found_near_its_city(app, client, runner, addresses):
    result = runner.invoke(args=["import", addresses, "--name", "oc-csv"])
    assert result.exit_code == 0, result.output
    assert "2 addresses without coordinates placed by postal code or town (approximate)" in result.output
    with app.app_context():
        rows = db.session.scalars(select(Meeting).order_by(Meeting.name)).all()
        assert [r.attendance_option for r in rows] == [Attendance.IN_PERSON] * 2
        assert all(r.approximate and r.latitude is not None for r in rows)
        assert rows[0].timezone == "America/Los_Angeles"  # from the placed point: none was given
    body = client.get(f"/api/v1/meetings?lat={ANAHEIM[0]}&lon={ANAHEIM[1]}&radius_km=40").get_json()
    found = {m["name"]: m for m in body["meetings"]}
    assert set(found) == {"Anaheim Big Book", "Irvine Step Study"}
    assert found["Anaheim Big Book"]["approximate"] is True
    assert found["Anaheim Big Book"]["distance_km"] < 1  # placed at its postal code


def test_a_reimport_never_asks_again(app, runner, addresses, monkeypatch):
    assert runner.invoke(args=["import", addresses, "--name", "a"]).exit_code == 0
    with app.app_context():
        cached = db.session.scalar(select(func.count()).select_from(GeocodedAddress))
    assert cached == 2
    import finder.sources.geocoding as geocoding

    def refuse(*args, **kwargs):
        raise AssertionError("asked again")

    monkeypatch.setattr(geocoding.AddressPlacer, "_look_up", refuse)
    result = runner.invoke(args=["import", addresses, "--name", "a"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def nominatim(app):
    with nominatim_server(app, {"Main St": (33.834, -117.915)}) as server:
        yield server


def test_an_online_geocoder_gives_street_level_points(app, runner, addresses, nominatim):
    result = runner.invoke(args=["import", addresses, "--name", "online"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        big_book = db.session.execute(select(Meeting).where(Meeting.name == "Anaheim Big Book")).scalar_one()
        assert (big_book.latitude, big_book.approximate) == (33.834, False)
        irvine = db.session.execute(select(Meeting).where(Meeting.name == "Irvine Step Study")).scalar_one()
        assert irvine.approximate and irvine.latitude is not None  # unknown to it: placed by town


def test_a_failing_geocoder_never_fails_the_import(app, runner, addresses, nominatim):
    nominatim.fail = True
    result = runner.invoke(args=["import", addresses, "--name", "down"])
    assert result.exit_code == 0, result.output
    assert "the geocoder failed 2 times" in result.output
    with app.app_context():
        rows = db.session.scalars(select(Meeting)).all()
        assert len(rows) == 2 and all(r.approximate and r.latitude is not None for r in rows)
        assert db.session.scalar(select(func.count()).select_from(GeocodedAddress)) == 0
