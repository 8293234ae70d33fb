"""The API's OpenAPI document (finder/api): valid OpenAPI 3.1, assembled from every feature's part."""
from __future__ import annotations

from openapi_spec_validator import validate


def test_openapi_document_is_valid(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.get_json())  # raises on an invalid OpenAPI 3.1 document
    paths = response.get_json()["paths"]
    # Every feature's part is there, the schedules API included.
    assert {"/meetings", "/meetings/{id}", "/schedules", "/schedules/{token}",
            "/schedules/{token}/rotate", "/schedules/{token}/meetings",
            "/schedules/{token}/meetings/{meeting_id}", "/submissions",
            "/meeting-guide.json"} <= set(paths)
