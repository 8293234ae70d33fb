"""/healthz answers while the process is up; /readyz only when the database is reachable and at head."""
from __future__ import annotations

import sqlalchemy as sa

from finder import create_app
from finder.extensions import db


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_when_migrations_are_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ready"
    assert response.get_json()["revision"] is not None


def test_readyz_refuses_while_migrations_are_behind(app, client):
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() | {"head": None} == {
        "status": "unavailable", "reason": "migrations behind", "revision": "0001", "head": None}
    assert response.get_json()["head"] != "0001"


def test_readyz_refuses_a_database_without_any_schema(app, client):
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE alembic_version"))
    body = client.get("/readyz").get_json()
    assert body["reason"] == "migrations behind" and body["revision"] is None


def test_readyz_refuses_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database unreachable"}
    assert app.test_client().get("/healthz").status_code == 200
