"""The submission form and the moderator login in a real browser: errors tied to fields, no axe findings."""
from __future__ import annotations

from tests.browser.conftest import assert_accessible, screenshot


def test_new_meeting_form_errors_are_announced_beside_fields(page):
    page.goto("/submissions/new")
    assert_accessible(page)
    page.get_by_role("textbox", name="Name", exact=True).fill("John Smith Group")
    page.locator("#time").fill("19:00")
    page.get_by_label("Online", exact=True).check()  # an online meeting has no address to place
    page.get_by_role("button", name="Send for review").click()
    assert page.get_by_role("alert").is_visible()
    zone = page.get_by_role("combobox", name="Time zone")
    assert zone.get_attribute("aria-invalid") == "true"
    assert "timezone-error" in zone.get_attribute("aria-describedby")
    assert page.get_by_label("Online", exact=True).is_checked()  # what was chosen is kept
    assert page.get_by_role("textbox", name="Name", exact=True).input_value() == "John Smith Group"
    assert_accessible(page)
    screenshot(page, "submission-errors")


def test_suggest_a_change_is_prefilled_and_receipt_follows(page):
    page.goto("/?q=Chelsea+Hybrid+Speakers")
    page.get_by_role("link", name="Chelsea Hybrid Speakers", exact=True).first.click()
    page.get_by_role("link", name="Suggest a change").click()
    assert page.get_by_role("textbox", name="Name", exact=True).input_value() == "Chelsea Hybrid Speakers"
    assert_accessible(page)
    page.get_by_label("It is temporarily closed").check()
    page.get_by_role("textbox", name="Your email or phone").fill("sec@example.org")
    page.get_by_role("button", name="Send for review").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Your suggestion ") and len(heading.rsplit(" ", 1)[1]) == 10
    assert "publishes no feedback address" in page.get_by_role("status").inner_text()
    assert "sec@example.org" not in page.content()
    assert_accessible(page)


def test_moderator_login_page(page):
    page.goto("/moderate")
    assert page.get_by_role("heading", level=1).inner_text() == "Moderator login"
    assert_accessible(page)


def test_how_often_is_chosen_in_words_without_script_and_said_back(page):
    page.goto("/submissions/new")
    page.get_by_role("textbox", name="Name", exact=True).fill("Business Meeting")
    page.get_by_role("combobox", name="Day").select_option(label="Monday")
    page.locator("#time").fill("19:00")
    page.get_by_label("Online", exact=True).check()
    page.get_by_role("textbox", name="Meeting link").fill("zoom.us/j/123456789")
    page.get_by_role("combobox", name="Time zone").select_option("America/Chicago")
    page.get_by_label("Monthly, on these weeks of the month:").check()
    page.get_by_label("1st").check()
    page.get_by_label("3rd").check()
    page.get_by_role("textbox", name="Your email or phone").fill("sec@example.org")
    assert_accessible(page)
    screenshot(page, "submission-how-often")
    page.get_by_role("button", name="Send for review").click()
    assert "First and third Monday of the month, 19:00" in page.locator("dd.when").inner_text()
