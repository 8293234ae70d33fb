"""Soak benchmark: the production server under a mixed load for minutes, counting every error
and watching each worker's memory.

Run: ``python -m bench.soak [--meetings 250000] [--minutes 10] [--workers 2] [--connections 8]
[--engine sqlite|postgresql]``.
Generates meetings as ``bench.search`` does, starts ``finder serve`` with N workers (worker
recycling off, so a leak shows instead of being hidden by restarts) and sends a mix of
searches (API, page, online soon), meeting pages and their ``.ics``, a 30-meeting plan feed and
its 304 from ``--connections`` client processes. Every answer but the expected status, and every
connection error or timeout, is an error. Each worker's resident memory is read from /proc every
few seconds; growth is measured from the end of the warm-up (the first tenth of the run) to the
end. Prints per-kind counts, errors and latency, the memory table, and the verdict against the
targets: 0 errors, every worker growing by under 10%.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from bench.http import NEW_YORK, database, feed_of, wait_until_up
from bench.search import load
from finder import create_app, database_url
from tests.liveserve import finder_command, free_port, get, stop

# Places the generated meetings cluster around (bench.search weights English-speaking cities).
PLACES = [(40.7128, -74.0060), (34.0522, -118.2437), (41.8781, -87.6298), (51.5074, -0.1278),
          (-33.8688, 151.2093), (43.6532, -79.3832), (29.7604, -95.3698), (53.4808, -2.2426),
          (37.7749, -122.4194), (47.6062, -122.3321), (-37.8136, 144.9631), (19.4326, -99.1332)]
ZIPS = ["10027", "90012", "60601", "77002", "94103", "98101", "02108", "30303"]
GROWTH_LIMIT = 0.10


def request_mix(feed: str, etag: str, meeting_ids: list[int],
                rng: random.Random) -> list[tuple[str, str, dict[str, str], int]]:
    """(kind, path, headers, expected status): the requests the clients pick from, weighted."""
    mix: list[tuple[str, str, dict[str, str], int]] = []
    for lat, lon in PLACES:
        for radius in (10, 25, 100):
            mix.append(("search API", f"/api/v1/meetings?lat={lat}&lon={lon}&radius_km={radius}", {}, 200))
        mix.append(("search API, filters", f"/api/v1/meetings?lat={lat}&lon={lon}&radius_km=25"
                    "&attendance=in_person&day=3&time_from=18:00&time_to=22:00", {}, 200))
    for zip_code in ZIPS:
        mix += [("search page", f"/?near={zip_code}", {}, 200),
                ("search page", f"/?near={zip_code}&order=distance&day=6", {}, 200)]
    mix += [("online soon", "/api/v1/meetings?attendance=online&starting_within=60", {}, 200)] * 4
    for meeting_id in rng.sample(meeting_ids, min(40, len(meeting_ids))):
        mix += [("meeting page", f"/meetings/{meeting_id}", {}, 200),
                ("meeting .ics", f"/meetings/{meeting_id}.ics", {}, 200)]
    mix += [("plan feed", feed, {}, 200)] * 12
    mix += [("plan feed 304", feed, {"If-None-Match": etag}, 304)] * 12
    mix += [("healthz", "/healthz", {}, 200)] * 2
    return mix


def client(base: str, mix: list, seconds: float, seed: int, out: multiprocessing.Queue) -> None:
    """One connection's worth of load: random requests from ``mix`` until the time is up."""
    rng = random.Random(seed)
    parts = urlsplit(base)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    samples: list[str] = []
    connection = None
    first_of_each = list({kind: (kind, *rest) for kind, *rest in mix}.values())  # every kind at least once
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind, path, headers, expected = first_of_each.pop() if first_of_each else rng.choice(mix)
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != expected:
                errors[kind] += 1
                if len(samples) < 10:
                    samples.append(f"{response.status} for {path}")
            if response.will_close:
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as exc:
            errors[kind] += 1
            if len(samples) < 10:
                samples.append(f"{type(exc).__name__} for {path}: {exc}")
            connection = None
        latencies[kind].append((time.perf_counter() - started) * 1000)
    out.put((dict(latencies), dict(errors), samples))


def workers_of(master: int) -> list[int]:
    """The pids whose parent is ``master`` (gunicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(entry.name))
    return sorted(children)


def rss_kib(pid: int) -> int | None:
    """Resident memory of ``pid`` in KiB, or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def watch_memory(master: int, seconds: float, warmup: float, every: float = 5.0) -> dict[int, list[int]]:
    """Sample each worker's memory until ``seconds`` pass; the samples after ``warmup``."""
    samples: dict[int, list[int]] = defaultdict(list)
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds:
        if elapsed >= warmup:
            for pid in workers_of(master):
                if (kib := rss_kib(pid)) is not None:
                    samples[pid].append(kib)
        time.sleep(min(every, max(seconds - elapsed, 0.1)))
    return samples


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(results: list, memory: dict[int, list[int]], seconds: float) -> bool:
    """Print the tables; True if the targets hold."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    samples: list[str] = []
    for got_latencies, got_errors, got_samples in results:
        for kind, values in got_latencies.items():
            latencies[kind] += values
        errors.update(got_errors)
        samples += got_samples
    total = sum(len(v) for v in latencies.values())
    print(f"\n{total:,} requests in {seconds / 60:.1f} min ({total / seconds:.0f}/s), "
          f"{sum(errors.values())} errors")
    print(f"{'kind':<22} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for kind in sorted(latencies):
        values = latencies[kind]
        print(f"{kind:<22} {len(values):>9,} {errors[kind]:>7} {statistics.median(values):>8.1f} "
              f"{percentile(values, 0.99):>8.1f}")
    for sample in samples[:10]:
        print(f"  error: {sample}")
    print(f"\n{'worker':<8} {'after warm-up MiB':>18} {'peak MiB':>9} {'end MiB':>8} {'growth':>7}")
    worst = 0.0
    for pid, kib in sorted(memory.items()):
        growth = (kib[-1] - kib[0]) / kib[0]
        worst = max(worst, growth)
        print(f"{pid:<8} {kib[0] / 1024:>18.1f} {max(kib) / 1024:>9.1f} {kib[-1] / 1024:>8.1f} {growth:>7.1%}")
    if len(memory) != len({pid for pid in memory if len(memory[pid]) > 1}):
        print("note: a worker appeared or vanished during the run (restarted?)")
    ok = not errors and bool(memory) and worst < GROWTH_LIMIT
    print(f"\nverdict: {'PASS' if ok else 'FAIL'} (targets: 0 errors, worker memory growth under "
          f"{GROWTH_LIMIT:.0%}; worst growth {worst:.1%})")
    return ok


def main() -> None:
    """Generate, serve, load with the mix while watching memory, print the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=250_000)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    seconds = args.minutes * 60

    with tempfile.TemporaryDirectory() as folder, database(args.engine, folder) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(url, folder), "SECRET_KEY": "bench"})
        took = load(app, args.meetings)
        print(f"{args.meetings:,} meetings ({args.engine}) loaded in {took:.1f} s; {args.workers} workers, "
              f"{args.connections} connections, {args.minutes:g} min; load average {os.getloadavg()[0]:.1f}")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "REDIS_URL"))}
        env |= {"DATABASE_URL": url, "SECRET_KEY": "bench", "PYTHONPATH": os.getcwd(),
                "GUNICORN_ACCESS_LOG": str(Path(folder) / "access.log"), "GUNICORN_MAX_REQUESTS": "0"}
        with (Path(folder) / "server.log").open("wb") as log:
            server = subprocess.Popen(
                [*finder_command(), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            feed, etag = feed_of(base, 30)
            found = json.loads(get(f"{base}/api/v1/meetings?{NEW_YORK}&radius_km=100&limit=200")[2])
            mix = request_mix(feed, etag, [m["id"] for m in found["meetings"]], random.Random(7))
            out: multiprocessing.Queue = multiprocessing.Queue()
            clients = [multiprocessing.Process(target=client, args=(base, mix, seconds, seed, out))
                       for seed in range(args.connections)]
            for process in clients:
                process.start()
            memory = watch_memory(server.pid, seconds, warmup=seconds / 10)
            results = [out.get() for _ in clients]
            for process in clients:
                process.join()
            ok = report(results, memory, seconds)
        finally:
            stop(server)
            server_log = (Path(folder) / "server.log").read_text(errors="replace")
            if "Traceback" in server_log:
                print("server log has tracebacks:\n" + server_log[-3000:])
                ok = False
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main()
