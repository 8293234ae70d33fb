"""The pages' own scripts run under their Content-Security-Policy (no bypass in this context)."""
from __future__ import annotations

from tests.browser.conftest import PHONE


def test_scripts_work_under_the_policy(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, timezone_id="Europe/Berlin", base_url=live_server,
        geolocation={"latitude": 40.8075, "longitude": -73.9626}, permissions=["geolocation"],
    )
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_role("button", name="Use my location").click()  # hidden unless the script ran
    page.wait_for_url("**lat=*")
    assert page.locator("input[name=tz]").input_value() == "Europe/Berlin"
    assert any(cookie["name"] == "tz" and cookie["value"] == "Europe/Berlin" for cookie in context.cookies())
    assert refused == []
    context.close()
