"""The submissions JSON API (finder/submissions/api.py): created pending, errors per field."""
from __future__ import annotations

import re


def test_api_creates_a_submission(client, new_meeting, submissions):
    response = client.post("/api/v1/submissions", json={**new_meeting, "kind": "new", "day": 2})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and re.fullmatch(r"[A-Z2-9]{10}", body["reference"])
    assert new_meeting["contact"] not in response.get_data(as_text=True)
    [row] = submissions()
    assert row.reference == body["reference"]


def test_api_reports_errors_per_field(client, new_meeting, submissions):
    data = {**new_meeting, "kind": "new", "day": 9, "timezone": "Mars/Base", "contact": ""}
    response = client.post("/api/v1/submissions", json=data)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert {"day", "timezone", "contact"} <= set(errors)
    assert client.post("/api/v1/submissions", data="name=x").status_code == 400
    assert client.post("/api/v1/submissions", json=[1]).status_code == 400
    assert client.post("/api/v1/submissions", json={"kind": "nope"}).get_json()["errors"]["kind"]
    change = client.post("/api/v1/submissions", json={"kind": "closure", "meeting_id": 404,
                                                      "contact": new_meeting["contact"]})
    assert change.status_code == 400 and "meeting_id" in change.get_json()["errors"]
    assert submissions() == []


def test_api_closure_of_a_listed_meeting(client, make_meeting, new_meeting, submissions):
    meeting_id = make_meeting().id
    response = client.post("/api/v1/submissions", json={
        "kind": "temporary_closure", "meeting_id": meeting_id, "contact": new_meeting["contact"]})
    assert response.status_code == 201
    assert submissions()[0].meeting_id == meeting_id
