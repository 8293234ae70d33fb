"""The full listing and a meeting page in a real browser: they render, and axe finds nothing."""
from __future__ import annotations

from tests.browser.conftest import assert_accessible, screenshot


def test_listing_and_meeting_page(page):
    page.goto("/meetings")
    assert page.locator("li.meeting").count() > 10
    assert_accessible(page)
    first = page.locator("li.meeting a").first
    name = first.inner_text()
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert_accessible(page)
    screenshot(page, "smoke-meeting")
