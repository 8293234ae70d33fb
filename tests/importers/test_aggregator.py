"""The BMLT aggregator's NDJSON export: golden file, keys per root server, bad lines, gzip, streaming."""
from __future__ import annotations

import gzip
import io
import json
import tracemalloc

import pytest

from finder.enums import Fellowship
from importers import FeedParseError, ImportOptions, detect_importer
from importers.aggregator import AggregatorImporter
from importers.aggregator_files import LINE_LIMIT
from importers.base import Notice, Rejected
from importers.bmlt import BmltImporter
from importers.record import MeetingRecord
from tests.golden import DATA, check_golden, parse_summary

CASE = DATA / "aggregator" / "two-roots.ndjson"
LINES = CASE.read_bytes().splitlines(keepends=True)


def importer() -> AggregatorImporter:
    return AggregatorImporter(ImportOptions(fellowship=Fellowship.NA))


def parse(raw: bytes) -> tuple[dict[str, MeetingRecord], list[Rejected], list[str]]:
    items = list(importer().parse(raw))
    records = {r.source_key: r for r in items if isinstance(r, MeetingRecord)}
    rejected = [r for r in items if isinstance(r, Rejected)]
    return records, rejected, [n.reason for n in items if isinstance(n, Notice)]


def test_golden(request):
    summary = parse_summary(importer(), CASE.read_bytes())
    check_golden(CASE, summary, request.config.getoption("--update-golden"))


def test_two_root_servers_sharing_an_id_are_two_meetings():
    records, rejected, _ = parse(CASE.read_bytes())
    assert not rejected and len(records) == 9
    assert records["root-12/2566"].name == "Step up and Be Free"
    assert records["root-31/2566"].name == "Männermeeting"


def test_keys_are_read_in_each_root_servers_language():
    records, _, notes = parse(CASE.read_bytes())
    # Berlin's German keys: CL is "Clean leben" (Living Clean), never candlelight; "O" is open.
    assert "CAN" not in records["root-31/10838"].types and "LIT" in records["root-31/10838"].types
    assert records["root-31/10746"].types == ("LIT", "O", "OUT")
    # New York's English keys: O open, D discussion; no lang_enum there, so English.
    assert records["root-12/2566"].types == ("D", "O")
    assert any("de 1, en 1" in note for note in notes)


def test_unmapped_keys_are_named_with_their_root_server_and_count():
    _, _, notes = parse(CASE.read_bytes())
    [unknown] = [n for n in notes if n.startswith("unknown formats ignored on root server 31")]
    assert "narcotics-anonymous.de/bmlt" in unknown and "KT (3)" in unknown
    assert not any("root server 12" in n for n in notes)


def test_bad_lines_are_rejected_alone():
    raw = b"".join([LINES[0], b"{not json\n", b"[1, 2]\n", LINES[1],
                    json.dumps({"id_bigint": "9", "weekday_tinyint": "2"}).encode() + b"\n",
                    b"{\"id_bigint\": \"" + b"x" * (LINE_LIMIT + 10) + b"\"}\n",
                    b"\n", LINES[2].replace(b'"weekday_tinyint":"', b'"weekday_tinyint":"9')])
    records, rejected, _ = parse(raw)
    assert len(records) == 2
    assert [(r.key, r.reason[:20]) for r in rejected] == [
        ("line 2", "not JSON"), ("line 3", "not a JSON object"),
        ("line 5", "no root_server_id or"), ("line 6", "line longer than 1,0"),
        ("root-12/1791", "weekday_tinyint '92'")]


def test_gzip_file_reads_as_the_plain_one():
    plain, _, _ = parse(CASE.read_bytes())
    packed, _, _ = parse(gzip.compress(CASE.read_bytes()))
    assert packed == plain


def test_truncated_gzip_fails_the_whole_feed():
    with pytest.raises(FeedParseError, match="not valid gzip"):
        parse(gzip.compress(CASE.read_bytes())[:-40])


def test_recognised_from_content_and_name(tmp_path):
    assert detect_importer(CASE.read_bytes()) is AggregatorImporter
    assert detect_importer(gzip.compress(CASE.read_bytes())) is AggregatorImporter
    assert detect_importer((DATA / "realfeeds" / "berlin.json").read_bytes()) is BmltImporter
    one_line_bmlt = json.dumps({"meetings": [json.loads(LINES[0])], "formats": []}).encode()
    assert detect_importer(one_line_bmlt) is BmltImporter
    packed = tmp_path / "export.bin"
    packed.write_bytes(gzip.compress(CASE.read_bytes()))
    assert AggregatorImporter.claims(str(packed))
    assert AggregatorImporter.claims("https://cdn.example/aggregator/meetings.ndjson.gz")
    assert not AggregatorImporter.claims(str(DATA / "realfeeds" / "berlin.json"))


def test_a_large_export_is_streamed_not_held(tmp_path):
    """Reading a ~10 MB export never holds it whole (its virtual meetings wait for a zone)."""
    path = tmp_path / "meetings.ndjson.gz"
    lines = []
    for n in range(600):
        row = json.loads(LINES[n % len(LINES)])
        lines.append(json.dumps(row | {"id_bigint": str(n), "comments": "x" * 16000}).encode())
    with gzip.open(path, "wb") as file:
        file.write(b"\n".join(lines))
    inflated = sum(len(line) + 1 for line in lines)
    del lines
    tracemalloc.start()
    try:
        count = sum(isinstance(item, MeetingRecord) for item in importer().parse(path.open("rb")))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 600
    assert inflated > 9_000_000 and peak < inflated / 2


def test_a_file_object_is_closed_when_read():
    stream = io.BytesIO(CASE.read_bytes())
    list(importer().parse(stream))
    assert stream.closed


def test_format_ids_are_read_through_the_exports_formats_table():
    """The New York lines' server's real GetFormats (yap's fixture, same root server URI): ids are
    read by world id, and where the server's table says otherwise than the stock keys, it wins."""
    formats = json.loads((DATA / "realfeeds" / "bmlt-formats.json").read_text())
    assert {f["root_server_uri"] for f in formats} == {"https://latest.aws.bmlt.app/main_server"}
    ids = {f["key_string"]: f["id"] for f in formats}
    rows = [json.loads(line) for line in LINES[:4]]
    with_ids = b"".join(json.dumps(r | {"formats": "", "format_shared_id_list": ",".join(
        ids[k] for k in r["formats"].split(",") if k)}).encode() + b"\n" for r in rows)
    reader = importer()
    reader.use_formats(json.dumps(formats).encode())
    by_ids = {r.source_key: r.types for r in reader.parse(with_ids) if isinstance(r, MeetingRecord)}
    by_keys, _, _ = parse(b"".join(LINES[:4]))
    # "SD" is Speaker/Discussion among BMLT's stock keys (S-D: D and SP); this server gives it SPK.
    assert by_keys["root-12/1791"].types == ("D", "LIT", "O", "SP")
    assert by_ids["root-12/1791"] == ("LIT", "O", "SP")
    assert {k: v for k, v in by_ids.items() if k != "root-12/1791"} == {
        k: r.types for k, r in by_keys.items() if k != "root-12/1791"}


def test_a_formats_file_that_is_not_a_list_is_refused():
    with pytest.raises(FeedParseError, match="not a GetFormats list"):
        importer().use_formats(b'{"meetings": []}')
