"""A schedule's manage page in a real browser: subscribe links, overlaps, and no axe violations."""
from __future__ import annotations

import json
import urllib.request

from tests.browser.conftest import assert_accessible, screenshot


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def test_manage_page(page, live_server):
    created = _post(f"{live_server}/api/v1/schedules", {"name": "My week"})
    token = created["token"]
    for meeting_id in (1, 2, 3):
        _post(f"{live_server}/api/v1/schedules/{token}/meetings", {"meeting_id": meeting_id})
    page.goto(f"/schedules/{token}")
    assert page.get_by_role("heading", level=1).inner_text() == "My week"
    subscribe = page.get_by_role("link", name="Subscribe (Apple, Outlook, phone calendars)")
    assert subscribe.get_attribute("href") == created["webcal_url"]
    assert page.locator("#feed-url").input_value() == created["feed_url"]
    assert page.locator("li.meeting").count() == 3
    assert_accessible(page)
    screenshot(page, "schedule-manage")
