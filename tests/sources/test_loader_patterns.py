"""Patterns read at import (CSV columns, phrases in notes) are stored, kept and cleared by the
loader like any other field, on both engines."""
from __future__ import annotations

import json

from sqlalchemy import select, text

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.pattern import MONTHLY
from finder.sources.loader import load
from importers import ImportOptions
from importers.meeting_guide import MeetingGuideImporter
from importers.tsml_csv import TsmlCsvImporter
from tests.golden import DATA

ROW = {"slug": "harbor", "name": "Harbor Group", "day": 0, "time": "09:30",
       "timezone": "America/Los_Angeles", "conference_url": "https://zoom.us/j/5551234567",
       "notes": "This meeting is held on the first Sunday of each month only."}


def parse(rows):
    return MeetingGuideImporter(ImportOptions()).parse(json.dumps(rows).encode())


def stored(source, key):
    return db.session.scalars(select(Meeting).where(Meeting.source_id == source.id,
                                                    Meeting.source_key == key)).one()


def test_a_note_read_as_monthly_is_stored_and_cleared_when_the_note_goes(app_ctx):
    source = Source(name="mg", url="test", format="meeting-guide", fellowship=Fellowship.AA)
    db.session.add(source)
    db.session.flush()
    load(source, parse([ROW]))
    db.session.commit()
    db.session.expire_all()
    meeting = stored(source, "harbor")
    assert (meeting.recurrence.nths, meeting.recurrence_kind) == ((1,), MONTHLY)
    assert load(source, parse([ROW])).unchanged == 1  # the same pattern is no change
    report = load(source, parse([ROW | {"notes": "Open to all."}]))
    db.session.commit()
    db.session.expire_all()
    assert report.updated == 1
    meeting = stored(source, "harbor")
    assert (meeting.recurrence, meeting.recurrence_kind) == (None, None)
    # SQL NULL (every week), not a JSON 'null'
    assert db.session.execute(text("SELECT count(*) FROM meetings WHERE recurrence IS NULL")).scalar() == 1


def test_csv_columns_are_stored(app_ctx):
    source = Source(name="csv", url="test", format="csv", fellowship=Fellowship.GA)
    db.session.add(source)
    db.session.flush()
    importer = TsmlCsvImporter(ImportOptions(fellowship=Fellowship.GA))
    load(source, importer.parse((DATA / "csv" / "not-weekly.csv").read_bytes()))
    db.session.commit()
    db.session.expire_all()
    kinds = {m.name: m.recurrence_kind for m in db.session.scalars(select(Meeting))}
    assert kinds["Business Meeting"] == MONTHLY
    assert kinds["Alternate Tuesday Group"] == "weeks"
    assert kinds["Bad Weeks"] is None and kinds["Holiday Note"] is None
    friday = db.session.scalars(select(Meeting).where(Meeting.name == "Last Friday Speaker")).one()
    assert [d.isoformat() for d in friday.recurrence.cancelled] == ["2026-12-25"]
