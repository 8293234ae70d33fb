"""The Meeting Guide export: spec rules field by field, filters, and the round trip."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from zoneinfo import available_timezones

import pytest

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
from tests import factories

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


def load_demo(app) -> None:
    with app.app_context():
        source = Source(name="demo", url="demo.json", format="meeting-guide",
                        fellowship=Fellowship.AA, default_timezone="America/New_York")
        db.session.add(source)
        importer = MeetingGuideImporter(ImportOptions(Fellowship.AA, "America/New_York", "demo"))
        import_source(source, importer, (DEMO_DIR / "aa-meeting-guide.json").read_bytes())
        local = local_source()
        factories.meeting(source_id=local.id, slug="local-online", source_key="local-online",
                          name="Night Owls Online", attendance_option=Attendance.ONLINE, types=("D", "O"),
                          formatted_address="Boston, MA, USA", approximate=True,
                          latitude=None, longitude=None, conference_url="https://zoom.us/j/99",
                          conference_phone="+16465588656,,99#", region="Boston",
                          updated=datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
        factories.meeting(source_id=local.id, slug="gone", source_key="gone", name="Gone",
                          removed_at=datetime(2026, 1, 1, tzinfo=UTC))
        db.session.commit()


def test_export_follows_the_spec_field_by_field(app, client):
    load_demo(app)
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
    assert owl["url"].endswith(f"/meetings/{_id(app, 'local-online')}")


def _id(app, slug: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(Meeting.id).where(Meeting.slug == slug)).scalar_one()


def test_round_trip_through_the_meeting_guide_importer(app, client):
    load_demo(app)
    body = client.get(EXPORT).get_data()
    exported = {m["slug"]: m for m in json.loads(body)}
    with app.app_context():
        originals = db.session.execute(
            db.select(Meeting).where(Meeting.removed_at.is_(None))).scalars().all()
        fresh = Source(name="round-trip", url="export.json", format="meeting-guide",
                       fellowship=Fellowship.AA)
        db.session.add(fresh)
        importer = MeetingGuideImporter(ImportOptions(Fellowship.AA, source_name="round-trip"))
        _, report = import_source(fresh, importer, body)
        assert report.rejected == [] and report.warnings == []
        assert report.added == len(originals)
        again = {m.slug: m for m in db.session.execute(
            db.select(Meeting).where(Meeting.source_id == fresh.id)).scalars()}
        assert set(again) == {m.slug for m in originals}
        for original in originals:
            copy = again[original.slug]
            for name in COMPARED:
                assert getattr(copy, name) == getattr(original, name), (original.slug, name)
            assert copy.url == (original.url or exported[original.slug]["url"])
            stamp = original.updated or original.changed_at
            assert copy.updated == stamp.replace(microsecond=0)


def test_filters_by_fellowship_and_source(app, client):
    load_demo(app)
    with app.app_context():
        na = Source(name="na-area", url="na.json", format="bmlt", fellowship=Fellowship.NA)
        db.session.add(na)
        db.session.flush()
        factories.meeting(source_id=na.id, slug="na-one", source_key="na-one",
                          fellowship=Fellowship.NA, name="Just for Today")
        db.session.commit()
    only_na = client.get(EXPORT + "?fellowship=na").get_json()
    assert [m["slug"] for m in only_na] == ["na-one"]
    local = client.get(EXPORT + "?source=local").get_json()
    assert [m["slug"] for m in local] == ["local-online"]
    assert client.get(EXPORT + "?fellowship=xx").status_code == 400
    assert client.get(EXPORT + "?source=nope").status_code == 404


def test_slugs_shared_by_two_sources_are_made_unique(app, client):
    with app.app_context():
        for name in ("area-one", "area-two"):
            source = factories.source(name)
            factories.meeting(source_id=source.id, slug="serenity", source_key="serenity")
        db.session.commit()
    slugs = [m["slug"] for m in client.get(EXPORT).get_json()]
    assert slugs[0] == "serenity" and re.fullmatch(r"serenity-m\d+", slugs[1])


def test_export_is_byte_stable_and_conditional(app, client):
    load_demo(app)
    first = client.get(EXPORT)
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(EXPORT).get_data() == first.get_data()
    cached = client.get(EXPORT, headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304


@pytest.mark.parametrize("html_name", ["<script>alert(1)</script> Group"])
def test_export_is_json_not_html(app, client, html_name):
    with app.app_context():
        factories.meeting(name=html_name)
        db.session.commit()
    response = client.get(EXPORT)
    assert response.get_json()[0]["name"] == html_name  # data, as stored; JSON-escaped
    assert response.mimetype == "application/json"


def test_pages_advertise_the_feed_as_the_spec_describes(client):
    page = client.get("/submissions/new").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/json" title="Meetings Feed" '
            'href="/api/v1/meeting-guide.json">') in page
