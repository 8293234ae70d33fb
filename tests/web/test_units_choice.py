"""Units follow the reader: miles and a 12-hour clock for en-US, km and 24-hour elsewhere."""
from __future__ import annotations

from finder.extensions import db
from tests.factories import meeting


def add(app) -> None:
    # A fixed Monday evening in New York: the Tuesday meeting is always on the page (at a real
    # instant just after its end it would be off the time-ordered week for half an hour).
    app.config["FIXED_NOW"] = "2026-11-30T23:00:00+00:00"
    with app.app_context():
        meeting(name="Riverside", day=2, time="19:00")
        db.session.commit()


def test_en_us_reads_miles_and_a_12_hour_clock(app, client):
    add(app)
    page = client.get("/?near=10027&tz=America/New_York",
                      headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert " mi</span>" in page and "7:00 PM" in page


def test_other_locales_read_km_and_24_hours(app, client):
    add(app)
    page = client.get("/?near=10027&tz=America/New_York",
                      headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert " km</span>" in page and "19:00" in page


def test_the_choice_is_remembered(app, client):
    add(app)
    response = client.get("/?near=10027&units=km", headers={"Accept-Language": "en-US"})
    assert "units=km" in response.headers["Set-Cookie"]
    page = client.get("/?near=10027", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert " km</span>" in page and "Show miles and a 12-hour clock" in page
