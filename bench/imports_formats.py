"""Import benchmark for NA's BMLT JSON (and the aggregator's NDJSON) and GA's TSML CSV, into SQLite.

Run: ``python -m bench.imports_formats [--formats bmlt,bmlt-aggregator,csv] [--sizes 2000,100000]
[--database-url URL]``. Baseline, measured in the same run on the same bytes: ``json.loads``
(BMLT; gunzip and one ``json.loads`` a line for the aggregator) or ``csv.reader`` over every row
(CSV), the floor any importer of the format pays. Also shown: the parse alone
(no database), and one ``mark_duplicates`` pass over everything imported.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.generate import generate
from finder import create_app
from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Source
from finder.schema import ensure_schema
from finder.sources.duplicates import mark_duplicates
from finder.sources.loader import import_source
from importers import ImportOptions, get_importer

FORMAT_IDS = {"O": "17", "C": "4", "D": "8", "SP": "26", "ST": "27", "BE": "1", "W": "32", "M": "15",
              "Y": "34", "X": "33", "MED": "41", "B": "36", "DR": "14", "S": "9"}
STOCK_FORMATS = [
    {"key_string": key, "name_string": name, "id": fid, "world_id": world, "format_type_enum": kind, "lang": "en"}
    for key, name, fid, world, kind in (
        ("O", "Open", "17", "OPEN", "O"), ("C", "Closed", "4", "CLOSED", "O"),
        ("D", "Discussion", "8", "DISC", "FC1"), ("So", "Speaker Only", "26", "SPK", "FC1"),
        ("St", "Step", "27", "STEP", "FC1"), ("B", "Beginners", "1", "BEG", "FC3"),
        ("W", "Women", "32", "W", "FC3"), ("M", "Men", "15", "M", "FC3"),
        ("YP", "Young People", "34", "Y", "FC3"), ("WC", "Wheelchair", "33", "WCHR", "FC2"),
        ("ME", "Meditation", "41", "MED", "FC1"), ("BK", "Book Study", "36", "LIT", "FC1"),
        ("JT", "Just for Today", "14", "JFT", "FC1"), ("ES", "Español", "9", "LANG", "LANG"),
        ("VM", "Virtual Meeting", "54", "VM", "FC2"), ("HY", "Hybrid Meeting", "56", "HYBR", "FC2"),
    )
]
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _split_address(row: dict[str, Any]) -> tuple[str, str, str, str]:
    parts = [p.strip() for p in row["formatted_address"].split(",")]
    street, city = (parts[0], parts[1]) if len(parts) >= 4 else ("", parts[0])
    state_zip = parts[2].split() if len(parts) >= 4 else [parts[-1]]
    return street, city, state_zip[0], " ".join(state_zip[1:])


def to_bmlt(rows: list[dict[str, Any]]) -> bytes:
    """The generated meetings as ``{"meetings": [...], "formats": [...]}``, every value a string."""
    meetings = []
    for index, row in enumerate(rows):
        online, in_person = bool(row.get("conference_url")), row.get("approximate") != "yes"
        street, city, state, postal = _split_address(row)
        ids = [FORMAT_IDS[t] for t in row["types"] if t in FORMAT_IDS]
        if online:
            ids.append("56" if in_person else "54")
        meetings.append({
            "id_bigint": str(index + 1), "worldid_mixed": f"G{index:08d}", "service_body_bigint": "7",
            "weekday_tinyint": str(row["day"] + 1),
            "venue_type": "3" if online and in_person else "2" if online else "1",
            "start_time": row["time"] + ":00", "duration_time": "01:00:00",
            # a third leave the zone out, as many servers do: it comes from the coordinates
            "time_zone": "" if index % 3 == 0 else row["timezone"],
            "formats": "", "format_shared_id_list": ",".join(sorted(set(ids), key=int)),
            "lang_enum": "en", "latitude": str(row["latitude"]), "longitude": str(row["longitude"]),
            "published": "1", "root_server_uri": "https://bmlt.bench.example.org/main_server",
            "meeting_name": row["name"], "location_text": row.get("location", ""),
            "location_street": street, "location_municipality": city, "location_province": state,
            "location_postal_code_1": postal, "location_nation": "", "comments": "",
            "virtual_meeting_link": row.get("conference_url", ""), "phone_meeting_number": "",
            "virtual_meeting_additional_info": "",
        })
    return json.dumps({"meetings": meetings, "formats": STOCK_FORMATS}).encode()


def to_aggregator(rows: list[dict[str, Any]]) -> bytes:
    """The BMLT meetings as the aggregator's gzipped NDJSON: 44 root servers, English keys, no table."""
    keys = {fmt["id"]: fmt["key_string"] for fmt in STOCK_FORMATS}
    lines = []
    for index, meeting in enumerate(json.loads(to_bmlt(rows))["meetings"]):
        ids = [i for i in meeting["format_shared_id_list"].split(",") if i]
        lines.append(json.dumps(meeting | {
            "root_server_id": index % 44 + 1, "id_bigint": str(index // 44 + 1),
            "formats": ",".join(keys[i] for i in ids), "format_shared_id_list": ""}).encode())
    return gzip.compress(b"\n".join(lines))


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """The generated meetings as a 12 Step Meeting List CSV with 12-hour times and day names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Day", "Time", "End Time", "Name", "Location", "Address", "City", "State",
                     "Postal Code", "Types", "Timezone", "Conference URL", "Slug", "Latitude",
                     "Longitude", "Updated"])
    for row in rows:
        street, city, state, postal = _split_address(row)
        writer.writerow([
            DAYS[row["day"]], _twelve_hour(row["time"]), _twelve_hour(row["end_time"]), row["name"],
            row.get("location", ""), street, city, state, postal, ", ".join(row["types"]),
            row["timezone"], row.get("conference_url", ""), row["slug"], row["latitude"],
            row["longitude"], row["updated"],
        ])
    return out.getvalue().encode()


def _twelve_hour(value: str) -> str:
    hour, minute = int(value[:2]), value[3:]
    return f"{(hour - 1) % 12 + 1}:{minute} {'AM' if hour < 12 else 'PM'}"


FEEDS: dict[str, tuple[Callable[[list[dict[str, Any]]], bytes], Callable[[bytes], object], Fellowship]] = {
    "bmlt": (to_bmlt, lambda raw: json.loads(raw), Fellowship.NA),
    "bmlt-aggregator": (to_aggregator, lambda raw: [json.loads(line) for line in gzip.decompress(raw)
                                                    .splitlines()], Fellowship.NA),
    "csv": (to_csv, lambda raw: sum(1 for _ in csv.reader(io.StringIO(raw.decode())))
            , Fellowship.GA),
}


def run(format_: str, size: int, database_url: str) -> dict[str, float]:
    """Parse, import twice and mark duplicates for one ``size``-meeting feed; return the timings."""
    convert, baseline_parse, fellowship = FEEDS[format_]
    raw = convert(generate(size))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    baseline_parse(raw)
    timings["baseline"] = time.perf_counter() - started

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        ensure_schema()
        source = Source(name=f"bench-{format_}-{size}", url="bench", format=format_, fellowship=fellowship)
        db.session.add(source)
        importer = get_importer(format_)(ImportOptions(fellowship=fellowship, source_name=source.name))
        started = time.perf_counter()
        parsed = list(importer.parse(raw))
        timings["parse"] = time.perf_counter() - started
        for label in ("first", "unchanged"):
            started = time.perf_counter()
            _, report = import_source(source, importer, raw)
            db.session.commit()
            timings[label] = time.perf_counter() - started
        assert report.unchanged == size and not report.rejected, (len(parsed), report.as_dict()["rejected"][:3])
        started = time.perf_counter()
        mark_duplicates()
        db.session.commit()
        timings["duplicates"] = time.perf_counter() - started
        db.drop_all()
    return timings


def main() -> None:
    """Print meetings per second and the ratio to the format's plain parse, per format and size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", default="bmlt,bmlt-aggregator,csv")
    parser.add_argument("--sizes", default="2000,100000")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    args = parser.parse_args()
    print(f"{'format':<15} {'meetings':>9} {'parse':>7} {'first import':>13} {'meetings/s':>11} "
          f"{'unchanged':>10} {'duplicates':>10} {'baseline':>9} {'x baseline':>10}")
    for format_ in args.formats.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as folder:
                url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
                t = run(format_, size, url)
            print(f"{format_:<15} {size:>9,} {t['parse']:>6.2f}s {t['first']:>12.2f}s "
                  f"{size / t['first']:>11,.0f} {t['unchanged']:>9.2f}s {t['duplicates']:>9.2f}s "
                  f"{t['baseline']:>8.3f}s {t['first'] / t['baseline']:>9.0f}x", flush=True)


if __name__ == "__main__":
    main()
