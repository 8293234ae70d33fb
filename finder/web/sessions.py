"""Flask's signed-cookie sessions, with the signing serializer made once per set of keys."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class SessionInterface(SecureCookieSessionInterface):
    """Flask's own session cookies, signed and read as Flask does.

    Flask builds the signing serializer when it opens a session and again when it saves one,
    on every request, though it depends on the keys alone (about 15 us a search request): it
    is made once for the current ``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``.
    """

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """The serializer Flask would make for ``app``'s keys."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._made:
            self._made = {keys: super().get_signing_serializer(app)}
        return self._made[keys]


def init_app(app: Flask) -> None:
    """Sign session cookies with a serializer made once per set of keys."""
    app.session_interface = SessionInterface()
