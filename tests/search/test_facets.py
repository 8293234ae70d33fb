"""The search page's filters from what is there: every type in use near the place, and its regions."""
from __future__ import annotations

import re

import sqlalchemy as sa

from finder.enums import Attendance
from finder.extensions import db
from finder.models import Meeting, utcnow
from finder.search.criteria import Criteria
from finder.search.facets import facets


def offered(page: str, name: str) -> list[str]:
    """The values of the form's check boxes (types) or options (region) called ``name``."""
    if name == "types":
        return re.findall(r'name="types" value="([^"]+)"', page)
    select = page[page.index(f'<select id="{name}"'):].split("</select>")[0]
    return re.findall(r"<option(?: selected)?>([^<]+)</option>", select)


def test_types_in_use_nearby_are_filters_in_words(client, make_meeting):
    make_meeting(name="Women", slug="w", types=("W", "S", "ASBI"), region="IRVINE")
    make_meeting(name="Step", slug="st", types=("ST", "ONL"), region="SANTA ANA")
    make_meeting(name="Far", slug="far", types=("LIT",), region="BOSTON", latitude=42.36, longitude=-71.06)
    page = client.get("/?near=10027&radius_km=10&lang=en").get_data(as_text=True)
    # Known codes only (ASBI is a feed's typo), attendance codes left to the attendance filter.
    assert offered(page, "types") == ["S", "ST", "W"]  # by name: Spanish, Step Study, Women
    assert re.search(r'value="ST"> Step Study\s*</label>', page)
    assert offered(page, "region") == ["IRVINE", "SANTA ANA"]
    page = client.get("/?near=10027&radius_km=10&types=W&region=IRVINE").get_data(as_text=True)
    assert offered(page, "types") == ["S", "ST", "W"]  # ticking one type keeps the others offered
    assert 'name="types" value="W" checked' in page
    assert '<option selected>IRVINE</option>' in page
    assert "Step" not in page.split('class="meetings"')[1]  # the region and type filter the list


def test_online_results_bring_their_types_and_a_lone_region_is_no_filter(client, make_meeting):
    make_meeting(name="Online women", slug="ow", types=("W", "BE"), region="IRVINE",
                 attendance_option=Attendance.ONLINE, formatted_address=None, location=None,
                 latitude=None, longitude=None, conference_url="https://zoom.us/j/1")
    page = client.get("/?attendance=online&lang=en").get_data(as_text=True)
    assert offered(page, "types") == ["BE", "W"]
    assert 'id="region"' not in page


def test_the_types_and_regions_near_a_place_are_read_from_the_index_alone(app, make_meeting):
    """A 25 km box holds thousands of meetings: their rows must not be read one by one (issue 16)."""
    make_meeting(name="Women", slug="w", types=("W", "ST"), region="IRVINE")
    statements = []
    with app.app_context():
        def keep(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))
        sa.event.listen(db.engine, "before_cursor_execute", keep)
        try:
            found = facets(Criteria(latitude=40.75, longitude=-73.99, radius_km=25), [])
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", keep)
        assert found.types == ("ST", "W") and found.regions == ("IRVINE",)
        # The data version (a cache key), then the one read of the box.
        (statement, parameters), = [(sql, values) for sql, values in statements if "GROUP BY" in sql]
        if db.engine.dialect.name == "sqlite":  # PostgreSQL reads a table this small whole
            db.session.execute(sa.text("ANALYZE"))  # as a loaded database has its statistics
            plan = " ".join(str(row[-1]) for row in db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))
            assert "COVERING INDEX ix_meetings_facets" in plan


def test_a_row_badge_is_in_each_page_language_in_turn(client, make_meeting):
    """The badge is made once per attendance and language: an English page does not leave
    English badges for the Spanish page that follows (issue 16)."""
    make_meeting(name="Online women", slug="ow", types=("W",), attendance_option=Attendance.ONLINE,
                 formatted_address=None, location=None, latitude=None, longitude=None,
                 conference_url="https://zoom.us/j/1")
    badges = {lang: re.findall(r'<span class="badge badge-online">([^<]+)</span>',
                               client.get(f"/?attendance=online&lang={lang}").get_data(as_text=True))
              for lang in ("en", "es", "en")}
    assert badges == {"en": ["Online"], "es": ["En línea"]}


def test_a_place_searched_again_sees_a_meeting_added_since(app, make_meeting):
    """The box's filters are kept per process under the data version: a new meeting, or one
    moved away, counts at the next search (the cache must not hide a write)."""
    criteria = Criteria(latitude=40.75, longitude=-73.99, radius_km=25)
    make_meeting(name="Women", slug="w", types=("W",), region="IRVINE")
    with app.app_context():
        assert facets(criteria, []).types == ("W",)
        assert facets(criteria, []).types == ("W",)  # the same place again, from the cache
    make_meeting(name="Steps", slug="st", types=("ST",), region="TUSTIN")
    with app.app_context():
        assert facets(criteria, []) == facets(criteria, [])
        assert facets(criteria, []).types == ("ST", "W")
        assert facets(criteria, []).regions == ("IRVINE", "TUSTIN")
        steps = db.session.execute(sa.select(Meeting).where(Meeting.slug == "st")).scalar_one()
        # Moved to Boston, out of the box, as an edit does it: every write moves changed_at.
        steps.latitude, steps.longitude, steps.changed_at = 42.36, -71.06, utcnow()
        db.session.commit()
        assert facets(criteria, []).types == ("W",)
