"""Import benchmark: generated Meeting Guide feeds of 2,000 and 100,000 meetings into SQLite.

Run: ``python -m bench.imports [--sizes 2000,100000] [--database-url URL]``.
Baseline, measured in the same run: ``json.loads`` of the same bytes (the floor any importer pays).
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.generate import generate
from finder import create_app
from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Source
from finder.schema import ensure_schema
from finder.sources.loader import import_source
from importers import ImportOptions
from importers.meeting_guide import MeetingGuideImporter


def run(size: int, database_url: str) -> dict[str, float]:
    """Import a ``size``-meeting feed twice into an empty database; return the timings."""
    raw = json.dumps(generate(size)).encode()
    started = time.perf_counter()
    json.loads(raw)
    baseline = time.perf_counter() - started

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        ensure_schema()
        source = Source(name=f"bench-{size}", url="bench", format="meeting-guide",
                        fellowship=Fellowship.AA)
        db.session.add(source)
        importer = MeetingGuideImporter(ImportOptions(source_name=source.name))
        timings = {}
        for label in ("first", "unchanged"):
            started = time.perf_counter()
            _, report = import_source(source, importer, raw)
            db.session.commit()
            timings[label] = time.perf_counter() - started
        assert report.unchanged == size, report.as_dict()
        db.drop_all()
    return {"baseline": baseline, **timings}


def main() -> None:
    """Print meetings per second and the unchanged re-import time for each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,100000")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    args = parser.parse_args()
    print(f"{'meetings':>9} {'first import':>13} {'meetings/s':>11} {'unchanged':>10} "
          f"{'json.loads':>11} {'x baseline':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            t = run(size, url)
        print(f"{size:>9,} {t['first']:>12.2f}s {size / t['first']:>11,.0f} "
              f"{t['unchanged']:>9.2f}s {t['baseline']:>10.3f}s {t['first'] / t['baseline']:>9.0f}x")


if __name__ == "__main__":
    main()
