"""Meeting Guide export benchmark: ``GET /api/v1/meeting-guide.json`` over generated meetings.

Run: ``python -m bench.export [--size 20000]``. Prints the best of three in CPU seconds (wall time
on a shared machine mostly measures the neighbours), with ``json.dumps`` of the same entries as
the baseline measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time

from bench.generate import generate
from finder import create_app
from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Source
from finder.sources.loader import import_source
from importers import ImportOptions
from importers.meeting_guide import MeetingGuideImporter


def main() -> None:
    """Load ``--size`` generated meetings into SQLite, then time the export."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    size = parser.parse_args().size
    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "SECRET_KEY": "bench", "SERVER_NAME": "finder.test"})
    with app.app_context():
        db.create_all()
        source = Source(name="generated", url="generated.json", format="meeting-guide",
                        fellowship=Fellowship.AA)
        db.session.add(source)
        importer = MeetingGuideImporter(ImportOptions(Fellowship.AA, "America/New_York"))
        import_source(source, importer, json.dumps(generate(size)).encode())
        db.session.commit()
    client = app.test_client()
    timings = []
    for _ in range(3):
        started = time.process_time()
        body = client.get("/api/v1/meeting-guide.json").get_data()
        timings.append(time.process_time() - started)
    entries = json.loads(body)
    started = time.process_time()
    json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    baseline = time.process_time() - started
    print(f"{size:,} meetings: export {min(timings):.2f} s CPU (best of 3), "
          f"{len(body) / 1e6:.1f} MB; json.dumps alone {baseline:.2f} s "
          f"(ratio {min(timings) / baseline:.1f}x)")


if __name__ == "__main__":
    main()
