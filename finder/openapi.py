"""The OpenAPI 3.1 document of ``/api/v1``; each API feature adds its paths and schemas here.

Another blueprint describes itself at import time::

    from finder import openapi
    openapi.add_schema("Plan", {...})
    openapi.add_path("/plans/{token}", {"get": {...}})
"""
from __future__ import annotations

import copy
from typing import Any

from finder.enums import Attendance, Fellowship

NULLABLE_STRING = {"type": ["string", "null"]}
CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}


def _param(name: str, description: str, schema: dict[str, Any], where: str = "query",
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


MEETING = {
    "type": "object",
    "required": ["id", "slug", "fellowship", "name", "day", "time", "end_time", "timezone",
                 "attendance_option", "types", "location", "formatted_address", "latitude",
                 "longitude", "distance_km", "conference_url", "conference_phone", "url",
                 "page_url", "next_start", "next_start_utc"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "fellowship": {"enum": [f.value for f in Fellowship]},
        "name": {"type": "string"},
        "day": {"type": "integer", "minimum": 0, "maximum": 6, "description": "0 = Sunday"},
        "time": {**CLOCK, "description": "local start in the meeting's own zone"},
        "end_time": {"anyOf": [CLOCK, {"type": "null"}]},
        "timezone": {"type": "string", "description": "IANA zone of the meeting"},
        "attendance_option": {"enum": [a.value for a in Attendance if a != Attendance.INACTIVE]},
        "types": {"type": "array", "items": {"type": "string"}},
        "location": NULLABLE_STRING,
        "formatted_address": NULLABLE_STRING,
        "latitude": {"type": ["number", "null"], "description": "null for online-only"},
        "longitude": {"type": ["number", "null"], "description": "null for online-only"},
        "distance_km": {"type": ["number", "null"], "minimum": 0,
                        "description": "great-circle distance from the origin; null for "
                                       "online-only meetings and when no origin was given"},
        "conference_url": NULLABLE_STRING,
        "conference_phone": NULLABLE_STRING,
        "url": {**NULLABLE_STRING, "description": "the meeting's page at its source"},
        "page_url": {"type": "string", "description": "the meeting's page on this site"},
        "next_start": {"type": "string", "format": "date-time",
                       "description": "next start in the seeker's zone (ISO 8601 with offset)"},
        "next_start_utc": {"type": "string", "format": "date-time"},
    },
}

SEARCH_PARAMETERS = [
    _param("lat", "origin latitude (with lon)", {"type": "number", "minimum": -90, "maximum": 90}),
    _param("lon", "origin longitude (with lat)",
           {"type": "number", "minimum": -180, "maximum": 180}),
    _param("near", "a place to geocode instead of lat/lon: ZIP code, 'City, State', "
                   "'City, Country'", {"type": "string", "maxLength": 200}),
    _param("radius_km", "search radius for in-person meetings (default 25)",
           {"type": "number", "exclusiveMinimum": 0, "maximum": 500}),
    _param("attendance", "comma list of in_person, hybrid, online; hybrid meetings match "
                         "in_person and online unless hybrid alone is asked for",
           {"type": "string"}),
    _param("fellowship", "comma list of fellowships", {"type": "string"}),
    _param("day", "day in the seeker's zone, 0 = Sunday", {"type": "integer", "minimum": 0,
                                                           "maximum": 6}),
    _param("from", "earliest start, HH:MM in the seeker's zone", CLOCK),
    _param("to", "latest start (exclusive), HH:MM; at or before from means the next day", CLOCK),
    _param("starting_within", "meetings starting within this many minutes from now",
           {"type": "integer", "minimum": 1, "maximum": 1440}),
    _param("types", "comma list of type codes; all must match", {"type": "string"}),
    _param("q", "words to find in name, location, address, notes or group",
           {"type": "string", "maxLength": 200}),
    _param("tz", "the seeker's IANA zone (default: the origin's zone, else UTC)",
           {"type": "string"}),
    _param("limit", "page size (default 50)", {"type": "integer", "minimum": 1, "maximum": 200}),
    _param("cursor", "the next value of the previous page", {"type": "string"}),
]

_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Meeting Finder API", "version": "1",
             "description": "Recovery meetings by place, day, time and attendance."},
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/meetings": {"get": {
            "operationId": "searchMeetings",
            "summary": "Search meetings",
            "description": "In-person and hybrid meetings within the radius come first, nearest "
                           "first; then online meetings (never limited by the radius), soonest "
                           "next start first.",
            "parameters": SEARCH_PARAMETERS,
            "responses": {
                "200": {"description": "a page of meetings", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/MeetingPage"}}}},
                "400": _error("a bad parameter, named in the body"),
                "503": _error("the configured online geocoder failed"),
            },
        }},
        "/meetings/{id}": {"get": {
            "operationId": "getMeeting",
            "summary": "One listed meeting",
            "parameters": [_param("id", "meeting id", {"type": "integer"}, "path", True),
                           _param("tz", "zone for next_start (default UTC)", {"type": "string"})],
            "responses": {
                "200": {"description": "the meeting", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Meeting"}}}},
                "400": _error("a bad parameter"),
                "404": _error("no listed meeting has this id"),
            },
        }},
    },
    "components": {"schemas": {
        "Meeting": MEETING,
        "MeetingPage": {
            "type": "object", "required": ["meetings", "next"], "additionalProperties": False,
            "properties": {
                "meetings": {"type": "array", "items": {"$ref": "#/components/schemas/Meeting"}},
                "next": {"type": ["string", "null"], "description": "cursor of the next page"},
            },
        },
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
        },
    }},
}


def add_path(path: str, item: dict[str, Any]) -> None:
    """Describe a path (relative to ``/api/v1``), merging methods with any already there."""
    _SPEC["paths"].setdefault(path, {}).update(item)


def add_schema(name: str, schema: dict[str, Any]) -> None:
    """Add a named schema under ``components/schemas``."""
    _SPEC["components"]["schemas"][name] = schema


def document() -> dict[str, Any]:
    """A copy of the whole document, safe to serialise or alter."""
    return copy.deepcopy(_SPEC)
