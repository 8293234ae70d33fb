"""The results map: Leaflet from static/, tiles from the configured server, every place on it."""
from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, assert_accessible, serve_demo


@pytest.fixture(scope="module")
def mapped_server(tmp_path_factory):
    # A "tile server" on the app itself (a static image), so the test needs no network.
    with serve_demo(tmp_path_factory.mktemp("map"),
                    TILE_URL="/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}",
                    TILE_ATTRIBUTION="Test tiles") as url:
        yield url


def test_the_map_shows_a_marker_for_each_place_in_the_list(browser, mapped_server):
    # No CSP bypass here: Leaflet and our script must work under the page's own policy.
    context = browser.new_context(viewport=PHONE, timezone_id="America/New_York", base_url=mapped_server)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/?near=10027&radius_km=5&view=map")  # the map is behind the list/map toggle (issue 13)
    page.wait_for_selector(".leaflet-marker-icon")
    # Every in-person row on the map once: a marker, or counted in a group of nearby ones.
    placed = page.locator("li.meeting[data-lat]").count()
    assert placed > 0
    counts = page.locator(".leaflet-marker-icon").evaluate_all(
        "els => els.map(e => e.classList.contains('map-group') ? +e.textContent : 1)")
    assert sum(counts) == placed
    assert page.locator(".leaflet-tile").count() > 0
    assert "Test tiles" in page.locator(".leaflet-control-attribution").inner_text()
    assert refused == []
    context.close()


def test_the_map_page_is_accessible(browser, mapped_server):
    context = browser.new_context(viewport=PHONE, base_url=mapped_server, bypass_csp=True)
    page = context.new_page()
    page.goto("/?near=10027&radius_km=5&tz=America/New_York&view=map")
    page.wait_for_selector(".leaflet-marker-icon")
    assert_accessible(page)
    context.close()


def test_without_tiles_the_page_is_a_plain_list(page):
    page.goto("/?near=10027&radius_km=5")
    assert page.locator("#map").count() == 0
    assert page.locator("li.meeting").count() > 0
