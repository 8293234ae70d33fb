"""A small HTTP load generator for bench.http when ``wrk`` is not installed.

Each connection is its own process (no GIL between them), sending one request after another
over ``http.client`` and recording latencies; a new connection when the server closes it (gunicorn's
sync workers close after every response, as they do for wrk).
"""
from __future__ import annotations

import http.client
import multiprocessing
import statistics
import time
from urllib.parse import urlsplit


def _worker(url: str, seconds: float, header: str | None, out: multiprocessing.Queue) -> None:
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    headers = dict([header.split(": ", 1)]) if header else {}
    latencies: list[float] = []
    connection = None
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        if connection is None:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status >= 400:
            raise SystemExit(f"{response.status} from {url}")
        latencies.append((time.perf_counter() - started) * 1000)
        if response.will_close:
            connection.close()
            connection = None
    out.put(latencies)


def python_load(url: str, seconds: float, connections: int,
                header: str | None = None) -> tuple[float, float, float]:
    """(req/s, p50 ms, p99 ms) over ``connections`` concurrent connections for ``seconds``."""
    out: multiprocessing.Queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_worker, args=(url, seconds, header, out))
               for _ in range(connections)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    latencies = [ms for _ in workers for ms in out.get()]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49], cuts[98]
