"""Feed benchmark: a 30-meeting schedule feed rendered cold and warm, and the 304 path.

Run: ``python -m bench.feeds [--meetings 30] [--repeat 200]``.
Every figure is one request through Flask's test client on SQLite. Baselines, measured in
the same run through the same client: a trivial JSON view, and the schedule's own JSON
(``GET /api/v1/schedules/<token>``, same token lookup, no calendar).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import generate
from feeds import meetings as feed_meetings
from feeds import vtimezone
from finder import create_app
from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.schema import ensure_schema
from finder.sources.loader import import_source
from importers import ImportOptions
from importers.meeting_guide import MeetingGuideImporter


def make_app(database_url: str):
    """The app on the bench database, with a trivial JSON view as the baseline."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    app.add_url_rule("/_bench/ping", "bench_ping", lambda: {"ok": True})
    return app


def setup(database_url: str, meetings: int) -> str:
    """Import ``meetings`` generated meetings, pick them all into a schedule; return its token."""
    app = make_app(database_url)
    with app.app_context():
        ensure_schema()
        source = Source(name="bench", url="bench", format="meeting-guide", fellowship=Fellowship.AA)
        db.session.add(source)
        importer = MeetingGuideImporter(ImportOptions(source_name="bench"))
        import_source(source, importer, json.dumps(generate(meetings, seed=11)).encode())
        db.session.commit()
        ids = db.session.scalars(db.select(Meeting.id)).all()
    client = app.test_client()
    token = client.post("/api/v1/schedules", json={"name": "Bench"}).json["token"]
    for meeting_id in ids:
        client.post(f"/api/v1/schedules/{token}/meetings", json={"meeting_id": meeting_id})
    return token


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` calls (CPU is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(wall), statistics.median(cpu)


def clear_caches() -> None:
    """Forget every per-process computation: rendered feeds, zones, zone scans, observances."""
    feed_meetings._render.cache_clear()
    vtimezone.load_zone.cache_clear()
    vtimezone.scan_transitions.cache_clear()
    vtimezone._observances.cache_clear()


def first_request(database_url: str, token: str) -> dict[str, float]:
    """In a fresh process: seconds for the first feed request and the trivial baseline."""
    client = make_app(database_url).test_client()
    client.get("/_bench/ping")  # the app's own first-request costs are not the feed's
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(f"/feeds/{token}.ics")
    cpu = time.process_time() - started_cpu
    wall = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return {"wall": wall, "cpu": cpu}


def main() -> None:
    """Print the timings of each path and its ratio to the trivial JSON baseline."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--child", nargs=2, metavar=("URL", "TOKEN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(first_request(*args.child)))
        return

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        token = setup(url, args.meetings)
        fresh = [
            json.loads(subprocess.run(
                [sys.executable, "-m", "bench.feeds", "--child", url, token], check=True,
                capture_output=True, env={**os.environ, "PYTHONHASHSEED": str(seed)},
            ).stdout)
            for seed in range(5)
        ]
        client = make_app(url).test_client()
        feed = f"/feeds/{token}.ics"
        body = client.get(feed)
        etag = body.headers["ETag"]

        def cold() -> None:
            clear_caches()
            client.get(feed)

        def uncached() -> None:
            feed_meetings._render.cache_clear()  # zone caches stay warm: only the rendering is paid
            client.get(feed)

        rows = [
            ("trivial JSON view (baseline)", timed(lambda: client.get("/_bench/ping"), args.repeat)),
            ("schedule JSON (API GET)", timed(lambda: client.get(f"/api/v1/schedules/{token}"),
                                              args.repeat)),
            ("feed, cold: new process, 1st request",
             (statistics.median(run["wall"] for run in fresh),
              statistics.median(run["cpu"] for run in fresh))),
            ("feed, cold: caches cleared", timed(cold, max(args.repeat // 10, 5))),
            ("feed, warm: render cache cleared", timed(uncached, max(args.repeat // 4, 5))),
            ("feed, warm", timed(lambda: client.get(feed), args.repeat)),
            ("feed, 304 (If-None-Match)",
             timed(lambda: client.get(feed, headers={"If-None-Match": etag}), args.repeat)),
        ]
    zones = len(set(body.data.decode().split("TZID:")[1:]))
    print(f"{args.meetings} meetings, {len(body.data):,} bytes, {zones} VTIMEZONEs; "
          f"median of {args.repeat} requests (cold process: median of {len(fresh)} processes)")
    base_wall, base_cpu = rows[0][1]
    print(f"{'path':<38} {'wall ms':>8} {'x base':>7} {'CPU ms':>8} {'x base':>7}")
    for label, (wall, cpu) in rows:
        print(f"{label:<38} {wall * 1000:>8.2f} {wall / base_wall:>6.0f}x "
              f"{cpu * 1000:>8.2f} {cpu / base_cpu:>6.0f}x")


if __name__ == "__main__":
    main()
