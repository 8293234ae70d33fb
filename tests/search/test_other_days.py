"""The search page's "Also Mon, Wed": the other days of one series (source, name, time and place)."""
from __future__ import annotations

import sqlalchemy as sa

from finder.enums import Attendance
from finder.extensions import db
from finder.models import Meeting
from finder.search.rows import other_days
from tests.factories import meeting, source

ZOOM = "https://zoom.us/j/1"


def test_a_series_is_its_source_name_time_and_place(app):
    with app.test_request_context("/?lang=en"):
        home, other = source("ny"), source("elsewhere")
        shown = meeting(slug="mon", day=1, source_id=home.id)
        meeting(slug="wed", day=3, source_id=home.id)  # the same series
        meeting(slug="fri-moved", day=5, source_id=home.id, formatted_address="1 Other St, New York")
        meeting(slug="sat-later", day=6, source_id=home.id, time="20:00")
        meeting(slug="sun-other-source", day=0, source_id=other.id)
        db.session.commit()
        assert other_days([db.session.get(Meeting, shown.id)]) == {shown.id: "Also Wed"}


def test_an_online_series_is_placed_by_its_link_when_it_has_no_address(app):
    with app.test_request_context("/?lang=en"):
        home = source("ny")
        online = {"attendance_option": Attendance.ONLINE, "conference_url": ZOOM, "source_id": home.id}
        shown = meeting(slug="tue", day=2, formatted_address=None, **online)
        meeting(slug="thu", day=4, formatted_address="", **online)  # empty reads as no address
        meeting(slug="sat", day=6, formatted_address=None, **(online | {"conference_url": ZOOM + "2"}))
        for day in (0, 1, 3, 5):  # another series: the same name and time at an address
            meeting(slug=f"at-{day}", day=day, source_id=home.id)
        db.session.commit()
        assert other_days([db.session.get(Meeting, shown.id)]) == {shown.id: "Also Thu"}


def test_every_day_and_no_other_day(app):
    with app.test_request_context("/?lang=en"):
        home = source("ny")
        daily = [meeting(slug=f"d{day}", day=day, name="Daily", source_id=home.id) for day in range(7)]
        alone = meeting(slug="alone", name="Alone", source_id=home.id)
        db.session.commit()
        rows = [db.session.get(Meeting, one.id) for one in (daily[2], alone)]
        assert other_days(rows) == {daily[2].id: "Every day"}


def test_a_series_read_again_is_kept_until_a_write(app):
    """The days of a series are kept per process under the data version: the same page again
    reads no series, and a day added since counts at the next search (the cache hides no write)."""
    statements: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.test_request_context("/?lang=en"):
        home = source("ny")
        shown = meeting(slug="mon", day=1, source_id=home.id)
        meeting(slug="wed", day=3, source_id=home.id)
        db.session.commit()
        row = db.session.get(Meeting, shown.id)
        assert other_days([row]) == {shown.id: "Also Wed"}
        sa.event.listen(db.engine, "before_cursor_execute", keep)
        try:
            assert other_days([row]) == {shown.id: "Also Wed"}
            assert not [one for one in statements if "meetings.name IN" in one]
            meeting(slug="fri", day=5, source_id=home.id)
            db.session.commit()
            assert other_days([row]) == {shown.id: "Also Wed, Fri"}
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", keep)
