"""The five languages in a real browser: the browser's own language is used, the switcher moves
between them keeping the search, the pages stay accessible, and the script speaks the page's
language too (its texts come from the page)."""
from __future__ import annotations

from tests.browser.conftest import PHONE, assert_accessible

#: Each language's search heading and "your location is not available" message.
HEADINGS = {
    "fr": ("Trouver une réunion", "Votre position n’est pas disponible. Saisissez plutôt un lieu."),
    "pt": ("Encontre uma reunião", "Sua localização não está disponível. Digite um lugar."),
    "es": ("Encuentra una reunión", None),
    "en": ("Find a meeting", None),
}
NAMES = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français", "pt": "Português"}


def test_languages_in_a_browser(browser, live_server):
    # No geolocation permission: "use my location" fails, and says so in the page's language.
    context = browser.new_context(viewport=PHONE, locale="de-DE", timezone_id="Europe/Berlin",
                                  base_url=live_server, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/?near=10027")
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.get_by_role("heading", level=1).inner_text() == "Ein Meeting finden"
        assert page.locator("li.meeting").count() > 0
        assert_accessible(page)
        for code, (heading, refused) in HEADINGS.items():
            page.get_by_role("link", name=NAMES[code], exact=True).click()
            assert page.locator("html").get_attribute("lang") == code
            assert page.get_by_role("heading", level=1).inner_text() == heading
            assert "near=10027" in page.url  # the search is kept
            assert_accessible(page)
            if refused:
                page.locator("details.search-box > summary").click()
                page.locator("#use-location").click()
                status = page.locator("#location-status")
                status.filter(has_text=refused).wait_for(timeout=15000)
    finally:
        context.close()
