"""Session cookies: signed with a serializer made once per set of keys, never with an old one."""
from __future__ import annotations

import pytest
from itsdangerous import BadSignature

from finder.web.sessions import SessionInterface


def test_the_serializer_follows_the_keys(app) -> None:
    interface = app.session_interface
    assert isinstance(interface, SessionInterface)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    token = first.dumps({"lang": "es"})
    old_key, app.secret_key = app.secret_key, "a new key for this test"
    second = interface.get_signing_serializer(app)
    with pytest.raises(BadSignature):
        second.loads(token)
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert interface.get_signing_serializer(app).loads(token) == {"lang": "es"}


def test_a_session_still_round_trips(app, client) -> None:
    @app.get("/test-session/<value>")
    def remember(value: str) -> str:
        from flask import session

        previous = session.get("value", "")
        session["value"] = value
        return previous

    assert client.get("/test-session/one").text == ""
    assert client.get("/test-session/two").text == "one"
