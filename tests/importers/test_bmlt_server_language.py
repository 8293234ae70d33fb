"""BMLT without GetFormats: keys read in the server's language (issue #12, defect 3)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from finder.extensions import db
from finder.models import Meeting, Source
from importers import ImportOptions
from importers.base import Notice
from importers.bmlt import BmltImporter
from importers.record import MeetingRecord
from tests.feedserver import Route, feed_server

DATA = Path(__file__).resolve().parents[1] / "data" / "realfeeds"
BERLIN = DATA / "berlin.json"


def _parse(raw: bytes) -> tuple[dict[str, MeetingRecord], list[str]]:
    items = list(BmltImporter(ImportOptions()).parse(raw))
    records = {r.name: r for r in items if isinstance(r, MeetingRecord)}
    return records, [n.reason for n in items if isinstance(n, Notice)]


def test_berlin_keys_are_read_as_german():
    records, notes = _parse(BERLIN.read_bytes())
    clean = records["Clean leben - die Reise geht weiter"]
    assert "CAN" not in clean.types and "LIT" in clean.types  # Living Clean (world id LC)
    assert not any("CAN" in r.types for r in records.values())
    assert "RUS" in records["Berlinka - Russisches NA-Meeting"].types
    assert "FA" in records["Farsi Meeting جلسه فارسی آرامش"].types
    assert "OUT" in records["Park-Meeting am Karpfenteich"].types
    assert "M" in records["Männermeeting"].types
    assert any(n.startswith("no GetFormats list: format keys read as BMLT's stock 'de' keys "
                            "(server language 'de' from lang_enum)") for n in notes)


def test_berlin_unmapped_keys_are_reported_by_key_and_meetings():
    _, notes = _parse(BERLIN.read_bytes())
    [unknown] = [n for n in notes if n.startswith("unknown formats ignored:")]
    assert "KT (35)" in unknown and "Sp1 (15)" in unknown
    assert "CL" not in unknown and "en (" not in unknown


def test_berlin_far_fewer_meetings_without_types():
    records, _ = _parse(BERLIN.read_bytes())
    untyped = [r for r in records.values() if not r.types]
    assert len(untyped) < 20  # was 73 of 108 with English keys


def test_server_info_language_wins_over_lang_enum():
    rows = json.loads(BERLIN.read_text())
    raw = json.dumps({"meetings": rows, "formats": None,
                      "server_info": [{"nativeLang": "en"}]}).encode()
    records, notes = _parse(raw)
    assert "CAN" in records["Clean leben - die Reise geht weiter"].types  # English: CL is candlelight
    assert any("from GetServerInfo" in n for n in notes)


def test_import_with_a_separate_formats_file(app, runner):
    result = runner.invoke(args=["import", str(DATA / "bmlt-ny-meetings.json"), "--format", "bmlt",
                                 "--formats", str(DATA / "bmlt-formats.json"), "--name", "ny",
                                 "--timezone", "America/New_York"])
    assert result.exit_code == 0, result.output
    assert "no GetFormats list" not in result.output
    with app.app_context():
        row = db.session.execute(select(Meeting).join(Source).where(
            Source.name == "ny", Meeting.name == "Step up and Be Free")).scalar_one()
        assert row.types  # O,RF,To through the server's own table


def test_formats_only_for_bmlt(runner):
    result = runner.invoke(args=["import", str(DATA / "oc-sample.json"),
                                 "--formats", str(DATA / "bmlt-formats.json")])
    assert result.exit_code != 0 and "--formats is for BMLT" in result.output


def test_a_root_server_url_is_bmlt_without_format(app, runner):
    rows = json.loads(BERLIN.read_text())
    base = "/bmlt/client_interface/json/"
    with feed_server() as server:
        server.routes[base + "?switcher=GetSearchResults"] = Route(json.dumps(rows).encode())
        server.routes[base + "?switcher=GetFormats"] = Route(b"[]")
        server.routes[base + "?switcher=GetServerInfo"] = Route(b'[{"nativeLang":"de"}]')
        result = runner.invoke(args=["import", server.base_url + "/bmlt", "--name", "berlin"])
    assert result.exit_code == 0, result.output
    assert "(bmlt, na)" in result.output
    assert "server language 'de' from GetServerInfo" in result.output


def test_kerzenlicht_keys_without_meaning_are_reported_not_guessed():
    """Berlin's "Kerzenlicht-Meeting" carries KT,BT: BT is the Basic Text; KT has no confirmed
    NAWS meaning (it is on 35 meetings, online ones too, so not "candlelight") and is reported."""
    records, notes = _parse(BERLIN.read_bytes())
    candle = records["Kerzenlicht-Meeting"]
    assert candle.types == ("LIT",) and "CAN" not in candle.types
    [unknown] = [n for n in notes if n.startswith("unknown formats ignored:")]
    assert "KT (35)" in unknown and "BT (" not in unknown
    kt_online = [r for r in records.values() if "KT" in r.raw["formats"].split(",")
                 and r.attendance_option.value == "online"]
    assert kt_online  # why KT cannot be candlelight
