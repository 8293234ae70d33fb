"""The seeker's pages at phone and desktop size over the Orange County cut, the clock fixed: the map's
targets apart, the meeting page's extras, the plan in the reader's clock, and WCAG 2.2 A/AA."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    DESKTOP,
    FRIDAY,
    MONDAY,
    PHONE,
    assert_wcag22,
    screenshot,
    search_irvine,
    seeker,
    starts,
)

SIZES = {"phone": PHONE, "desktop": DESKTOP}
MIN_TARGET = 24  # WCAG 2.2 AA, 2.5.8 Target Size (Minimum), in CSS pixels


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser, irvine):
    """``(size name, page)`` at phone and at desktop size."""
    with seeker(browser, irvine, SIZES[request.param]) as page:
        yield request.param, page


def targets(page) -> list[dict]:
    """The map's marker and group targets: box, name, and how many meetings each stands for."""
    return page.locator("#map .leaflet-marker-icon").evaluate_all("""els => els.map(e => {
        const r = e.getBoundingClientRect();
        return {x: r.x, y: r.y, w: r.width, h: r.height, name: e.getAttribute('title') || '',
                tab: e.hasAttribute('tabindex'), group: e.classList.contains('map-group'),
                count: e.classList.contains('map-group') ? +e.textContent : 1};
    })""")


def assert_apart(found: list[dict]) -> None:
    """Every target at least 24 x 24 px, named, not a tab stop, and no two overlapping."""
    for target in found:
        assert target["w"] >= MIN_TARGET and target["h"] >= MIN_TARGET, target
        assert target["name"] and not target["tab"], target
    for index, a in enumerate(found):
        for b in found[index + 1:]:
            apart = (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                     or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])
            assert apart, (a, b)


def test_map_targets_never_overlap(sized):
    size, page = sized
    page.goto("/?near=Irvine%2C+CA&view=map")
    page.wait_for_selector("#map .leaflet-marker-icon")
    placed = page.locator("li.meeting[data-lat]").count()
    found = targets(page)
    assert any(target["group"] for target in found)  # 81 meetings share one Tustin address
    assert sum(target["count"] for target in found) == placed  # every meeting on the map once
    assert_apart(found)
    page.locator("#map").scroll_into_view_if_needed()
    screenshot(page, f"pages-{size}-1-map", full_page=False)
    # Zoom in from the keyboard (the map is the one tab stop): the groups are made again.
    page.locator("#map").focus()
    page.keyboard.press("Equal")
    page.wait_for_timeout(600)
    again = targets(page)
    assert sum(target["count"] for target in again) == placed
    assert_apart(again)
    screenshot(page, f"pages-{size}-1-map-zoomed", full_page=False)
    assert_wcag22(page)


def test_a_group_opens_to_its_meetings_and_the_map_is_one_tab_stop(desktop):
    desktop.goto("/?near=Irvine%2C+CA&view=map")
    desktop.wait_for_selector("#map .leaflet-marker-icon")
    desktop.get_by_role("link", name="Map", exact=True).focus()
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.id") == "map"
    desktop.keyboard.press("Tab")  # past the map: the first result, no marker in between
    assert desktop.evaluate("document.activeElement.matches('li.meeting a.name')"), \
        desktop.evaluate("document.activeElement.outerHTML")
    # The biggest group (one Tustin address): clicking zooms in until it cannot part, then lists.
    for _click in range(20):
        if desktop.locator(".leaflet-popup .map-list").count():
            break
        groups = desktop.locator("#map .map-group")
        sizes = groups.evaluate_all("""els => els.map(e => {  // groups wholly inside the map only
            const r = e.getBoundingClientRect(), m = document.getElementById('map').getBoundingClientRect();
            return r.left >= m.left && r.right <= m.right && r.top >= m.top && r.bottom <= m.bottom
                ? +e.textContent : 0; })""")
        groups.nth(sizes.index(max(sizes))).click()
        desktop.wait_for_timeout(400)
    links = desktop.locator(".leaflet-popup .map-list a")
    assert links.count() >= 2
    assert re.search(r"\d:\d\d (AM|PM)", links.first.inner_text())  # named by meeting and time
    assert links.first.get_attribute("href").startswith("/meetings/")
    screenshot(desktop, "pages-desktop-1-map-group", full_page=False)


@pytest.mark.parametrize("clock", [MONDAY, FRIDAY])
def test_desktop_soonest_first_in_progress_marked(browser, irvine, clock):
    with seeker(browser, irvine, DESKTOP) as page:
        irvine[1].config["FIXED_NOW"] = clock
        search_irvine(page)
        first = page.locator("li.meeting").first
        assert "in-progress" in first.get_attribute("class")
        assert first.locator(".soon").inner_text().startswith("Started ")
        times = starts(page)
        assert times == sorted(times)
        assert first.bounding_box()["y"] + 20 < DESKTOP["height"]
        screenshot(page, f"pages-desktop-2-{'monday' if clock == MONDAY else 'friday'}")


def test_desktop_a_daily_meeting_appears_once(desktop):
    search_irvine(desktop, soon=False)
    rows = desktop.locator("li.meeting")
    keys = [(rows.nth(i).locator("a.name").inner_text(), rows.nth(i).locator(".when time").inner_text(),
             " ".join(rows.nth(i).locator(".where").all_inner_texts())) for i in range(rows.count())]
    assert len(keys) == len(set(keys))
    assert desktop.get_by_text("Every day").count() + desktop.locator(".also").count() > 0


def test_filters_offer_the_types_and_regions_in_use(desktop):
    desktop.goto("/?near=Irvine%2C+CA")
    desktop.locator("details.search-box > summary").click()
    desktop.get_by_text("More filters").click()
    regions = desktop.locator("#region option").all_inner_texts()
    assert regions[0] == "Any area" and "SANTA ANA" in regions and "TUSTIN" in regions
    desktop.get_by_label("Area").select_option("TUSTIN")
    desktop.get_by_label("Spanish", exact=True).check()  # a type in use here, not in a fixed list
    desktop.get_by_role("button", name="Search", exact=True).click()
    desktop.wait_for_selector("li.meeting")
    summary = desktop.locator("details.search-box > summary").inner_text()
    assert "TUSTIN" in summary and "Spanish" in summary
    assert all("Tustin" in where or "TUSTIN" in where.upper()
               for where in desktop.locator("li.meeting .where").all_inner_texts())
    screenshot(desktop, "pages-desktop-3-filtered")


def test_meeting_page_extras_and_the_plan(sized):
    size, page = sized
    page.goto("/?near=Irvine%2C+CA&starting_within=120")
    row = page.locator("li.meeting", has=page.locator(".badge-in_person")).first
    name = row.locator("a.name").inner_text()
    row.locator("a.name").click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.locator("#share-url").input_value() == re.sub(r"\?.*", "", page.url)  # no search in it
    assert page.locator("svg.map-preview image").count() >= 1  # a small map from the tiles, no Leaflet
    assert page.evaluate("typeof window.L") == "undefined"
    assert page.locator("ul.dates li").count() == 3
    assert "Los Angeles time" in page.locator("#h-when + p .zone").inner_text()
    assert page.locator("#h-related").count() == 1  # others meet at the same address
    screenshot(page, f"pages-{size}-4-meeting")
    assert_wcag22(page)
    page.get_by_role("button", name="Add to my plan").click()
    assert page.get_by_role("status").first.inner_text() == f"Added “{name}” to your plan."
    assert page.get_by_role("heading", level=1).inner_text() == name  # it stayed on the page
    assert page.get_by_text("This meeting is in your plan.").count() == 1
    screenshot(page, f"pages-{size}-4-meeting-added", full_page=False)
    page.get_by_role("link", name="Back to the results").click()
    assert page.locator("details.search-box > summary").inner_text().startswith("Near Irvine, CA")
    assert "next 2 hours" in page.locator("details.search-box > summary").inner_text()
    page.get_by_role("link", name="My plan").click()
    week = page.locator(".week").inner_text()
    assert name in week and re.search(r"\d{1,2}:\d\d (AM|PM)", week)  # the reader's 12-hour clock
    assert "local time" not in week and "America/" not in week
    screenshot(page, f"pages-{size}-5-plan")
    assert_wcag22(page)
