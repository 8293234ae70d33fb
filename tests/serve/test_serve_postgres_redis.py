"""The production shape: ``finder serve`` with 2 workers on PostgreSQL and Redis, used over HTTP."""
from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest
import sqlalchemy as sa

from tests.liveserve import ROOT, finder_command, get, production_server, server_env
from tests.submitting import NEW_MEETING

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
SUBMISSION = {**NEW_MEETING, "kind": "new"}
ACCESS_LINE = re.compile(r'^<(\d+)> "(\w+) (\S+) HTTP/1\.\d" (\d{3}) ')


@pytest.fixture
def postgres_url():
    """A database URL whose connections use a schema of this test's own (dropped afterwards)."""
    raw = os.environ.get("TEST_POSTGRES_URL", POSTGRES_URL)
    engine = sa.create_engine(raw.replace("postgresql://", "postgresql+psycopg://", 1),
                              connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except Exception as exc:  # any failure to connect means "no PostgreSQL tier here"
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {raw} ({type(exc).__name__})")
    schema = "serve_" + secrets.token_hex(6)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if urlsplit(raw).query else "?"
    yield raw + separator + "options=" + quote(f"-csearch_path={schema}")
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def redis_prefix():
    """A Redis key prefix of this test's own; skips without Redis; its keys are deleted after."""
    redis = pytest.importorskip("redis", reason="the redis package is needed for the Redis tier")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__})")
    prefix = "serve-test-" + secrets.token_hex(6)
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def send(base_url: str, method: str, path: str, body: dict | None = None):
    """A JSON request: (status, parsed body or raw bytes, headers)."""
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base_url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), error.headers
    try:
        return status, json.loads(raw), headers
    except ValueError:
        return status, raw, headers


def submit_while_one_worker_is_busy(base_url: str, busy: bool) -> int:
    """POST a submission; with ``busy``, a half-sent request first holds whichever worker takes it.

    Connections are accepted in order, so the stalled one is taken first and the submission goes
    to the other worker: alternating spreads the submissions over both.
    """
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    stall = socket.create_connection((host, port), timeout=10) if busy else None
    try:
        if stall:
            stall.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n")  # headers never finished
        return send(base_url, "POST", "/api/v1/submissions", SUBMISSION)[0]
    finally:
        if stall:
            stall.close()


def submission_lines(log: str) -> list[tuple[str, str]]:
    """(worker pid, status) of each submission in the access log."""
    return [(m[1], m[4]) for m in map(ACCESS_LINE.match, log.splitlines())
            if m and m[2] == "POST" and m[3] == "/api/v1/submissions"]


def test_two_workers_on_postgresql_and_redis_search_plan_feed_and_share_the_limit(
        tmp_path, postgres_url, redis_prefix):
    env = server_env(DATABASE_URL=postgres_url, REDIS_URL=REDIS_URL, SECRET_KEY="ci-tier",
                     FLASK_RATELIMIT_KEY_PREFIX=redis_prefix,
                     FLASK_SUBMISSIONS_RATE_LIMIT="5 per hour")
    demo = subprocess.run([*finder_command(), "demo"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=180)
    assert demo.returncode == 0, demo.stderr

    with production_server(env, tmp_path / "server.log", workers=2) as server:
        base = server.base_url
        assert send(base, "GET", "/readyz")[1]["status"] == "ready"

        status, found, _ = send(base, "GET", "/api/v1/meetings?near=10027&radius_km=50")
        assert status == 200 and found["meetings"]
        meeting_id = found["meetings"][0]["id"]
        assert get(base + "/?near=10027")[0] == 200

        status, plan, _ = send(base, "POST", "/api/v1/schedules", {"name": "CI"})
        assert status == 201
        token = plan["token"]
        assert send(base, "POST", f"/api/v1/schedules/{token}/meetings",
                    {"meeting_id": meeting_id})[0] == 201
        status, headers, feed = get(base + f"/feeds/{token}.ics")
        assert status == 200 and headers["Content-Type"].startswith("text/calendar")
        assert feed.count(b"BEGIN:VEVENT") == 1
        assert get(base + f"/feeds/{token}.ics", headers={"If-None-Match": headers["ETag"]})[0] == 304

        answers: list[int] = []
        while len(answers) < 30:  # until both workers have taken submissions, 6 at least
            answers.append(submit_while_one_worker_is_busy(base, busy=len(answers) % 2 == 1))
            if len(answers) >= 6 and len(submission_lines(server.log_text())) == len(answers) \
                    and len({pid for pid, _ in submission_lines(server.log_text())}) == 2:
                break
        log = server.log_text()

    assert answers[:5] == [201] * 5, answers
    assert set(answers[5:]) == {429}, answers  # the 6th and every later one, on either worker
    by_worker = Counter(submission_lines(log))
    workers = {pid for pid, _ in by_worker}
    assert len(workers) == 2, by_worker  # both workers took submissions
    # Counted per process, a worker would accept 5 of its own; shared, one refuses with fewer.
    assert any(by_worker[pid, "429"] and by_worker[pid, "201"] < 5 for pid in workers), by_worker
    assert token not in log
