"""The Meeting Guide export (finder/meetings/export.py): spec rules field by field, filters, the round trip."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from zoneinfo import available_timezones

import pytest
import sqlalchemy as sa

from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.sources.loader import import_source
from finder.sources.service import DEMO_DIR
from finder.submissions.service import local_source
from importers import ImportOptions
from importers.meeting_guide import MeetingGuideImporter
from importers.normalize import conference_provider
from importers.types import TYPES

EXPORT = "/api/v1/meeting-guide.json"
SPEC_FIELDS = {
    "name", "slug", "day", "time", "end_time", "timezone", "formatted_address", "address",
    "city", "state", "postal_code", "country", "approximate", "latitude", "longitude", "region",
    "sub_region", "regions", "location", "location_notes", "notes", "types", "conference_url",
    "conference_url_notes", "conference_phone", "conference_phone_notes", "group", "group_notes",
    "updated", "url", "edit_url", "feedback_emails", "feedback_url",
    "last_confirmed",  # our one extension (issue 14): readers ignore fields they do not know
}
# Stored fields a re-import must give back unchanged (url and updated are checked apart).
COMPARED = (
    "slug", "fellowship", "name", "day", "time", "end_time", "timezone", "attendance_option",
    "types", "location", "formatted_address", "approximate", "region", "latitude", "longitude",
    "location_notes", "notes", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "group", "feedback_url",
)
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@pytest.fixture
def import_feed(app):
    """``import_feed(source, importer, raw)``: load a feed into a new source, committed; the report."""
    def load(source: Source, importer: MeetingGuideImporter, raw: bytes):
        with app.app_context():
            db.session.add(source)
            _, report = import_source(source, importer, raw)
            db.session.commit()
            return report

    return load


@pytest.fixture
def demo(app, import_feed, make_meeting) -> None:
    """The demo Meeting Guide feed, and two meetings of this app's own: one online, one removed."""
    source = Source(name="demo", url="demo.json", format="meeting-guide",
                    fellowship=Fellowship.AA, default_timezone="America/New_York")
    importer = MeetingGuideImporter(ImportOptions(Fellowship.AA, "America/New_York", "demo"))
    import_feed(source, importer, (DEMO_DIR / "aa-meeting-guide.json").read_bytes())
    with app.app_context():
        local_id = local_source().id
        db.session.commit()
    make_meeting(source_id=local_id, slug="local-online", source_key="local-online",
                 name="Night Owls Online", attendance_option=Attendance.ONLINE, types=("D", "O"),
                 formatted_address="Boston, MA, USA", approximate=True,
                 latitude=None, longitude=None, conference_url="https://zoom.us/j/99",
                 conference_phone="+16465588656,,99#", region="Boston",
                 updated=datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    make_meeting(source_id=local_id, slug="gone", source_key="gone", name="Gone",
                 removed_at=datetime(2026, 1, 1, tzinfo=UTC))


def test_export_follows_the_spec_field_by_field(client, db_session, demo):
    response = client.get(EXPORT)
    assert response.status_code == 200 and response.mimetype == "application/json"
    meetings = response.get_json()
    assert isinstance(meetings, list) and len(meetings) > 20
    zones = available_timezones()
    slugs = [m["slug"] for m in meetings]
    assert len(slugs) == len(set(slugs)), "slugs are unique in the data set"
    for m in meetings:
        assert set(m) <= SPEC_FIELDS, set(m) - SPEC_FIELDS
        assert isinstance(m["name"], str) and 0 < len(m["name"]) <= 255
        assert re.fullmatch(r"[A-Za-z0-9._~-]{1,64}", m["slug"]), m["slug"]
        assert isinstance(m["day"], int) and 0 <= m["day"] <= 6
        assert HH_MM.match(m["time"]) and ("end_time" not in m or HH_MM.match(m["end_time"]))
        assert m["timezone"] in zones
        assert isinstance(m["types"], list) and set(m["types"]) <= set(TYPES)
        assert "ONL" not in m["types"]
        if "conference_url" in m:
            assert conference_provider(m["conference_url"]) is not None
        if "conference_phone" in m:
            phone = m["conference_phone"]
            assert re.fullmatch(r"[\d+,*#]+", phone) and sum(c.isdigit() for c in phone) >= 10
        if "latitude" in m:
            assert isinstance(m["latitude"], float) and -90 <= m["latitude"] <= 90
            assert isinstance(m["longitude"], float) and -180 <= m["longitude"] <= 180
        if "approximate" in m:
            assert m["approximate"] in ("yes", "no") and m["formatted_address"]
        if "regions" in m:
            assert m["regions"] and all(isinstance(r, str) and r for r in m["regions"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", m["updated"])
        assert m["url"].startswith(("http://", "https://"))
        for key, value in m.items():
            assert value not in ("", None, []) or key == "types", key  # empty fields left out
    assert "gone" not in slugs  # removed meetings are not listed
    owl = next(m for m in meetings if m["slug"] == "local-online")
    assert owl["updated"] == "2026-11-01 12:00:00" and owl["approximate"] == "yes"
    owl_id = db_session.execute(sa.select(Meeting.id).where(Meeting.slug == "local-online")).scalar_one()
    assert owl["url"].endswith(f"/meetings/{owl_id}")


def test_round_trip_through_the_meeting_guide_importer(client, db_session, demo, import_feed):
    body = client.get(EXPORT).get_data()
    exported = {m["slug"]: m for m in json.loads(body)}
    originals = db_session.execute(
        sa.select(Meeting).where(Meeting.removed_at.is_(None))).scalars().all()
    fresh = Source(name="round-trip", url="export.json", format="meeting-guide",
                   fellowship=Fellowship.AA)
    importer = MeetingGuideImporter(ImportOptions(Fellowship.AA, source_name="round-trip"))
    report = import_feed(fresh, importer, body)
    assert report.rejected == [] and report.warnings == []
    assert report.added == len(originals)
    again = {m.slug: m for m in db_session.execute(
        sa.select(Meeting).join(Source).where(Source.name == "round-trip")).scalars()}
    assert set(again) == {m.slug for m in originals}
    for original in originals:
        copy = again[original.slug]
        for name in COMPARED:
            assert getattr(copy, name) == getattr(original, name), (original.slug, name)
        assert copy.url == (original.url or exported[original.slug]["url"])
        stamp = original.updated or original.changed_at
        assert copy.updated == stamp.replace(microsecond=0)


def test_filters_by_fellowship_and_source(client, demo, make_source, make_meeting):
    na = make_source("na-area", url="na.json", format="bmlt", fellowship=Fellowship.NA)
    make_meeting(source_id=na.id, slug="na-one", source_key="na-one",
                 fellowship=Fellowship.NA, name="Just for Today")
    only_na = client.get(EXPORT + "?fellowship=na").get_json()
    assert [m["slug"] for m in only_na] == ["na-one"]
    local = client.get(EXPORT + "?source=local").get_json()
    assert [m["slug"] for m in local] == ["local-online"]
    assert client.get(EXPORT + "?fellowship=xx").status_code == 400
    assert client.get(EXPORT + "?source=nope").status_code == 404


def test_slugs_shared_by_two_sources_are_made_unique(client, make_source, make_meeting):
    for name in ("area-one", "area-two"):
        source = make_source(name)
        make_meeting(source_id=source.id, slug="serenity", source_key="serenity")
    slugs = [m["slug"] for m in client.get(EXPORT).get_json()]
    assert slugs[0] == "serenity" and re.fullmatch(r"serenity-m\d+", slugs[1])


def test_export_is_byte_stable_and_conditional(client, demo):
    first = client.get(EXPORT)
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(EXPORT).get_data() == first.get_data()
    cached = client.get(EXPORT, headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304


@pytest.mark.parametrize("html_name", ["<script>alert(1)</script> Group"])
def test_export_is_json_not_html(client, make_meeting, html_name):
    make_meeting(name=html_name)
    response = client.get(EXPORT)
    assert response.get_json()[0]["name"] == html_name  # data, as stored; JSON-escaped
    assert response.mimetype == "application/json"


def test_pages_advertise_the_feed_as_the_spec_describes(client):
    page = client.get("/submissions/new").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/json" title="Meetings Feed" '
            'href="/api/v1/meeting-guide.json">') in page
