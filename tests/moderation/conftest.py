"""Fixtures of the moderation tests: a moderator account, logging in, and submissions to decide."""
from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from finder.extensions import db
from finder.models import Meeting
from finder.moderation.accounts import add_moderator
from finder.moderation.actions import record_of
from finder.submissions.models import Submission
from finder.submissions.service import local_source


@pytest.fixture
def moderator(app) -> SimpleNamespace:
    """A moderator account (not logged in): its ``id``, ``email`` and ``password``."""
    account = SimpleNamespace(email="mod@example.org", password="correct horse battery")
    with app.app_context():
        row = add_moderator(account.email, account.password)
        db.session.commit()
        account.id = row.id
    return account


@pytest.fixture
def log_in(post_form, moderator) -> Callable[..., Any]:
    """``log_in(email=..., password=...)``: the login form sent (the moderator's own by default)."""
    def send(email: str = moderator.email, password: str = moderator.password):
        return post_form("/moderate/login", {"email": email, "password": password})

    return send


@pytest.fixture
def logged_in(moderator, log_in) -> SimpleNamespace:
    """The moderator, logged in with ``client``."""
    assert log_in().status_code == 303
    return moderator


@pytest.fixture
def submit_new(client, new_meeting) -> Callable[..., str]:
    """``submit_new(**changes)``: a new-meeting submission through the API; its reference."""
    def submit(**changes: Any) -> str:
        response = client.post("/api/v1/submissions", json={**new_meeting, "kind": "new", **changes})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["reference"]

    return submit


@pytest.fixture
def submission_id(db_session) -> Callable[[str], int]:
    """``submission_id(reference)``: the id of the submission with that reference."""
    def find(reference: str) -> int:
        return db_session.execute(
            sa.select(Submission.id).where(Submission.reference == reference)).scalar_one()

    return find


@pytest.fixture
def local_meeting(app, make_meeting, db_session) -> Callable[..., int]:
    """``local_meeting(**fields)``: a meeting of this app's own (local) source, hashed as the loader
    would; its id."""
    def make(**fields: Any) -> int:
        with app.app_context():
            source_id = local_source().id
            db.session.commit()
        meeting_id = make_meeting(source_id=source_id, slug="local-one", source_key="local-one",
                                  **fields).id
        row = db_session.get(Meeting, meeting_id)
        row.content_hash = record_of(row).content_hash()
        db_session.commit()
        return meeting_id

    return make
