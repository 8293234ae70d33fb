"""Import benchmark: a generated Meeting Guide feed imported the way ``finder import`` does it.

Run: ``python -m bench.imports [--sizes 2000,100000] [--engine sqlite|postgresql|both]
[--database-url URL] [--startup-runs 5]``.

For each size and engine, a new database gets the feed twice through ``import_location`` (lock,
parse, geocode cache, upsert, duplicate pass, commit): the first import and an unchanged
re-import. Printed: meetings/s of each (CPU time of this process; wall time in brackets, which
includes the database server on PostgreSQL and waiting for a core on a busy machine), the
re-import's share of the first, and the baseline measured in the same run: ``json.loads`` of
the same bytes, the floor any importer pays. Then the start-up of the ``finder`` command: CPU
time of ``finder --help`` and of ``finder import`` of a one-meeting feed into a database at its
newest migration (the median of a few runs; its own children's CPU time), next to the floor
measured in the same run: a Python that only imports the libraries every such command loads
(click, Flask, Flask-SQLAlchemy, SQLAlchemy's ORM, the collector off as ``finder`` runs), which
no code of this project can go below. Machines here differ by 2-3x in how fast they import; the
floor says how much of a start-up is the project's own.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate
from bench.search import database
from finder import create_app
from finder.extensions import db
from finder.schema import ensure_schema
from finder.sources.service import import_location


def timed(work: object) -> tuple[float, float, object]:
    """CPU and wall seconds of ``work()``, and its result."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()  # type: ignore[operator]
    return time.process_time() - cpu, time.perf_counter() - wall, result


def run(size: int, engine: str, url: str | None, folder: Path) -> dict[str, tuple[float, float]]:
    """Import a ``size``-meeting feed twice into a new database; return (CPU, wall) of each."""
    raw = json.dumps(generate(size)).encode()
    feed = folder / f"feed-{size}.json"
    feed.write_bytes(raw)
    cpu, wall, _ = timed(lambda: json.loads(raw))
    timings = {"baseline": (cpu, wall)}
    with database(engine, url) as config:
        app = create_app(config)
        with app.app_context():
            ensure_schema()
            for label in ("first", "unchanged"):
                cpu, wall, done = timed(lambda: import_location(str(feed), name=f"bench-{size}"))
                timings[label] = (cpu, wall)
            report = done.report  # type: ignore[attr-defined]
            assert report.unchanged == size and not report.changed, report.as_dict(limit=3)
            db.engine.dispose()  # before the schema is dropped
    return timings


#: What every ``finder`` command imports before any of its own code: the start-up's floor.
LIBRARIES = "import gc; gc.disable(); import click, flask, flask_sqlalchemy, sqlalchemy.orm"


def startup(folder: Path, runs: int) -> dict[str, float]:
    """Median CPU seconds of ``finder --help``, of importing a one-meeting feed (start-up), and
    of importing the libraries alone (the floor)."""
    feed = folder / "one.json"
    feed.write_text(json.dumps(generate(1)))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'startup.sqlite3'}",
           "SECRET_KEY": "bench"}
    finder = [sys.executable, "-c", "from finder.__main__ import main; main()"]  # as the script
    commands = {"finder --help": [*finder, "--help"],
                "finder import (1 meeting)": [*finder, "import", str(feed), "--name", "one"],
                "floor: the libraries alone": [sys.executable, "-c", LIBRARIES]}
    # The schema is made once, before timing; that run also writes the .pyc files, as an
    # installed finder has them (pip compiles them), even where PYTHONDONTWRITEBYTECODE is set.
    compiling = {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(commands["finder import (1 meeting)"], env=compiling, check=True,
                   capture_output=True)
    times: dict[str, float] = {}
    for label, command in commands.items():
        cpu = []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, env=env, check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        times[label] = statistics.median(cpu)
    return times


def main() -> None:
    """Print meetings/s of a first and an unchanged import per size and engine, then start-up."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,100000")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--database-url", help="default: a new SQLite file, or a new schema in "
                        "the local PostgreSQL's test database")
    parser.add_argument("--startup-runs", type=int, default=5, help="0 to skip the start-up")
    args = parser.parse_args()
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    print(f"load average {os.getloadavg()[0]:.2f}; CPU seconds of this process (wall in brackets)")
    print(f"{'engine':<10} {'meetings':>9} {'first import':>20} {'meetings/s':>10} "
          f"{'unchanged':>20} {'meetings/s':>10} {'re/first':>8} {'json.loads':>10} {'x baseline':>10}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for engine in engines:
            for size in (int(s) for s in args.sizes.split(",")):
                t = run(size, engine, args.database_url, folder)
                (first, first_wall), (again, again_wall) = t["first"], t["unchanged"]
                base = t["baseline"][0]
                print(f"{engine:<10} {size:>9,} {first:>8.2f}s ({first_wall:>7.2f}s) {size / first:>10,.0f} "
                      f"{again:>8.2f}s ({again_wall:>7.2f}s) {size / again:>10,.0f} "
                      f"{again / first:>7.0%} {base:>9.3f}s {first / base:>9.0f}x", flush=True)
        if args.startup_runs:
            times = startup(folder, args.startup_runs)
            for label, cpu in times.items():
                print(f"start-up: {label:<28} {cpu:.3f}s CPU (median of {args.startup_runs})")
            own = times["finder import (1 meeting)"] - times["floor: the libraries alone"]
            print(f"start-up: finder import's own, over the floor {own:.3f}s CPU")


if __name__ == "__main__":
    main()
