"""The submission limit holds when many requests arrive at once, and behind a trusted proxy."""
from __future__ import annotations

import threading
from typing import Any

from finder.extensions import db
from finder.submissions.models import Submission

NEW = {
    "kind": "new", "fellowship": "aa", "name": "Serenity Seekers", "day": "2", "time": "19:00",
    "end_time": "20:00", "timezone": "America/Chicago", "attendance_option": "in_person",
    "location": "St. Mark's Hall", "address": "4953 W Addison St", "city": "Chicago",
    "state": "IL", "postal_code": "60641", "country": "USA", "contact": "secretary@example.org",
}


def post_all_at_once(app: Any, count: int, **environ: str) -> list[int]:
    """``count`` submissions from threads released together; their status codes."""
    start, codes = threading.Barrier(count), []
    lock = threading.Lock()

    def submit() -> None:
        client = app.test_client()
        start.wait()
        code = client.post("/api/v1/submissions", json=NEW, environ_base=dict(environ)).status_code
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=submit) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return codes


def test_thirty_at_once_store_exactly_the_limit(app):
    codes = post_all_at_once(app, 30)
    assert sorted(set(codes)) == [201, 429]
    assert codes.count(201) == 5
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Submission)) == 5


def test_behind_a_trusted_proxy_clients_are_counted_apart(app):
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)  # as PROXY_FIX_HOPS=1 sets it up
    client = app.test_client()
    for _ in range(5):
        assert client.post("/api/v1/submissions", json=NEW,
                           headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 201
    assert client.post("/api/v1/submissions", json=NEW,
                       headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    assert client.post("/api/v1/submissions", json=NEW,
                       headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 201
