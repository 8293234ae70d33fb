"""The OpenAPI 3.1 document of ``/api/v1``, assembled from the parts each API feature describes.

A feature's API module builds an :class:`ApiPart` (its blueprint, paths and schemas) and the app
factory hands every part to :func:`finder.api.register`, so the document is whole for each app
and nothing is described at import time.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint

NULLABLE_STRING = {"type": ["string", "null"]}
CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
MESSAGES = {"type": "object", "additionalProperties": {"type": "string"}}


def comma_list(choices: Iterable[str]) -> dict[str, Any]:
    """A string schema for a comma-separated list of ``choices``."""
    one = "(" + "|".join(re.escape(choice) for choice in choices) + ")"
    return {"type": "string", "pattern": f"^{one}(,{one})*$"}


def param(name: str, description: str, schema: dict[str, Any], where: str = "query",
          required: bool = False) -> dict[str, Any]:
    """An OpenAPI parameter object."""
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema}


def error(description: str) -> dict[str, Any]:
    """A response whose body is the shared ``Error`` schema."""
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def or_refused(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or the shared ``Error`` the edge answers before any view runs (a NUL, a lone
    surrogate, a body that is not JSON: finder/web/edge.py)."""
    return {"anyOf": [schema, {"$ref": "#/components/schemas/Error"}]}


def json_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A response (or request body) with a JSON schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def ref(name: str) -> dict[str, str]:
    """A reference to a schema under ``components/schemas``."""
    return {"$ref": f"#/components/schemas/{name}"}


@dataclass(frozen=True)
class ApiPart:
    """One feature's share of the API: its blueprint (mounted under /api/v1) and its description."""

    blueprint: Blueprint
    paths: dict[str, Any]
    schemas: dict[str, Any] = field(default_factory=dict)


def assemble(parts: list[ApiPart]) -> dict[str, Any]:
    """The whole document: the shared frame plus every part's paths and schemas."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Meeting Finder API", "version": "1",
                 "description": "Recovery meetings by place, day, time and attendance; "
                                "private weekly plans with calendar feeds; listing corrections."},
        "servers": [{"url": "/api/v1"}],
        "paths": {},
        "components": {"schemas": {"Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
        }}},
    }
    for part in parts:
        for path, item in part.paths.items():
            document["paths"].setdefault(path, {}).update(item)
        document["components"]["schemas"].update(part.schemas)
    return document
