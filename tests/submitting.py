"""Row and form helpers used by the issue-14 tests (tests/*/test_keepers_*.py); the other tests use the fixtures in conftest.py."""
from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from finder.extensions import db
from finder.moderation.accounts import add_moderator

CONTACT = "secretary.private@example.org"
PASSWORD = "correct horse battery"

NEW_MEETING: dict[str, Any] = {
    "fellowship": "aa", "name": "Serenity Seekers", "day": "2", "time": "19:00",
    "end_time": "20:00", "timezone": "America/Chicago", "attendance_option": "hybrid",
    "location": "St. Mark's Hall", "address": "4953 W Addison St", "city": "Chicago",
    "state": "IL", "postal_code": "60641", "country": "USA",
    "conference_url": "https://zoom.us/j/123456789", "conference_url_notes": "Passcode 42",
    "types": ["O", "D"], "notes": "Use the side door.", "contact": CONTACT,
    "note": "I am the group secretary.",
}

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form at ``path`` (its session cookie stays in ``client``)."""
    page = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match[1]


def post_form(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any):
    """POST ``data`` to the form at ``path`` with a valid CSRF token."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)}, **kwargs)


def make_moderator(app, email: str = "mod@example.org") -> int:
    """A moderator account with ``PASSWORD``; returns its id."""
    with app.app_context():
        moderator = add_moderator(email, PASSWORD)
        db.session.commit()
        return moderator.id


def log_in(client: FlaskClient, email: str = "mod@example.org", password: str = PASSWORD):
    """Log ``client`` in as a moderator."""
    return post_form(client, "/moderate/login", {"email": email, "password": password})
