"""Too many submissions from one client are refused with 429, in memory or shared through Redis."""
from __future__ import annotations

import secrets

import pytest

from finder import create_app
from finder.extensions import db
from tests.conftest import drop_everything
from tests.submitting import NEW_MEETING, post_form

REDIS_URL = "redis://127.0.0.1:6379/0"
API_NEW = {**NEW_MEETING, "kind": "new"}


def test_sixth_submission_in_an_hour_is_refused_with_retry_after(client):
    for _ in range(3):
        assert client.post("/api/v1/submissions", json=API_NEW).status_code == 201
    for _ in range(2):  # the form and the API share one budget
        assert post_form(client, "/submissions/new", NEW_MEETING).status_code == 303
    refused = client.post("/api/v1/submissions", json=API_NEW)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.get_json()["error"] == "rate_limited"
    page = post_form(client, "/submissions/new", NEW_MEETING)
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert "Too many submissions" in page.get_data(as_text=True)
    assert client.get("/submissions/new").status_code == 200  # reading the form is never limited


def test_rejected_input_does_not_use_up_the_budget(client):
    for _ in range(8):
        assert client.post("/api/v1/submissions", json={**API_NEW, "time": "99"}).status_code == 400
    assert client.post("/api/v1/submissions", json=API_NEW).status_code == 201


def test_clients_are_counted_apart(client):
    for _ in range(5):
        client.post("/api/v1/submissions", json=API_NEW)
    assert client.post("/api/v1/submissions", json=API_NEW).status_code == 429
    other = client.post("/api/v1/submissions", json=API_NEW,
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


def redis_app(tmp_path, prefix: str):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/redis-test.sqlite3",
    })
    with app.app_context():
        db.create_all()
    return app


def test_counts_are_shared_through_redis_by_every_process(tmp_path, redis_client):
    prefix = "finder-test-" + secrets.token_hex(4)
    first = redis_app(tmp_path, prefix)
    try:
        for _ in range(3):
            assert first.test_client().post("/api/v1/submissions", json=API_NEW).status_code == 201
        keys = redis_client.keys(f"*{prefix}*")
        assert keys, "the count lives in Redis, not in the process"
        assert not any(b"127.0.0.1" in key for key in keys)  # keyed by hash, not address
        # A second app (another worker) sees the same count.
        second = redis_app(tmp_path, prefix)
        client = second.test_client()
        for _ in range(2):
            assert client.post("/api/v1/submissions", json=API_NEW).status_code == 201
        assert client.post("/api/v1/submissions", json=API_NEW).status_code == 429
    finally:
        for key in redis_client.keys(f"*{prefix}*"):
            redis_client.delete(key)
        with first.app_context():
            drop_everything()
