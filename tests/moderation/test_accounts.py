"""Moderator accounts (finder/moderation/accounts.py): the CLI, hashed passwords, lockout."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from finder.models import utcnow
from finder.moderation import accounts as moderators
from finder.submissions.models import Moderator

PASSWORD = "correct horse battery"


def test_cli_adds_a_moderator_with_a_hashed_password(runner, db_session):
    result = runner.invoke(args=["moderators", "add", "Sec@Example.org", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    row = db_session.execute(sa.select(Moderator)).scalar_one()
    assert row.email == "sec@example.org" and PASSWORD not in row.password_hash
    assert row.password_hash.startswith(("scrypt:", "pbkdf2:"))
    again = runner.invoke(args=["moderators", "add", "sec@example.org", "--password-stdin"],
                          input=PASSWORD + "\n")
    assert again.exit_code != 0 and "already" in again.output
    short = runner.invoke(args=["moderators", "add", "b@example.org", "--password-stdin"],
                          input="short\n")
    assert short.exit_code != 0 and "at least" in short.output


def test_cli_prompts_for_the_password_twice(runner, db_session):
    result = runner.invoke(args=["moderators", "add", "p@example.org"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "Repeat" in result.output
    assert "p@example.org" in runner.invoke(args=["moderators", "list"]).output
    row = db_session.scalar(sa.select(Moderator).where(Moderator.email == "p@example.org"))
    row.failed_attempts, row.locked_until = 9, utcnow() + timedelta(hours=1)
    db_session.commit()
    assert "locked until" in runner.invoke(args=["moderators", "list"]).output
    assert runner.invoke(args=["moderators", "unlock", "P@example.org"]).exit_code == 0
    unlocked = sa.select(Moderator.locked_until).where(Moderator.email == "p@example.org")
    assert db_session.scalar(unlocked) is None


def test_repeated_wrong_passwords_lock_the_account_with_growing_waits(moderator, app_ctx):
    now = utcnow()
    for _ in range(moderators.FREE_ATTEMPTS):
        assert moderators.authenticate(moderator.email, "nope", now) is None
    row = moderators.find(moderator.email)
    assert row.locked_until is None
    assert moderators.authenticate(moderator.email, "nope", now) is None
    first = row.locked_until - now
    # Locked: even the right password is refused until the lock ends.
    assert moderators.authenticate(moderator.email, moderator.password, now) is None
    later = now + first + timedelta(seconds=1)
    assert moderators.authenticate(moderator.email, "nope", later) is None
    assert row.locked_until - later == 2 * first  # each further failure doubles the wait
    after = row.locked_until + timedelta(seconds=1)
    assert moderators.authenticate(moderator.email, moderator.password, after) is row
    assert row.failed_attempts == 0 and row.locked_until is None


def test_unknown_accounts_cost_the_same_hashing(monkeypatch, moderator, app_ctx):
    calls = []
    real = moderators.check_password_hash
    monkeypatch.setattr(moderators, "check_password_hash",
                        lambda h, p: calls.append(h) or real(h, p))
    moderators.authenticate("nobody@example.org", "x")
    moderators.authenticate(moderator.email, "x")
    assert len(calls) == 2 and calls[0] == moderators._DUMMY_HASH
