"""The session's connection, looked up once per transaction, is never used past the transaction's
end, and a failed request leaves no transaction open (finder/extensions.py)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, PendingRollbackError

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Source


def in_transaction(app) -> bool:
    """Whether the pooled connection the next request would get is inside a transaction."""
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            driver = raw.driver_connection
            if db.engine.dialect.name == "sqlite":
                return driver.in_transaction
            return driver.info.transaction_status != 0  # psycopg's IDLE
        finally:
            raw.close()


def test_one_connection_per_transaction_then_a_new_one(app_ctx):
    first = db.session.connection()
    assert db.session.connection() is first
    db.session.commit()
    assert first.closed
    second = db.session.connection()
    assert second is not first and not second.closed
    db.session.rollback()
    assert second.closed and not db.session.connection().closed


def test_after_a_failed_flush_the_session_still_refuses_until_rolled_back(app_ctx):
    db.session.add(Source(name="one", url="https://a.example/x.json", format="meeting-guide",
                          fellowship=Fellowship.AA))
    db.session.commit()
    db.session.connection()
    db.session.add(Source(name="one", url="https://a.example/x.json", format="meeting-guide",
                          fellowship=Fellowship.AA))
    with pytest.raises(IntegrityError):
        db.session.flush()
    with pytest.raises(PendingRollbackError):
        db.session.connection()
    db.session.rollback()
    assert db.session.connection().execute(sa.select(sa.func.count()).select_from(
        Source.__table__)).scalar() == 1


def test_a_failed_request_leaves_no_transaction_open(app):
    def fails_after_a_write() -> str:
        db.session.connection().execute(sa.select(Source.id)).all()  # the read's connection
        db.session.execute(sa.update(Source).values(name="changed"))  # and a write on it
        raise RuntimeError("the view failed")

    app.add_url_rule("/_fails", "fails", fails_after_a_write)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with app.app_context():
        db.session.add(Source(name="kept", url="https://a.example/y.json", format="meeting-guide",
                              fellowship=Fellowship.AA))
        db.session.commit()
    assert app.test_client().get("/_fails").status_code == 500
    assert not in_transaction(app)
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
        assert db.session.scalars(sa.select(Source.name)).all() == ["kept"]
