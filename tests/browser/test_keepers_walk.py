"""Issue 14 in Chromium at phone size: a secretary adds a hybrid meeting, a moderator reviews it
(map, duplicate warning), approves and follows the link, the secretary sees "approved"; three
attendees report a meeting and a moderator clears it. axe WCAG 2.2 A/AA on the new pages."""
from __future__ import annotations

import json
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import make_server

from finder import create_app
from finder.extensions import db
from finder.moderation.accounts import add_moderator
from tests.browser.conftest import AXE, PHONE, screenshot
from tests.feedserver import Route, feed_server

EMAIL, PASSWORD = "mod@example.org", "correct horse battery"


def grey_tile() -> bytes:
    """A 256 x 256 light grey PNG with a grid, standing in for every map tile."""
    rows = b"".join(b"\x00" + bytes(200 if x % 64 == 0 or y % 64 == 0 else 230 for x in range(256))
                    for y in range(256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 256, 256, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


TILE = grey_tile()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """The demo app with a moderator, map tiles from a local server, behind a stand-in proxy
    (one trusted X-Forwarded-For hop, as behind a load balancer, so each attendee below is its
    own client); yields the base URL and the tile server."""
    folder: Path = tmp_path_factory.mktemp("keepers")
    with feed_server() as tiles:
        tiles.routes.update({f"/15/{x}/{y}.png": Route(TILE, content_type="image/png")
                             for x in range(9640, 9660) for y in range(12310, 12330)})
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite3'}",
                          "SECRET_KEY": "browser-tests",
                          "TILE_URL": tiles.base_url + "/{z}/{x}/{y}.png"})
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        with app.app_context():
            add_moderator(EMAIL, PASSWORD)
            db.session.commit()
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)  # type: ignore[method-assign]
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", tiles
        finally:
            server.shutdown()


def new_page(browser, base_url: str, client: str = "203.0.113.1"):
    context = browser.new_context(viewport=PHONE, locale="en-US", timezone_id="America/New_York",
                                  base_url=base_url, bypass_csp=True,
                                  extra_http_headers={"X-Forwarded-For": client})
    return context.new_page()


def assert_wcag22(page) -> None:
    """No axe-core violation of WCAG 2.0, 2.1 or 2.2, levels A and AA."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', "
        "'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})).violations")
    found = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in violations]
    assert found == [], json.dumps(found, indent=1)


def log_in(page) -> None:
    page.goto("/moderate")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Review queue"


def test_secretary_submits_moderator_approves_secretary_sees_it(browser, site):
    base_url, tiles = site
    secretary = new_page(browser, base_url)
    secretary.goto("/")
    secretary.get_by_role("contentinfo").get_by_role("link", name="Add a meeting").click()
    assert secretary.get_by_role("heading", level=1).inner_text() == "Add a meeting"
    assert_wcag22(secretary)
    screenshot(secretary, "keepers-form-in-person")
    assert secretary.get_by_label("Meeting link").is_hidden()  # in person: no online part
    secretary.get_by_label("Hybrid").check()
    assert secretary.get_by_label("Meeting link").is_visible()
    assert secretary.get_by_label("Time zone").input_value() == ""  # "From the address"
    secretary.get_by_role("textbox", name="Name", exact=True).fill("Chelsea Saturday Hybrid")
    secretary.get_by_label("Day", exact=True).select_option(label="Saturday")
    secretary.locator("#time").fill("10:00")
    secretary.get_by_label("Street address").fill("150 W 22nd St")
    secretary.get_by_label("City", exact=True).fill("New York")
    secretary.get_by_label("State or province").fill("NY")
    secretary.get_by_label("Postal code").fill("10011")
    secretary.get_by_label("Meeting link").fill("zoom.us/j/81234567890")
    secretary.get_by_label("Your email or phone").fill("secretary@example.org")
    assert_wcag22(secretary)  # every part of the form shown
    screenshot(secretary, "keepers-form-hybrid")
    secretary.get_by_role("button", name="Send for review").click()
    assert secretary.get_by_role("heading", level=1).inner_text().startswith("Your suggestion ")
    assert "Waiting for review" in secretary.locator(".status").inner_text()
    assert "A moderator will review it" in secretary.get_by_role("status").inner_text()
    status_url = secretary.url
    assert_wcag22(secretary)
    screenshot(secretary, "keepers-status-pending")

    moderator = new_page(browser, base_url, "203.0.113.50")
    requested: list[str] = []
    moderator.on("request", lambda request: requested.append(request.url))
    log_in(moderator)
    assert_wcag22(moderator)
    screenshot(moderator, "keepers-queue")
    moderator.get_by_role("link", name=re.compile("New meeting: Chelsea Saturday Hybrid")).click()
    assert moderator.get_by_role("heading", level=1).inner_text() == "New meeting: Chelsea Saturday Hybrid"
    map_image = moderator.get_by_role("img", name=re.compile("Map around"))
    assert map_image.is_visible()
    assert "America/New_York" in moderator.locator(".coordinates").inner_text()
    warning = moderator.locator(".nearby")
    assert "Possible duplicate" in warning.inner_text() and "Chelsea Hybrid Speakers" in warning.inner_text()
    assert "same conference room" in warning.inner_text()
    reject = moderator.get_by_role("button", name="Reject")
    approve = moderator.get_by_role("button", name="Approve and apply")
    assert reject.evaluate("b => getComputedStyle(b).backgroundColor") != \
        approve.evaluate("b => getComputedStyle(b).backgroundColor")
    assert_wcag22(moderator)
    screenshot(moderator, "keepers-review")
    hosts = {urlsplit(u).netloc for u in requested if u.startswith("http")}
    assert hosts <= {urlsplit(base_url).netloc, urlsplit(tiles.base_url).netloc}, hosts
    assert any(path.startswith("/15/") for path in tiles.requests)

    approve.click()
    message = moderator.get_by_role("status").filter(has_text="Approved")
    assert message.count() == 1
    assert message.inner_text().startswith("Approved: “Chelsea Saturday Hybrid” is listed now.")
    message.get_by_role("link", name="See the meeting").click()
    assert moderator.get_by_role("heading", level=1).inner_text() == "Chelsea Saturday Hybrid"
    assert moderator.get_by_role("link", name="Join the meeting").get_attribute("href") == \
        "https://zoom.us/j/81234567890"
    assert "Last confirmed" in moderator.locator(".freshness").inner_text()
    screenshot(moderator, "keepers-approved-meeting")

    secretary.goto(status_url)
    assert secretary.locator(".status").inner_text() == "Approved"
    secretary.get_by_role("link", name="See the meeting as it is listed now").click()
    assert secretary.get_by_role("heading", level=1).inner_text() == "Chelsea Saturday Hybrid"
    screenshot(secretary, "keepers-status-approved")


def test_three_attendees_report_a_meeting_and_a_moderator_clears_it(browser, site):
    base_url, _tiles = site
    for n, reason in enumerate(("Nobody was there", "It has moved", "The time is wrong"), start=1):
        attendee = new_page(browser, base_url, f"198.51.100.{n}")
        attendee.goto("/?q=Staten+Island+Seniors")
        attendee.get_by_role("link", name="Staten Island Seniors", exact=True).first.click()
        attendee.get_by_role("link", name="Report a problem").click()
        if n == 1:
            assert_wcag22(attendee)
            screenshot(attendee, "keepers-report-form")
        attendee.get_by_label(reason).check()
        attendee.get_by_label("A short note (optional)").fill(f"Attendee {n}: door locked")
        attendee.get_by_role("button", name="Send the report").click()
        assert "Thank you. A moderator will look" in attendee.get_by_role("status").first.inner_text()
        marked = attendee.locator(".reported")
        assert marked.count() == (1 if n == 3 else 0)
        meeting_url = attendee.url
        if n == 3:
            screenshot(attendee, "keepers-meeting-reported")
        attendee.context.close()

    moderator = new_page(browser, base_url, "203.0.113.50")
    log_in(moderator)
    moderator.get_by_role("link", name=re.compile("Reported: Staten Island Seniors")).click()
    assert "Attendee 2: door locked" in moderator.locator("table").inner_text()
    assert_wcag22(moderator)
    screenshot(moderator, "keepers-reports")
    moderator.get_by_role("button", name="Clear the reports").click()
    assert "Cleared 3 report(s)" in moderator.get_by_role("status").first.inner_text()
    moderator.goto(meeting_url)
    assert moderator.locator(".reported").count() == 0
