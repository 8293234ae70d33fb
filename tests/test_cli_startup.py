"""``finder`` starts light (issue 16): its help loads no app, and a data command loads no pages,
no Alembic (a database at its newest migration), no models it does not use, no geocoder (a feed
with coordinates), no HTTP client (a feed in a file), no list of every time zone and, for a feed
whose rows are unchanged, no schedule phrases (nor their patterns for rows naming no day);
start-up runs without the cycle collector."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click import Command

from finder.cli import COMMANDS, cli, load_command

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("alembic", "flask_migrate", "flask_babel", "flask_wtf", "geopy", "finder.search",
         "finder.web", "finder.meetings", "icalendar",
         "finder.schedules", "finder.submissions", "finder.reports",  # their models too
         # The formats a Meeting Guide feed is not, and the geocode cache (a feed with coordinates).
         "importers.bmlt", "importers.aggregator", "importers.aggregator_files", "importers.tsml_csv",
         "finder.geo.models",
         "nh3", "tzfpy",  # read at the first markup or zone to find: an unchanged row has none
         "urllib.request", "gzip", "concurrent.futures.thread")  # a URL, a gzipped feed, a refresh
PROBE = """
import gc, json, sys
from finder.__main__ import main
sys.argv[0] = "finder"
try:
    main()
except SystemExit as exit:
    code = exit.code
loaded = sorted(sys.modules)
zones = sys.modules.get("finder.zones")
phrases = sys.modules.get("importers.phrases")
print(json.dumps({"code": code, "loaded": loaded, "collecting": gc.isenabled(),
                  "frozen": gc.get_freeze_count(),
                  "zones_listed": bool(zones and zones.known_zones.cache_info().currsize),
                  "phrases_read": bool(phrases and phrases._day_word.cache_info().currsize),
                  "phrases_compiled": bool(phrases and (phrases._name_pattern.cache_info().currsize
                                                        or phrases._note_patterns.cache_info().currsize))}),
      file=sys.stderr)
"""


def among(loaded: list[str], *names: str) -> list[str]:
    """The modules of ``loaded`` that are one of ``names`` or inside one."""
    return [module for module in loaded
            if any(module == name or module.startswith(f"{name}.") for name in names)]


def finder(*args: str, database: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "test"}
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_line_is_the_commands_own(name):
    assert Command(name, help=COMMANDS[name][1]).get_short_help_str(45) == load_command(name).get_short_help_str(45)


def test_every_command_is_listed():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in [*COMMANDS, "run", "shell", "routes"]:
        assert f"  {name} " in result.output


def test_help_and_an_import_load_only_what_they_need(tmp_path):
    database = tmp_path / "finder.sqlite3"
    feed = tmp_path / "one.json"
    feed.write_text(json.dumps([{"name": "Noon", "slug": "noon", "day": 1, "time": "12:00",
                                 "timezone": "America/Chicago", "latitude": 41.9,
                                 "longitude": -87.6, "formatted_address": "1 Main St, Chicago, "
                                 "IL 60601, USA"}]))
    helped = finder("--help", database=database)
    assert helped["code"] == 0
    assert not among(helped["loaded"], "sqlalchemy", "finder.sources", *HEAVY)
    first = finder("import", str(feed), "--name", "one", database=database)  # makes the schema
    assert first["code"] == 0 and "alembic" in first["loaded"]
    assert not first["zones_listed"]  # the feed's zone is checked alone, not against all ~600
    again = finder("import", str(feed), "--name", "one", database=database)
    assert again["code"] == 0
    assert not among(again["loaded"], *HEAVY)
    assert first["phrases_read"] and not again["phrases_read"]  # an unchanged row is not read
    # "Noon" names no day, so it holds no schedule phrase: the phrases' patterns are not compiled.
    assert not first["phrases_compiled"]
    # Start-up ran without the cycle collector; the import itself runs with it, the start-up frozen.
    assert again["collecting"] and again["frozen"] > 10_000


def test_the_collector_is_left_alone_when_cli_is_called_in_process():
    import gc

    from click.testing import CliRunner

    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(cli, ["sources", "--help"])
    assert result.exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
