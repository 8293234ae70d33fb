"""The full listing and a meeting page in a real browser: they render, and axe finds nothing."""
from __future__ import annotations

from tests.browser.conftest import assert_accessible, screenshot


def test_listing_and_meeting_page(page):
    page.goto("/meetings")  # the listing ("/" is the search page)
    assert page.locator("li.meeting").count() > 10
    assert_accessible(page)
    page.goto("/meetings?page=2")  # Saturday: past the first 50 of the demo feeds' meetings
    page.get_by_role("link", name="Chelsea Hybrid Speakers", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Chelsea Hybrid Speakers"
    assert_accessible(page)
    screenshot(page, "smoke-meeting")
