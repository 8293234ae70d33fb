"""Requests checked at the edge: ids in range, text a database can hold, JSON errors under /api/.

Whatever passes here can be stored on SQLite and PostgreSQL alike, so a hostile request gets a
clear 400 or 404 instead of a 500 from deep inside a view.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request, Response, jsonify, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

#: Row ids fit PostgreSQL's ``integer``; a larger one in a URL is simply not found.
MAX_ID = 2**31 - 1
# NUL cannot be stored by PostgreSQL; a lone surrogate cannot be encoded as UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def row_id(value: object) -> int | None:
    """A row id from a form or JSON value: ASCII digits (or an int) from 1 to :data:`MAX_ID`.

    ``str.isdigit`` alone would let "²" through to ``int()``, and a long number past the
    database's integer.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = int(value) if value.isascii() and value.isdigit() and len(value) <= 10 else None
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """``<int:…>`` for row ids: digits only, and at most :data:`MAX_ID` (else the URL is a 404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class Parameters(ImmutableMultiDict[str, Any]):
    """werkzeug's query, form and cookie values, whose ``get`` of a name not given answers the
    default without raising and catching a ``BadRequestKeyError`` (about 2 us each): a page asks
    for some twenty names it was not given (the form's fields, ``lang``, ``units``, ``tz``)."""

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # noqa: A002 (werkzeug's name)
        """The first value of ``key`` (converted by ``type``), else ``default``."""
        if key not in self:
            return default
        return super().get(key, default, type)


class EdgeRequest(Request):
    """Flask's request, reading its query, form and cookies into :class:`Parameters`."""

    parameter_storage_class = Parameters
    dict_storage_class = Parameters


class UnstorableText(BadRequest):
    """A request value holding a NUL or a lone surrogate; ``field`` names where."""

    def __init__(self, field: str) -> None:
        field = field if len(field) <= 80 else field[:79] + "…"  # a key the client chose
        super().__init__(f"{field} holds a character that cannot be stored (NUL or a lone surrogate).")
        self.field = field


def unstorable_field(value: Any, name: str = "body") -> str | None:
    """The name of the first string in ``value`` (nested lists and objects too) that cannot be stored."""
    if isinstance(value, str):
        return name if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((f"{name}[{index}]", item) for index, item in enumerate(value))
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _UNSTORABLE.search(key):
            return name
        found = unstorable_field(item, key if isinstance(value, dict) else str(key))
        if found:
            return found
    return None


def refuse_unstorable() -> None:
    """Before every request: refuse NULs and lone surrogates in the path, query, form or JSON body."""
    if _UNSTORABLE.search(request.path):
        raise UnstorableText("path")
    # A request without a Content-Type has no form or JSON body to read (werkzeug parses none):
    # a GET skips building the empty form and its stream.
    body = request.want_form_data_parsed
    for source in (request.args, request.form) if body else (request.args,):
        for key, value in source.items(multi=True):
            if _UNSTORABLE.search(key) or _UNSTORABLE.search(value):
                raise UnstorableText(key)
    if body and request.is_json:
        field = unstorable_field(request.get_json(silent=True))
        if field:
            raise UnstorableText(field)


def api_errors_as_json(error: HTTPException) -> HTTPException | tuple[Response, int]:
    """Errors under ``/api/`` answer JSON (unknown paths and methods too); pages keep their own."""
    if not request.path.startswith("/api/"):
        return error
    body = {"error": "not found" if error.code == 404 else error.description or error.name}
    if isinstance(error, UnstorableText):
        body["parameter"] = error.field
    response = jsonify(body)
    for header in ("Allow", "Retry-After"):
        if error.get_response().headers.get(header):
            response.headers[header] = error.get_response().headers[header]
    return response, error.code or 500


def init_app(app: Flask) -> None:
    """Bound row ids in every route, read requests as :class:`EdgeRequest`, trust the configured
    proxies, and install the request checks and the API error shape.

    Must run before the blueprints are registered, so their ``<int:…>`` rules use the bound.
    """
    app.url_map.converters["int"] = IdConverter
    app.request_class = EdgeRequest
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops:  # trust exactly this many proxies' X-Forwarded-For/-Proto/-Host, no more
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.before_request(refuse_unstorable)
    app.register_error_handler(HTTPException, api_errors_as_json)
