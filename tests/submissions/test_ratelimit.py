"""Too many submissions from one client are refused with 429, in memory or shared through Redis."""
from __future__ import annotations

import secrets

import pytest

from finder.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def api_new(new_meeting) -> dict:
    """A new-meeting submission as the JSON API takes it."""
    return {**new_meeting, "kind": "new"}


def test_sixth_submission_in_an_hour_is_refused_with_retry_after(client, post_form, new_meeting, api_new):
    for _ in range(3):
        assert client.post("/api/v1/submissions", json=api_new).status_code == 201
    for _ in range(2):  # the form and the API share one budget
        assert post_form("/submissions/new", new_meeting).status_code == 303
    refused = client.post("/api/v1/submissions", json=api_new)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.get_json()["error"] == "rate_limited"
    page = post_form("/submissions/new", new_meeting)
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert "Too many submissions" in page.get_data(as_text=True)
    assert client.get("/submissions/new").status_code == 200  # reading the form is never limited


def test_rejected_input_does_not_use_up_the_budget(client, api_new):
    for _ in range(8):
        assert client.post("/api/v1/submissions", json={**api_new, "time": "99"}).status_code == 400
    assert client.post("/api/v1/submissions", json=api_new).status_code == 201


def test_clients_are_counted_apart(client, api_new):
    for _ in range(5):
        client.post("/api/v1/submissions", json=api_new)
    assert client.post("/api/v1/submissions", json=api_new).status_code == 429
    other = client.post("/api/v1/submissions", json=api_new,
                        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 201


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__})")
    yield connection
    connection.close()


@pytest.fixture
def redis_prefix(redis_client):
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    prefix = "finder-test-" + secrets.token_hex(4)
    yield prefix
    for key in redis_client.keys(f"*{prefix}*"):
        redis_client.delete(key)


@pytest.fixture
def redis_app(make_app, tmp_path, redis_prefix):
    """``redis_app()``: one more app process (a worker) counting in Redis, all on one SQLite database."""
    def make():
        app = make_app({
            "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/redis-test.sqlite3",
        })
        with app.app_context():
            db.create_all()
        return app

    return make


def test_counts_are_shared_through_redis_by_every_process(redis_client, redis_prefix, redis_app, api_new):
    first = redis_app()
    for _ in range(3):
        assert first.test_client().post("/api/v1/submissions", json=api_new).status_code == 201
    keys = redis_client.keys(f"*{redis_prefix}*")
    assert keys, "the count lives in Redis, not in the process"
    assert not any(b"127.0.0.1" in key for key in keys)  # keyed by hash, not address
    # A second app (another worker) sees the same count.
    client = redis_app().test_client()
    for _ in range(2):
        assert client.post("/api/v1/submissions", json=api_new).status_code == 201
    assert client.post("/api/v1/submissions", json=api_new).status_code == 429


def test_reads_skip_the_limiters_checks(app, monkeypatch):
    from flask import request
    from flask_limiter import Limiter

    checked: list[str] = []
    monkeypatch.setattr(Limiter, "_check_request_limit",
                        lambda self, *args, **kwargs: checked.append(request.method))
    client = app.test_client()
    client.get("/healthz")
    client.head("/api/v1/meetings")
    client.options("/api/v1/submissions")
    assert checked == []
    client.post("/api/v1/submissions", json={})
    assert "POST" in checked


def test_rate_limit_headers_still_go_on_writes(client, api_new, monkeypatch):
    # Flask-Limiter's after-request hook runs for writes only (finder/submissions/ratelimit.py).
    from finder.submissions.ratelimit import limiter

    monkeypatch.setattr(limiter, "_headers_enabled", True)
    posted = client.post("/api/v1/submissions", json=api_new)
    assert posted.status_code == 201
    assert posted.headers["X-RateLimit-Limit"] == "5"
    assert "X-RateLimit-Limit" not in client.get("/healthz").headers
