"""``finder import --columns/--mapping``: an intergroup's own CSV layout, kept for ``refresh``."""
from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import func, select

from finder.models import Meeting, Source
from tests.golden import DATA

MAPPED = DATA / "csv-mapped"
COLUMNS = ("name=Meeting Name,day=Weekday,time=Begins,end_time=Ends,location=Building,"
           "address=Street,city=Town,state=ST,postal_code=ZIP,types=Meeting Type,"
           "conference_url=Online Link")


@pytest.fixture
def export(tmp_path):
    """A copy of the intergroup's export and its mapping file, free to change."""
    for name in ("intergroup-export.csv", "intergroup-export.mapping"):
        shutil.copy(MAPPED / name, tmp_path / name)
    return tmp_path / "intergroup-export.csv"


def stored(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_mapping_file_imports_and_is_kept_for_refresh(runner, db_session, export):
    mapping = str(export.with_suffix(".mapping"))
    result = runner.invoke(args=["import", str(export), "--mapping", mapping, "--name", "sac",
                                 "--timezone", "America/Los_Angeles", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == 6
    source = db_session.execute(select(Source).where(Source.name == "sac")).scalar_one()
    assert source.format == "csv" and source.column_map["time"] == "Begins"

    export.write_text(export.read_text().replace("7:00 PM,8:00 PM", "7:15 PM,8:15 PM"))
    result = runner.invoke(args=["refresh", "--source", "sac"])
    assert result.exit_code == 0, result.output
    assert "sac: added 1, updated 0, unchanged 5, removed 1" in result.output  # keyed by its time
    db_session.expire_all()
    times = db_session.scalars(select(Meeting.time).where(
        Meeting.name == "Downtown Big Book", Meeting.removed_at.is_(None))).all()
    assert times == ["19:15"]


def test_columns_on_the_command_line(runner, db_session, export):
    result = runner.invoke(args=["import", str(export), "--columns", COLUMNS, "--name", "sac",
                                 "--timezone", "America/Los_Angeles"])
    assert result.exit_code == 0, result.output
    assert "added 6" in result.output
    assert db_session.execute(select(Source)).scalar_one().column_map["name"] == "Meeting Name"
    # The next import without a mapping reads the source's own.
    result = runner.invoke(args=["import", str(export), "--name", "sac", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["unchanged"] == 6


def test_without_a_mapping_one_line_lists_the_columns_and_nothing_is_stored(runner, db_session,
                                                                             export):
    result = runner.invoke(args=["import", str(export), "--name", "sac"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "columns found: Meeting Name, Weekday, Begins" in lines[0]
    assert "needed: day, time, and name or address (missing: time)" in lines[0]
    assert stored(db_session, Source) == 0 and stored(db_session, Meeting) == 0


def test_the_error_is_json_under_json(runner, export):
    result = runner.invoke(args=["import", str(export), "--format", "csv", "--json"])
    assert result.exit_code == 1
    assert "columns found: Meeting Name" in json.loads(result.output)["error"]


@pytest.mark.parametrize(("args", "message"), [
    (["--columns", "title=Meeting Name"], "'title' is not a field we read"),
    (["--columns", "name"], "'name' is not FIELD=COLUMN"),
    (["--mapping", "no-such.mapping"], "no such file: no-such.mapping"),
])
def test_a_bad_mapping_is_a_usage_error(runner, db_session, export, args, message):
    result = runner.invoke(args=["import", str(export), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert stored(db_session, Source) == 0


def test_a_mapping_is_for_csv_feeds_only(runner, db_session):
    feed = str(DATA / "meeting-guide" / "basic.json")
    result = runner.invoke(args=["import", feed, "--format", "meeting-guide", "--columns", "name=Title"])
    assert result.exit_code == 2
    assert "a column mapping is for --format csv" in result.output
    assert runner.invoke(args=["import", feed, "--name", "mg"]).exit_code == 0
    result = runner.invoke(args=["import", feed, "--name", "mg", "--columns", "name=Title"])
    assert result.exit_code == 1  # the source's format is Meeting Guide
    assert "a column mapping is for CSV feeds; this feed is meeting-guide" in result.output
    assert db_session.execute(select(Source)).scalar_one().column_map is None


def test_sources_add_keeps_the_mapping(runner, db_session, export):
    result = runner.invoke(args=["sources", "add", "sac", str(export), "--format", "csv",
                                 "--fellowship", "aa", "--timezone", "America/Los_Angeles",
                                 "--mapping", str(export.with_suffix(".mapping"))])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["refresh", "--source", "sac"])
    assert result.exit_code == 0, result.output
    assert "sac: added 6" in result.output
