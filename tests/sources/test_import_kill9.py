"""``kill -9`` of a running ``finder import`` at several points leaves the database exactly as before."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from finder.extensions import db

MEETINGS = 20_000
# Kill points as fractions of how long the first import took on this machine (start-up included),
# so a faster importer or a quicker machine still gets killed mid-way rather than finishing first.
KILL_AT = (0.1, 0.2, 0.3, 0.4, 0.6)
FINDER = str(Path(sys.executable).with_name("finder"))


def _feed(path: Path, version: int) -> None:
    """A feed of MEETINGS meetings; version 2 changes, drops and adds a third of them each."""
    rows = []
    for i in range(MEETINGS):
        if version == 2 and i % 3 == 0:
            continue  # removed
        name = f"Meeting {i}" + (" (moved)" if version == 2 and i % 3 == 1 else "")
        rows.append({"slug": f"m{i}", "name": name, "day": i % 7, "time": f"{8 + i % 12:02d}:30",
                     "timezone": "America/New_York", "latitude": 40 + (i % 100) / 100,
                     "longitude": -74 - (i % 90) / 100, "formatted_address": f"{i} Main St, Town, NY, USA"})
    if version == 2:
        rows += [{"slug": f"new{i}", "name": f"New {i}", "day": 2, "time": "19:00",
                  "timezone": "America/New_York"} for i in range(MEETINGS // 3)]
    path.write_text(json.dumps(rows))


def _environment(app) -> dict[str, str]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    if options:  # the test run's own PostgreSQL schema
        url += "?options=" + quote(options)
    return os.environ | {"DATABASE_URL": url, "SECRET_KEY": "kill-test"}


def _snapshot(app) -> dict[str, list]:
    """Every row of the tables an import writes, read on a connection of its own."""
    tables = {"meetings": "SELECT * FROM meetings ORDER BY id", "sources": "SELECT * FROM sources ORDER BY id",
              "import_runs": "SELECT id, source_id, status, added, updated, removed FROM import_runs ORDER BY id"}
    with app.app_context():
        engine = sa.create_engine(db.engine.url, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        try:
            with engine.connect() as connection:
                return {name: [tuple(row) for row in connection.execute(sa.text(sql))]
                        for name, sql in tables.items()}
        finally:
            engine.dispose()


def test_kill_9_mid_import_changes_nothing(app, tmp_path):
    first, second = tmp_path / "v1.json", tmp_path / "v2.json"
    _feed(first, 1)
    _feed(second, 2)
    env = _environment(app)
    started = time.monotonic()
    done = subprocess.run([FINDER, "import", str(first), "--name", "big"], env=env,
                          capture_output=True, text=True, timeout=300)
    whole = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    before = _snapshot(app)
    assert len(before["meetings"]) == MEETINGS
    killed = 0
    for seconds in (whole * fraction for fraction in KILL_AT):
        process = subprocess.Popen([FINDER, "import", str(second), "--name", "big"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(seconds)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait(30)
        if process.returncode == 0:  # it finished before the kill: nothing more to learn
            break
        state = _snapshot(app)
        if state != before:  # the kill landed just after the commit: all of it is there, not part
            runs = state["import_runs"]
            assert len(runs) == len(before["import_runs"]) + 1 and runs[-1][2] == "ok", seconds
            break
        assert state == before, f"killed after {seconds} s"
    assert killed >= 3, "the import finished too soon for the kill points; raise MEETINGS"
    # The same import, left to finish, does change the database: the kills hit real work.
    done = subprocess.run([FINDER, "import", str(second), "--name", "big"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _snapshot(app)["meetings"] != before["meetings"]
