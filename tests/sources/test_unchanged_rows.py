"""An unchanged feed row is not parsed again, and the import says and stores exactly what a full
reading would (issue 16): the digest of each clean row is kept with its meeting."""
from __future__ import annotations

import copy
import json

from sqlalchemy import select, update

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.sources.loader import _by_digest, _stored_rows, import_source
from importers import ImportOptions
from importers.base import Unchanged
from importers.meeting_guide import MeetingGuideImporter
from tests.golden import DATA


def feed() -> list[dict]:
    """Clean rows, rows with warnings, unknown types, day lists, a repeated row."""
    rows = [row for name in ("basic", "bad-fields", "day-list")
            for row in json.loads((DATA / "meeting-guide" / f"{name}.json").read_text())]
    return rows + [copy.deepcopy(rows[0])]  # an exact repeat: its key is rejected each time


def new_source() -> Source:
    source = Source(name="oc", url="test", format="meeting-guide", fellowship=Fellowship.AA)
    db.session.add(source)
    db.session.flush()
    return source


def importer(fellowship: Fellowship = Fellowship.AA) -> MeetingGuideImporter:
    return MeetingGuideImporter(ImportOptions(fellowship=fellowship, source_name="oc"))


def stored(source: Source) -> list[tuple]:
    meetings = db.session.scalars(select(Meeting).where(Meeting.source_id == source.id)
                                  .order_by(Meeting.id))
    return [(m.source_key, m.content_hash, m.sequence, m.changed_at, m.removed_at) for m in meetings]


def test_a_reimport_reads_only_rows_that_had_something_to_say(app_ctx):
    source = new_source()
    raw = json.dumps(feed()).encode()
    import_source(source, importer(), raw)
    db.session.commit()
    digests = _by_digest(_stored_rows(source.id))
    again = importer()
    again.options = ImportOptions(fellowship=Fellowship.AA, source_name="oc", unchanged=digests.get)
    items = list(again.parse(raw))
    skipped = [item.key for item in items if isinstance(item, Unchanged)]
    read = [item for item in items if hasattr(item, "columns")]
    assert "40-minutes-to-freedom" in skipped and len(skipped) >= 5
    assert not {r.source_key for r in read} & set(digests.values())  # only rows without one
    assert {"lat-200", "unknown-provider", "daily-reflections-1"} <= {r.source_key for r in read}


def test_the_report_and_the_rows_are_those_of_a_full_reading(app_ctx):
    source = new_source()
    raw = json.dumps(feed()).encode()
    first = import_source(source, importer(), raw)[1]
    db.session.commit()
    rows = stored(source)
    skipping = import_source(source, importer(), raw)[1]
    db.session.commit()
    reader = importer()
    reader.options = ImportOptions(fellowship=Fellowship.AA, source_name="oc",
                                   unchanged=lambda digest: None)  # every row read again
    full = import_source(source, reader, raw)[1]
    db.session.commit()
    assert skipping.as_dict() == full.as_dict()
    assert (skipping.unchanged, skipping.changed) == (first.added, False)
    assert skipping.rejected and skipping.warnings  # repeated each time, as before
    assert stored(source) == rows


def test_an_edited_row_or_other_options_are_read_again(app_ctx):
    source = new_source()
    rows = feed()
    import_source(source, importer(), json.dumps(rows).encode())
    db.session.commit()
    rows[0]["name"] = "Forty Minutes to Freedom"
    report = import_source(source, importer(), json.dumps(rows).encode())[1]
    db.session.commit()
    assert (report.updated, report.added, report.removed) == (1, 0, 0)
    renamed = db.session.scalar(select(Meeting).where(Meeting.source_key == "40-minutes-to-freedom"))
    assert (renamed.name, renamed.sequence) == ("Forty Minutes to Freedom", 1)
    # Other options (another fellowship) read every row again.
    digests = _by_digest(_stored_rows(source.id))
    other = importer(Fellowship.GA)
    other.options = ImportOptions(fellowship=Fellowship.GA, source_name="oc", unchanged=digests.get)
    assert not [item for item in other.parse(json.dumps(rows).encode()) if isinstance(item, Unchanged)]


def test_rows_stored_before_digests_get_theirs_without_a_change(app_ctx):
    source = new_source()
    raw = json.dumps(feed()).encode()
    import_source(source, importer(), raw)
    db.session.execute(update(Meeting).values(feed_digest=None))  # as stored before digests
    db.session.commit()
    rows = stored(source)
    assert not _by_digest(_stored_rows(source.id))
    report = import_source(source, importer(), raw)[1]
    db.session.commit()
    assert not report.changed and stored(source) == rows
    assert len(_by_digest(_stored_rows(source.id))) >= 5
