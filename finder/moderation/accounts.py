"""Moderator accounts: password checks that are slow to retry, and ``finder moderators``."""
from __future__ import annotations

import functools
import sys
from datetime import datetime, timedelta

import click
from flask.cli import AppGroup
from werkzeug.security import check_password_hash, generate_password_hash

from finder.extensions import db
from finder.models import utcnow
from finder.schema import needs_schema
from finder.submissions.models import Moderator

FREE_ATTEMPTS = 3  # wrong passwords allowed before each further one locks the account
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
MIN_PASSWORD = 10


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the email is unknown, so an unknown account costs the same work.

    Made at the first login, not at import (a hash is slow on purpose: every command paid it).
    """
    return generate_password_hash("not-a-password-" + "x" * 16)


def __getattr__(name: str) -> str:
    if name == "_DUMMY_HASH":
        return _dummy_hash()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively, without surrounding space."""
    return email.strip().lower()


def find(email: str) -> Moderator | None:
    """The moderator with ``email``, if any."""
    return db.session.execute(
        db.select(Moderator).where(Moderator.email == normalise_email(email))
    ).scalar_one_or_none()


def authenticate(email: str, password: str, now: datetime | None = None) -> Moderator | None:
    """The moderator if the password is right and the account not locked; the caller commits.

    Every call hashes once, whether the account exists, is locked or not, so timing tells
    nothing. Each wrong password past the free ones locks the account for twice as long.
    """
    now = now or utcnow()
    moderator = find(email)
    correct = check_password_hash(moderator.password_hash if moderator else _dummy_hash(), password)
    if moderator is None:
        return None
    if moderator.locked_until is not None and moderator.locked_until > now:
        return None
    if correct:
        moderator.failed_attempts, moderator.locked_until = 0, None
        moderator.last_login_at = now
        return moderator
    moderator.failed_attempts += 1
    over = moderator.failed_attempts - FREE_ATTEMPTS
    if over > 0:
        moderator.locked_until = now + min(FIRST_LOCK * 2 ** (over - 1), LONGEST_LOCK)
    return None


def add_moderator(email: str, password: str) -> Moderator:
    """A new moderator with a salted password hash; the caller commits."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 255:
        raise ValueError(f"{email!r} is not an email address")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    if find(email) is not None:
        raise ValueError(f"{email} is already a moderator")
    moderator = Moderator(email=email, password_hash=generate_password_hash(password))
    db.session.add(moderator)
    return moderator


moderators_cli = AppGroup("moderators", help="Manage moderator accounts.")


@moderators_cli.command("add")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@needs_schema
def add_command(email: str, password_stdin: bool) -> None:
    """Create a moderator account (the password is asked twice, or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        add_moderator(email, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Moderator {normalise_email(email)} added.")


@moderators_cli.command("unlock")
@click.argument("email")
@needs_schema
def unlock_command(email: str) -> None:
    """Clear an account's failed attempts and lock."""
    moderator = find(email)
    if moderator is None:
        raise click.ClickException(f"no moderator {normalise_email(email)}")
    moderator.failed_attempts, moderator.locked_until = 0, None
    db.session.commit()
    click.echo(f"Moderator {moderator.email} unlocked.")


@moderators_cli.command("list")
@needs_schema
def list_command() -> None:
    """List moderator accounts and any lock."""
    for moderator in db.session.execute(db.select(Moderator).order_by(Moderator.email)).scalars():
        lock = f" (locked until {moderator.locked_until:%Y-%m-%d %H:%M} UTC)" if (
            moderator.locked_until and moderator.locked_until > utcnow()) else ""
        click.echo(moderator.email + lock)
