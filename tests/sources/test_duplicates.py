"""finder.sources.duplicates: the same meeting in two sources is recognised, listed once, naming both."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from finder.models import Meeting, Source
from finder.sources.duplicates import conference_key, similar_names


@pytest.fixture
def meeting(db_session):
    """``meeting(source_name, name)``: the (id, duplicate_of_id) of a source's meeting called ``name``."""
    def find(source_name, name):
        return db_session.execute(select(Meeting.id, Meeting.duplicate_of_id).join(Source).where(
            Source.name == source_name, Meeting.name == name)).one()

    return find


def write(tmp_path, name, rows):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(rows))
    return str(path)


def row(slug, name, **extra):
    return {"slug": slug, "name": name, "day": 2, "time": "19:00", "timezone": "America/New_York"} | extra


def test_demo_online_intergroup_copy_is_shown_once_with_both_sources(runner, client, meeting):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "1 meetings listed by more than one source" in result.output
    original = meeting("demo-aa-meeting-guide", "Chelsea Hybrid Speakers")
    copy = meeting("demo-aa-online-intergroup", "Chelsea Hybrid Speakers (online)")
    assert original.duplicate_of_id is None and copy.duplicate_of_id == original.id

    names = set()
    for page in (1, 2):
        html = client.get(f"/meetings?page={page}").get_data(as_text=True)
        names |= set(re.findall(r'<a href="/meetings/\d+"[^>]*>([^<]+)</a>', html))
    assert "Chelsea Hybrid Speakers" in names and "Chelsea Hybrid Speakers (online)" not in names
    for page_id in (original.id, copy.id):
        html = client.get(f"/meetings/{page_id}").get_data(as_text=True)
        assert "Listed by Demo AA Intergroup, Demo Online Intergroup." in html
    search = client.get("/?q=Chelsea").get_data(as_text=True)  # the search honours the mark too
    assert "Chelsea Hybrid Speakers" in search and "Chelsea Hybrid Speakers (online)" not in search
    exported = [m["name"] for m in client.get("/api/v1/meeting-guide.json").get_json()]
    assert "Chelsea Hybrid Speakers" in exported and "Chelsea Hybrid Speakers (online)" not in exported
    own = client.get("/api/v1/meeting-guide.json?source=demo-aa-online-intergroup").get_json()
    assert "Chelsea Hybrid Speakers (online)" in [m["name"] for m in own]  # a source's own list is whole
    # a second run finds the same and writes nothing new
    assert "1 meetings listed by more than one source" in runner.invoke(args=["demo"]).output


def test_same_place_and_similar_name_but_not_a_different_group(runner, meeting, tmp_path):
    place = {"formatted_address": "12 Main St, Springfield, IL 62701, USA", "latitude": 39.8017,
             "longitude": -89.6440}
    intergroup = [row("a1", "Serenity Seekers", **place), row("a2", "Downtown Women", **place),
                  row("a3", "Far Away Serenity Seekers", **place, day=3)]
    district = [row("b1", "Serenity Seekers Group", latitude=39.8019, longitude=-89.6442,
                    formatted_address="12 Main Street, Springfield, IL 62701, USA"),
                row("b2", "Monday Night Men", **place),
                row("b3", "Far Away Serenity Seekers", latitude=39.81, longitude=-89.6440,
                    formatted_address="800 Elm St, Springfield, IL 62701, USA", day=3)]
    for name, rows in (("intergroup", intergroup), ("district", district)):
        result = runner.invoke(args=["import", write(tmp_path, name, rows), "--name", name])
        assert result.exit_code == 0, result.output
    first = meeting("intergroup", "Serenity Seekers")
    assert meeting("district", "Serenity Seekers Group").duplicate_of_id == first.id  # ~28 m away
    assert meeting("district", "Monday Night Men").duplicate_of_id is None  # other name
    assert meeting("district", "Far Away Serenity Seekers").duplicate_of_id is None  # 900 m away

    # the original leaves its source: the copy is listed again on its own
    result = runner.invoke(args=["import", write(tmp_path, "intergroup", intergroup[1:]), "--name", "intergroup"])
    assert result.exit_code == 0, result.output
    assert meeting("district", "Serenity Seekers Group").duplicate_of_id is None


def test_same_source_twice_is_not_a_duplicate(runner, meeting, tmp_path):
    zoom = {"conference_url": "https://zoom.us/j/1234567890"}
    rows = [row("x1", "Early Group", **zoom), row("x2", "Early Group Again", **zoom)]
    runner.invoke(args=["import", write(tmp_path, "one", rows), "--name", "one"])
    assert meeting("one", "Early Group Again").duplicate_of_id is None


def test_conference_keys_and_names():
    assert conference_key("https://us02web.zoom.us/j/81234567890?pwd=abc") == "zoom:81234567890"
    assert conference_key("https://zoom.us/j/81234567890") == "zoom:81234567890"
    assert conference_key("https://meet.google.com/abc-defg-hij/") == "meet.google.com/abc-defg-hij"
    assert conference_key(None) is None
    assert similar_names("Serenity Seekers", "The Serenity Seekers Group")
    assert not similar_names("Serenity Seekers", "Monday Night Men")


def test_a_copy_alone_in_its_slot_again_loses_its_mark(runner, meeting, tmp_path):
    zoom = {"conference_url": "https://zoom.us/j/1234567890"}
    for name, slug in (("first", "f1"), ("second", "s1")):
        rows = [row(slug, "Early Birds", **zoom), row(slug + "x", "Other " + name, time="07:00")]
        assert runner.invoke(args=["import", write(tmp_path, name, rows), "--name", name]).exit_code == 0
    original = meeting("first", "Early Birds")
    assert meeting("second", "Early Birds").duplicate_of_id == original.id

    # the original moves to another time: no other source lists the copy's slot any more
    moved = [row("f1", "Early Birds", time="20:00", **zoom), row("f1x", "Other first", time="07:00")]
    result = runner.invoke(args=["import", write(tmp_path, "first", moved), "--name", "first"])
    assert result.exit_code == 0, result.output
    assert meeting("second", "Early Birds").duplicate_of_id is None
    assert meeting("first", "Early Birds").duplicate_of_id is None
