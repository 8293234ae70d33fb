"""Search benchmark: radius searches over 250,000 generated meetings, through the API in-process.

Run: ``python -m bench.search [--meetings 250000] [--engine sqlite|postgresql] [--repeat 40]
[--non-weekly 0.1]``.

Meetings are placed around GeoNames cities in proportion to population (English-speaking
countries weighted 8x, as recovery fellowships are), scattered a few km around each city centre;
20% are online-only and 10% hybrid. They go straight into the database in bulk. Each query kind
runs ``--repeat`` times from different origins (first page of 50) through Flask's test client,
and prints median and p95 (wall) and median CPU next to a baseline measured in the same run: a
full scan of every meeting's coordinates with geopy's great-circle distance, filtered, sorted and
cut to 50. A last line times ``/healthz`` through the same app and client (no database, no
search): the floor of any request on this machine, whose speed differs 2-3x between sessions
here, so a search's multiple of the floor compares across machines where its milliseconds do
not. The cycle collector is set as a served worker sets it once its app is built
(finder/serve/collector.py; ``--default-collector`` leaves Python's). On PostgreSQL it says
whether the in-person list went through PostGIS (migration 0010 adds the column where the
extension is available).

With ``--non-weekly SHARE`` every query kind runs twice on the same rows: first all weekly, then
with that share of the meetings given a pattern (monthly 1st and 3rd or last weekday, every other
week, weekly with a cancelled date in the coming week), printing the second run's ratio to the
first (issue 15: within 10%), and on SQLite the median of each request's own ratio to its weekly
twin run just before it (drift on a busy machine cancels out).
"""
from __future__ import annotations

import argparse
import math
import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from geopy.distance import great_circle

from bench.generate import NAMES, TYPES
from finder import create_app, database_url
from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.geo.places import City, gazetteer
from finder.geo.points import EARTH_RADIUS_KM
from finder.models import Meeting, Source
from finder.pattern import MONTHLY, WEEKS, Recurrence
from finder.schema import ensure_schema
from finder.search.postgis import install_in_public, postgis_schema
from finder.serve.collector import settle_collector
from finder.weekly import day_of

ANGLOPHONE = {"US": 8, "CA": 8, "GB": 8, "IE": 8, "AU": 8, "NZ": 8}
METROS = {"New York": (40.7128, -74.0060), "Los Angeles": (34.0522, -118.2437),
          "London": (51.5072, -0.1276), "Chicago": (41.8781, -87.6298)}
FILTERS = "&attendance=in_person&types=O&from=18:00&to=22:00&day={day}"
FELLOWSHIPS = [Fellowship.AA] * 6 + [Fellowship.NA] * 3 + [Fellowship.GA]
POSTGRES_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def meeting_rows(count: int, source_id: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    """Yield ``count`` meeting rows clustered around cities like the population."""
    rng = random.Random(seed)
    cities: list[City] = gazetteer().cities
    weights = [c.population * ANGLOPHONE.get(c.country_code, 1) for c in cities]
    picks = rng.choices(cities, weights=weights, k=count)
    now = datetime.now(UTC)
    for index, city in enumerate(picks):
        roll = rng.random()
        option = (Attendance.ONLINE if roll < 0.2 else Attendance.HYBRID if roll < 0.3
                  else Attendance.IN_PERSON)
        # Spread grows with the city: a few km for a town, ~15 km for a metropolis.
        spread_km = 2 + 4 * math.log10(max(city.population, 10_000) / 10_000)
        lat = city.latitude + rng.gauss(0, spread_km) / 111.2
        lon = city.longitude + rng.gauss(0, spread_km) / (111.2 * max(0.1, math.cos(math.radians(lat))))
        place = option != Attendance.ONLINE
        hour, minute = rng.choice((6, 7, 12, 17, 18, 19, 19, 20, 20, 21)), rng.choice((0, 0, 30))
        yield {
            "source_id": source_id, "source_key": f"b{index}", "slug": f"bench-{index}",
            "fellowship": rng.choice(FELLOWSHIPS),
            "name": f"{rng.choice(NAMES)} {city.name}", "day": rng.randrange(7),
            "time": f"{hour:02d}:{minute:02d}", "end_time": f"{hour + 1:02d}:{minute:02d}",
            "timezone": city.timezone or "UTC", "attendance_option": option,
            "types": tuple(sorted(set(rng.sample(TYPES, rng.randint(1, 4)) + ["O"] * (roll < 0.7)))),
            "location": f"{city.name} Hall" if place else None,
            "formatted_address": f"{index} Main St, {city.name}" if place else None,
            "approximate": False, "latitude": max(-90.0, min(90.0, lat)) if place else None,
            "longitude": (lon + 180.0) % 360.0 - 180.0 if place else None,
            "conference_url": None if option == Attendance.IN_PERSON else f"https://zoom.us/j/{index}",
            "content_hash": "bench", "sequence": 0, "created_at": now, "changed_at": now,
            "removed_at": now if rng.random() < 0.01 else None,
        }


def load(app: Flask, count: int) -> float:
    """Create the schema and bulk-insert ``count`` meetings; return the seconds it took."""
    started = time.perf_counter()
    with app.app_context():
        ensure_schema()
        source = Source(name="bench", url="bench", format="meeting-guide", fellowship=Fellowship.AA)
        db.session.add(source)
        db.session.flush()
        batch: list[dict[str, Any]] = []
        for row in meeting_rows(count, source.id):
            batch.append(row)
            if len(batch) == 10_000:
                db.session.execute(sa.insert(Meeting.__table__), batch)
                batch = []
        if batch:
            db.session.execute(sa.insert(Meeting.__table__), batch)
        db.session.commit()
        analyze()
    return time.perf_counter() - started


def analyze() -> None:
    """Fresh statistics (and PostgreSQL's visibility map, for index-only scans)."""
    statement = "VACUUM ANALYZE meetings" if db.engine.dialect.name == "postgresql" else "ANALYZE"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(statement))


def make_non_weekly(app: Flask, share: float, seed: int = 13) -> int:
    """Give ``share`` of the meetings a pattern that is not every week; return how many."""
    rng = random.Random(seed)
    today = datetime.now(UTC).date()
    with app.app_context():
        table = Meeting.__table__
        rows = db.session.execute(sa.select(table.c.id, table.c.day)).all()
        picked = rng.sample(rows, int(len(rows) * share))
        values = []
        for meeting_id, day in picked:
            this_week = today + timedelta(days=(day - day_of(today)) % 7)
            pattern = rng.choice((
                Recurrence(kind=MONTHLY, nths=(1, 3)), Recurrence(kind=MONTHLY, nths=(-1,)),
                Recurrence(kind=WEEKS, interval=2, anchor=this_week),
                Recurrence(cancelled=(this_week,)),
            ))
            values.append({"b_id": meeting_id, "b_rec": pattern, "b_kind": pattern.kind})
        db.session.execute(
            sa.update(table).where(table.c.id == sa.bindparam("b_id"))
            .values(recurrence=sa.bindparam("b_rec"), recurrence_kind=sa.bindparam("b_kind")),
            values,
        )
        db.session.commit()
        # As after the load: an update leaves PostgreSQL's old row versions and a cleared
        # visibility map (no index-only scans) until a vacuum, which the weekly run did not pay.
        analyze()
    return len(values)


def baseline(app: Flask, lat: float, lon: float, radius_km: float) -> float:
    """Seconds for a full scan with geopy's distance, filtered, sorted and cut to 50."""
    started = time.perf_counter()
    with app.app_context():
        rows = db.session.execute(sa.select(Meeting.id, Meeting.latitude, Meeting.longitude).where(
            Meeting.removed_at.is_(None), Meeting.latitude.is_not(None))).all()
        db.session.remove()
    sphere = great_circle(radius=EARTH_RADIUS_KM)
    found = []
    for meeting_id, mlat, mlon in rows:
        km = sphere.measure((lat, lon), (mlat, mlon))
        if km <= radius_km:
            found.append((km, meeting_id))
    found.sort()
    _ = found[:50]
    return time.perf_counter() - started


def timed(client: Any, urls: list[str]) -> tuple[list[float], list[float], float]:
    """Wall and this process's CPU milliseconds of each request (checked for a 200), mean hits."""
    wall: list[float] = []
    cpu: list[float] = []
    hits: list[int] = []
    for url in urls:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.get_json()
        hits.append(len(response.get_json()["meetings"]))
    return wall, cpu, statistics.mean(hits)


def queries(repeat: int, seed: int = 5) -> list[tuple[str, float, list[str]]]:
    """(label, radius, urls) for each query kind."""
    rng = random.Random(seed)
    cities = [c for c in gazetteer().cities if c.population > 200_000]
    towns = rng.choices(cities, weights=[c.population * ANGLOPHONE.get(c.country_code, 1)
                                         for c in cities], k=repeat)
    metros = [METROS[name] for name in sorted(METROS)] * (repeat // len(METROS) + 1)

    def urls(points: list[tuple[float, float]], radius: int, filters: bool) -> list[str]:
        return [f"/api/v1/meetings?lat={lat:.5f}&lon={lon:.5f}&radius_km={radius}&limit=50"
                + (FILTERS.format(day=index % 7) if filters else "")
                for index, (lat, lon) in enumerate(points[:repeat])]

    town_points = [(c.latitude, c.longitude) for c in towns]
    return [
        ("25 km, cities", 25, urls(town_points, 25, False)),
        ("25 km, cities + filters", 25, urls(town_points, 25, True)),
        ("25 km, dense metro", 25, urls(metros, 25, False)),
        ("100 km, dense metro", 100, urls(metros, 100, False)),
        ("100 km, dense metro + filters", 100, urls(metros, 100, True)),
        # What the search page asks for: one next-start list, in progress first, series once.
        ("25 km, dense metro, order=time", 25, [url + "&order=time" for url in urls(metros, 25, False)]),
        ("25 km, metro, next 2 h, order=time", 25,
         [url + "&order=time&starting_within=120" for url in urls(metros, 25, False)]),
        ("online, starting within 60", 0,
         ["/api/v1/meetings?attendance=online&starting_within=60&tz=America/New_York"] * repeat),
    ]


@contextmanager
def database(engine: str, url: str | None) -> Iterator[dict[str, Any]]:
    """App settings for a fresh database of the engine, removed afterwards."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield {"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"}
        return
    url = database_url(url or POSTGRES_DEFAULT, ".")
    schema = "bench_" + secrets.token_hex(4)
    admin = sa.create_engine(url)
    install_in_public(admin)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {"SQLALCHEMY_DATABASE_URI": url,
               "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}}}
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def floor(client: Any, count: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``count`` requests for ``/healthz``: the same app and client
    with no database and no search, the floor any request pays on this machine."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(count):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get("/healthz")
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return wall, cpu


def p95(times: list[float]) -> float:
    """The 95th percentile of ``times``."""
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def report(label: str, times: list[float], cpu: list[float], hits: float,
           base: Callable[[], float] | None, weekly: tuple[float, float] | None = None,
           width: int = 32) -> None:
    """Print one line: median, p95, median CPU, and the baseline's median (or, for the run with
    non-weekly meetings, the ratios of its median and CPU to the weekly-only run's)."""
    line = (f"{label:<{width}} {len(times):>4} {hits:>5.0f} {statistics.median(times):>9.2f} "
            f"{p95(times):>9.2f} {statistics.median(cpu):>7.2f}")
    if weekly is not None:
        line += (f"   median {statistics.median(times) / weekly[0]:.2f}x"
                 f"  cpu {statistics.median(cpu) / weekly[1]:.2f}x of weekly-only")
    elif base is not None:
        base_ms = statistics.median(base() * 1000 for _ in range(3))
        line += f" {base_ms:>11.0f} {base_ms / statistics.median(times):>9.0f}x"
    print(line, flush=True)


def non_weekly(app: Flask, config: dict[str, Any], client: Any,
               kinds: list[tuple[str, float, list[str]]], weekly: dict[str, tuple[float, float]],
               share: float) -> None:
    """Rerun every query with ``share`` of the meetings not every week, against the weekly-only
    figures. On SQLite a copy of the database gets the patterns and each request runs on both,
    one after the other, so a busy machine's drift hits both sides alike; the copy first answers
    every request once, unmeasured, as the weekly side has in the weekly-only run."""
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith("sqlite:///"):
        count = make_non_weekly(app, share)
        print(f"\nthe same queries with {count:,} meetings ({share:.0%}) not every week "
              "(after the weekly-only run)")
        timed(client, [urls[0] for _, _, urls in kinds])
        for label, _, urls in kinds:
            times, cpu, hits = timed(client, urls)
            report(label, times, cpu, hits, None, weekly[label])
        return
    copy = Path(uri.removeprefix("sqlite:///")).with_suffix(".non-weekly.sqlite3")
    copy.unlink(missing_ok=True)
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(sa.text("VACUUM INTO :path"), {"path": str(copy)})
    other = create_app({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{copy}"})
    count = make_non_weekly(other, share)
    print(f"\neach request again, on the same rows (weekly-only) and on a copy with {count:,} "
          f"meetings ({share:.0%}) not every week, alternately")
    other_client = other.test_client()
    # The weekly side has answered every request once already (the weekly-only run); the copy
    # answers them once too, unmeasured. A day filter puts its window in the SQL text, so each
    # such request is a statement of its own, compiled and prepared per engine on first use.
    timed(other_client, [url for _, _, urls in kinds for url in urls])
    for label, _, urls in kinds:
        mine = [timed(client, [url]) + timed(other_client, [url]) for url in urls]
        weekly_times = [row[0][0] for row in mine]
        weekly_cpu = [row[1][0] for row in mine]
        report(label + " (weekly)", weekly_times, weekly_cpu,
               statistics.mean(row[2] for row in mine), None)
        report(label + " (10%)", [row[3][0] for row in mine], [row[4][0] for row in mine],
               statistics.mean(row[5] for row in mine), None,
               (statistics.median(weekly_times), statistics.median(weekly_cpu)))
        # Each request against its own weekly twin, run just before it: drift cancels out.
        paired = statistics.median(row[4][0] / row[1][0] for row in mine if row[1][0] > 0)
        print(f"{'':<32} paired: median cpu ratio {paired:.2f}x of the same request weekly-only")
    copy.unlink(missing_ok=True)


def main() -> None:
    """Generate, load, run every query kind, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=250_000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="sqlite",
                        help="both: each query kind on SQLite, then at once on PostgreSQL, and "
                             "the ratio of PostgreSQL's figures to SQLite's")
    parser.add_argument("--database-url", help="default: a temp SQLite file, or a fresh schema "
                                               f"in {POSTGRES_DEFAULT}")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--default-collector", action="store_true",
                        help="keep Python's collector settings, not a served worker's")
    parser.add_argument("--non-weekly", type=float, default=0.0,
                        help="then rerun with this share of meetings not every week")
    args = parser.parse_args()
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    if len(engines) > 1 and (args.database_url or args.non_weekly):
        parser.error("--engine both makes its own databases and has no --non-weekly run")
    with ExitStack() as stack:
        apps = {}
        for engine in engines:
            config = stack.enter_context(database(engine, args.database_url))
            app = create_app({"TESTING": True, **config})
            seconds = load(app, args.meetings)
            with app.app_context():
                postgis = postgis_schema(db.session.connection()) is not None
                db.session.remove()
            print(f"{engine}: {args.meetings:,} meetings loaded in {seconds:.1f}s; in-person "
                  f"list through {'PostGIS' if postgis else 'portable SQL (no PostGIS column)'}")
            apps[engine] = app, config
            stack.callback(drop, app)
        clients = {engine: app.test_client() for engine, (app, _) in apps.items()}
        kinds = queries(args.repeat)
        for client in clients.values():
            timed(client, [urls[0] for _, _, urls in kinds])  # warm caches and compiled statements
        if not args.default_collector:
            settle_collector()
        print(f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} "
              "cores (wall times include waiting for a core; cpu is this process's own)")
        width = 32 if len(engines) == 1 else 47
        print(f"{'query (first page of 50)':<{width}} {'n':>4} {'hits':>5} {'median ms':>9} {'p95 ms':>9} "
              f"{'cpu ms':>7} {'baseline ms':>11} {'speed-up':>9}")
        weekly = {}
        for label, radius, urls in kinds:
            figures = {}
            for engine, client in clients.items():
                times, cpu, hits = timed(client, urls)
                weekly[label] = statistics.median(times), statistics.median(cpu)
                figures[engine] = times
                base = None
                if radius and not args.no_baseline and "filters" not in label and engine == engines[0]:
                    lat, lon = (float(v.split("=")[1]) for v in urls[0].split("?")[1].split("&")[:2])
                    app = apps[engine][0]
                    base = lambda lat=lat, lon=lon, radius=radius, app=app: baseline(app, lat, lon, radius)  # noqa: E731
                report(label if len(engines) == 1 else f"{label} [{engine}]", times, cpu, hits, base,
                       width=width)
            if len(engines) > 1:
                print(f"{'':<{width}} PostgreSQL / SQLite: median "
                      f"{statistics.median(figures['postgresql']) / statistics.median(figures['sqlite']):.2f}x, "
                      f"p95 {p95(figures['postgresql']) / p95(figures['sqlite']):.2f}x", flush=True)
        for engine, client in clients.items():
            times, cpu = floor(client, 5 * args.repeat)
            report("floor: /healthz (no database)" + (f" [{engine}]" if len(engines) > 1 else ""),
                   times, cpu, 0, None, width=width)
        if args.non_weekly:
            engine = engines[0]
            non_weekly(apps[engine][0], apps[engine][1], clients[engine], kinds, weekly, args.non_weekly)


def drop(app: Flask) -> None:
    """Drop the benchmark's tables (before its database or schema goes)."""
    with app.app_context():
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
