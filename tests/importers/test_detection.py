"""Format detection: each fixture is recognised as its format (the registry imports a format's
module only when its turn to sniff comes, so the order below is the order formats are tried)."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from importers import IMPORTERS, FeedParseError, detect_importer, get_importer

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "finder" / "demo"
DETECTED = {
    "aggregator/two-roots.ndjson": "bmlt-aggregator",
    "bmlt/english-used-formats.json": "bmlt",
    "bmlt/german-server.json": "bmlt",
    "bmlt/plain-array.json": "bmlt",
    "realfeeds/berlin.json": "bmlt",
    "realfeeds/bmlt-ny-meetings.json": "bmlt",
    "csv/ga-aliases-12h.csv": "csv",
    "csv/not-weekly.csv": "csv",
    "csv/tsml-export.csv": "csv",
    "meeting-guide/bad-fields.json": "meeting-guide",
    "meeting-guide/bad-records.json": "meeting-guide",
    "meeting-guide/basic.json": "meeting-guide",
    "meeting-guide/day-list.json": "meeting-guide",
    "meeting-guide/html-notes.json": "meeting-guide",
    "meeting-guide/not-weekly.json": "meeting-guide",
    "meeting-guide/timezones.json": "meeting-guide",
    "oc-irvine.json": "meeting-guide",
    "realfeeds/aasepia-sample.json": "meeting-guide",
    "realfeeds/oc-sample.json": "meeting-guide",
    "realfeeds/phrases-sample.json": "meeting-guide",
}
DEMO_DETECTED = {"aa-meeting-guide.json": "meeting-guide", "aa-online-intergroup.json": "meeting-guide",
                 "ga-tsml.csv": "csv", "na-bmlt.json": "bmlt"}
UNRECOGNISED = {
    "csv-mapped/intergroup-export.csv": "this CSV's columns are not a meeting list we can read",
    "realfeeds/bmlt-formats.json": "cannot tell the feed's format from its content",
    "realfeeds/README.md": "cannot tell the feed's format from its content",
}


def test_each_registered_name_is_its_importers_own():
    assert list(IMPORTERS) == ["meeting-guide", "bmlt-aggregator", "bmlt", "csv"]
    for name in IMPORTERS:
        assert get_importer(name).name == name


@pytest.mark.parametrize(("path", "format_"), [*((DATA / name, format_) for name, format_ in DETECTED.items()),
                                               *((DEMO / name, format_) for name, format_ in DEMO_DETECTED.items())],
                         ids=lambda value: value.name if isinstance(value, Path) else value)
def test_each_fixture_is_detected_as_its_format(path, format_):
    assert detect_importer(path.read_bytes()).name == format_


def test_a_gzipped_export_and_its_manifest_are_the_aggregators():
    assert detect_importer(gzip.compress((DATA / "aggregator" / "two-roots.ndjson").read_bytes())).name == "bmlt-aggregator"
    assert detect_importer(b'{"files": [{"name": "meetings.ndjson.gz"}]}').name == "bmlt-aggregator"


@pytest.mark.parametrize(("name", "why"), UNRECOGNISED.items())
def test_what_no_importer_takes_says_why(name, why):
    with pytest.raises(FeedParseError, match=why):
        detect_importer((DATA / name).read_bytes())
