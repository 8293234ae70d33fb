"""A seeker near Irvine on a phone, with the clock fixed: the soonest meeting first, in one glance."""
from __future__ import annotations

import pytest

from tests.browser.conftest import FRIDAY, PHONE, assert_wcag22, screenshot, search_irvine, starts


def test_monday_afternoon_the_soonest_is_first_and_above_the_fold(phone):
    search_irvine(phone)
    screenshot(phone, "seeker-1-monday-results")
    rows = phone.locator("li.meeting")
    first = rows.first
    assert "in-progress" in first.get_attribute("class")
    assert first.locator(".soon").inner_text() == "Started 5 min ago"
    assert first.locator("a.name").inner_text() == "Ladies Happy Hour"
    assert first.locator("a.join").count() == 1  # online and on now: one tap to join
    times = starts(phone)
    assert times == sorted(times)  # soonest first (in progress sorts before anything later)
    second = rows.nth(1)
    assert second.locator(".soon").inner_text() == "In 10 min"  # Happy Hour, Anaheim, 16:15
    assert "4:15 PM" in second.inner_text() and " mi" in second.inner_text()  # en-US units
    assert second.locator("a.join").count() == 0  # in person: nothing to join
    box = first.bounding_box()
    assert box is not None and box["y"] + 20 < PHONE["height"]  # results first on a phone
    assert phone.locator("details.search-box").get_attribute("open") is None
    assert "Near Irvine, CA" in phone.locator("details.search-box > summary").inner_text()
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.locator("a.join").count():  # "Join" only from a few minutes before to the end
            label = row.locator(".soon").inner_text()
            assert label.startswith(("Started", "Starting", "In ")), label


def test_friday_night_the_spanish_meeting_says_so(phone, irvine):
    irvine[1].config["FIXED_NOW"] = FRIDAY
    search_irvine(phone)
    screenshot(phone, "seeker-2-friday-night")
    first = phone.locator("li.meeting").first
    assert first.locator(".soon").inner_text() == "Started 20 min ago"  # online since 23:00
    in_person = phone.locator("li.meeting", has=phone.locator(".badge-in_person")).first
    assert "Spanish" in in_person.locator(".tag").all_inner_texts()
    times = starts(phone)
    assert times == sorted(times)


def test_a_meeting_held_every_day_appears_once(phone):
    search_irvine(phone, soon=False)
    screenshot(phone, "seeker-3-whole-week")
    rows = phone.locator("li.meeting")
    seen = set()
    for index in range(rows.count()):
        row = rows.nth(index)
        key = (row.locator("a.name").inner_text(), row.locator(".when time").inner_text(),
               " ".join(row.locator(".where").all_inner_texts()))
        assert key not in seen, key
        seen.add(key)
    assert phone.locator("li.meeting .also").count() > 0  # its other days are on the row
    times = starts(phone)
    assert times == sorted(times)
    page_two = phone.get_by_role("link", name="Page 2")
    page_two.click()
    assert phone.locator("p.found").inner_text().startswith("Page 2:")
    later = starts(phone)
    assert later[0] >= times[-1]  # the cursor carries on in time order


def test_keyboard_reaches_the_first_result_quickly(phone):
    phone.goto("/")
    phone.get_by_role("button", name="Search", exact=True).focus()
    for _press in range(5):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.matches('li.meeting a.name')"):
            break
    else:
        pytest.fail("the first result is more than 5 Tab presses from the search button")
    search_irvine(phone)
    phone.locator("details.search-box > summary").focus()
    for _press in range(5):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement === document.querySelector('li.meeting a.name')"):
            break
    else:
        pytest.fail("after a search the first result is more than 5 Tab presses from the form")


def test_one_document_load_and_leaflet_only_with_the_map(phone):
    loaded, documents = [], []
    phone.on("request", lambda request: loaded.append(request.url) if "leaflet" in request.url else None)
    phone.on("framenavigated", lambda frame: documents.append(frame.url))
    phone.goto("/?near=Irvine,+CA&starting_within=120")  # a first visit: no zone cookie yet
    phone.wait_for_timeout(500)
    assert len(documents) == 1, documents
    assert loaded == []
    phone.get_by_role("link", name="Map", exact=True).click()
    phone.wait_for_selector(".leaflet-marker-icon")
    assert any("leaflet.js" in url for url in loaded)
    marker = phone.locator(".leaflet-marker-icon").first
    assert marker.get_attribute("title")  # named by meeting and time
    assert phone.locator(".leaflet-marker-icon[tabindex]").count() == 0  # the map is one tab stop
    screenshot(phone, "seeker-4-map")
    assert_wcag22(phone)


def test_meeting_and_plan_pages_pass_wcag22(phone):
    search_irvine(phone)
    assert_wcag22(phone)
    phone.locator("li.meeting a.name").nth(1).click()
    assert "Los Angeles time" in phone.locator("#h-when + p .zone").inner_text()
    screenshot(phone, "seeker-5-meeting")
    assert_wcag22(phone)
    phone.get_by_role("button", name="Add to my plan").click()
    phone.get_by_role("link", name="See my plan").click()
    screenshot(phone, "seeker-6-plan")
    assert_wcag22(phone)


def test_a_typo_is_not_dressed_as_no_meetings(phone):
    phone.goto("/?near=Irvnie,+CA")
    assert "No place called" in phone.locator(".error").inner_text()
    assert phone.get_by_text("No meetings match").count() == 0
    screenshot(phone, "seeker-7-typo")
    suggestion = phone.get_by_role("link", name="Irvine, CA")
    suggestion.click()
    phone.wait_for_selector("li.meeting")
    assert phone.locator("details.search-box > summary").inner_text().startswith("Near Irvine, CA")


def test_an_unknown_meeting_is_a_page_in_the_readers_language(phone):
    response = phone.goto("/meetings/999999?lang=es")
    assert response.status == 404
    assert phone.get_by_role("heading", level=1).inner_text() == "No encontramos esta página"
    assert phone.get_by_role("link", name="Encuentra una reunión").count() >= 1
    assert_wcag22(phone)
    screenshot(phone, "seeker-8-not-found")
