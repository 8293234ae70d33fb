"""Fixtures of the submission tests: what was stored."""
from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from finder.submissions.models import Submission


@pytest.fixture
def submissions(db_session) -> Callable[[], list[Submission]]:
    """``submissions()``: every stored submission, oldest first."""
    return lambda: db_session.scalars(sa.select(Submission).order_by(Submission.id)).all()
