"""Browser tier: the app with demo data on a live 127.0.0.1 server, driven by Debian's Chromium."""
from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from finder import create_app

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
# Flags from the machine notes: no background traffic to the (closed) internet, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@contextmanager
def serve_demo(folder: Path, **settings: object) -> Iterator[str]:
    """The app with the demo feeds loaded, served on a free 127.0.0.1 port; yields its base URL."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite3'}",
        "SECRET_KEY": "browser-tests",
        "TILE_URL": "",  # no network: the map must degrade to the list
        **settings,
    })
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo app without map tiles, shared by the browser tests."""
    with serve_demo(tmp_path_factory.mktemp("live")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Chromium through Playwright; skips with the reason when either is missing, and fails in
    CI, whose .ci/run installs both (a green run must not hide an install that failed)."""
    missing = pytest.fail if os.environ.get("CI") else pytest.skip
    if CHROMIUM is None:
        missing("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server: str):
    """A phone-sized page in New York's time zone, with a position near Columbia University."""
    context = browser.new_context(
        viewport=PHONE, locale="en-US", timezone_id="America/New_York",
        geolocation={"latitude": 40.8075, "longitude": -73.9626}, permissions=["geolocation"],
        base_url=live_server,
        bypass_csp=True,  # axe-core is injected as an inline script; test_csp.py runs without this
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the current page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run npm ci")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
    )
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result]


def assert_accessible(page) -> None:
    """Fail with axe's report if the page has any WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot (the whole page, or what the screen shows) for a person to look at (the
    folder is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- a seeker near Irvine, CA, over a cut of the real Orange County feed, the clock fixed (issue 13)

FEED = ROOT / "tests" / "data" / "oc-irvine.json"  # a slice of the Orange County AA feed
MONDAY = "2026-12-07T16:05:00-08:00"  # "Ladies Happy Hour" (online) began at 16:00
FRIDAY = "2026-12-04T23:20:00-08:00"  # the only in-person meeting soon is Spanish-speaking
WCAG22 = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def irvine(tmp_path_factory) -> Iterator[tuple[str, object]]:
    """The app with the Orange County slice, map tiles served by itself, the clock fixed."""
    folder = tmp_path_factory.mktemp("irvine")
    app = create_app({
        "TESTING": True, "FIXED_NOW": MONDAY, "SECRET_KEY": "browser-tests",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'irvine.sqlite3'}",
        "TILE_URL": "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}",
        "TILE_ATTRIBUTION": "Test tiles",
    })
    runner = app.test_cli_runner()
    for args in (["import", str(FEED), "--name", "oc"],):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()


@contextmanager
def seeker(browser, irvine, viewport: dict[str, int]) -> Iterator[object]:
    """A page in Los Angeles, in US English, at ``viewport``; the clock is Monday 16:05."""
    url, app = irvine
    app.config["FIXED_NOW"] = MONDAY
    context = browser.new_context(viewport=viewport, locale="en-US", timezone_id="America/Los_Angeles",
                                  base_url=url, bypass_csp=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone(browser, irvine):
    """A phone-sized seeker near Irvine (see :func:`seeker`)."""
    with seeker(browser, irvine, PHONE) as page:
        yield page


@pytest.fixture
def desktop(browser, irvine):
    """A desktop-sized seeker near Irvine (see :func:`seeker`)."""
    with seeker(browser, irvine, DESKTOP) as page:
        yield page


def search_irvine(page, soon: bool = True) -> None:
    """Type the place as a seeker would and search."""
    page.goto("/")
    page.get_by_label("Near", exact=True).fill("Irvine, CA")
    if soon:
        page.get_by_label("Starting in the next 2 hours").check()
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_selector("li.meeting")


def starts(page) -> list[datetime]:
    """The start instants of the rows, in their order."""
    return [datetime.fromisoformat(value) for value in
            page.locator("li.meeting .when time").evaluate_all("els => els.map(e => e.dateTime)")]


def assert_wcag22(page) -> None:
    """No axe-core violation of WCAG 2.0-2.2 A/AA."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
                          ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))", WCAG22)
    assert found == [], json.dumps(found, indent=1)
