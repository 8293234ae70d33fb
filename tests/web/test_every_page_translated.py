"""Every page, in every interface language, leaves no English behind.

One visitor walks the site in a language (search with results, the all-meetings list, meetings,
the plan, the submission form with and without errors, the status page, the report form, the
moderator's login, queue, review and reports pages, and the 400/404/410/500 pages). On each page the
visible text (text nodes, and the attributes people hear or see: aria-label, title, placeholder,
alt, button values, texts the script shows) must hold no English message of the catalogue whose
translation differs, and no English meeting type name; the test data avoids English words, so
anything found is interface text left untranslated.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from finder.pattern import MONTHLY, Moved, Recurrence
from finder.web.i18n import LANGUAGE_NAMES
from finder.web.type_names import NAMES
from importers.types import TYPES
from tests.submitting import NEW_MEETING, csrf_token, log_in, make_moderator

TRANSLATIONS = Path(__file__).resolve().parents[2] / "finder" / "translations"
LOCALES = ("es", "de", "fr", "pt")
#: Names that stay as they are in every language: the site's, a map's, each language's own name
#: in the switcher.
PROPER_NOUNS = ("Meeting Finder", "OpenStreetMap", *LANGUAGE_NAMES.values())
SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-finding", "data-failed",
                    "data-copied", "data-label"}
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
#: Test data in no language the check reads as English (no "Tuesday Night", no "Church Hall").
MEETING = {"name": "Grupo Esperanza", "location": "Casa Azul",
           "formatted_address": "490 Riverside Dr, New York, NY 10027, USA", "types": ("O", "D", "X")}


ZONE_ID = re.compile(r"\b(?:America|Europe|Asia|Africa|Australia|Pacific)/[A-Z]\w+")
MODERATOR_PAGES = {"review page"}  # a moderator checks the exact zone id there


class VisibleText(HTMLParser):
    """The text a person sees or hears on a page, as a list of pieces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        shown = dict(attrs)
        if tag in ("link", "meta"):
            return  # the head's machine-read titles (a feed's link) are not shown
        self.pieces += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]
        if tag == "input" and shown.get("type") in ("submit", "button") and shown.get("value"):
            self.pieces.append(shown["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.pieces.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.pieces)
    for noun in PROPER_NOUNS:
        text = text.replace(noun, " ")
    return text


def pattern(english: str) -> re.Pattern[str]:
    """A message as a regular expression: placeholders match any text, words match whole."""
    parts = [re.escape(part) for part in PLACEHOLDER.split(english)]
    body = ".+?".join(parts)
    start = r"\b" if re.match(r"\w", english) else ""
    end = r"\b" if re.search(r"\w$", english) else ""
    return re.compile(start + body + end)


def english_left(locale: str) -> list[tuple[str, re.Pattern[str]]]:
    """The English messages (and type names) that must not show in ``locale``: those it translates,
    unless the language's own translations use the same words (German says "Meeting" too)."""
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f, locale=locale)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(english, translated) for english, translated in zip(ids, strings, strict=False)]
    names = NAMES[locale]
    pairs += [(name, names.get(code, name)) for code, name in TYPES.items()]
    own_words = "\n".join(translated for _, translated in pairs)
    found = []
    for english, translated in pairs:
        if translated and translated != english and PLACEHOLDER.sub("", english).strip():
            if not pattern(english).search(own_words):
                found.append((english, pattern(english)))
    return found


@pytest.fixture
def db_config(tmp_path) -> dict[str, str]:
    """SQLite only: the text of a page does not depend on the engine."""
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/walk.sqlite3"}


@pytest.fixture
def walk_app(app):
    """The app, with one page that fails as a bug would (for the 500 page)."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/walk/broken")
    def broken() -> str:
        raise RuntimeError("a bug, for the error page")

    return app


@pytest.fixture
def meetings(walk_app, make_meeting, make_source) -> dict[str, int]:
    """An in-person meeting, an online one, a monthly one with a cancelled and a moved date, and
    one its source dropped; their ids."""
    source_id = make_source("intergrupo", display_name="Intergrupo Esperanza").id
    here = make_meeting(source_id=source_id, slug="esperanza", **MEETING).id
    online = make_meeting(source_id=source_id, slug="en-linea", name="Grupo Serenidad Digital",
                          attendance_option="online", location=None, formatted_address=None,
                          latitude=None, longitude=None,
                          conference_url="https://zoom.us/j/123456789").id
    first, last = tuesdays_of_next_month()[0], tuesdays_of_next_month()[-1]
    monthly = Recurrence(kind=MONTHLY, nths=(1, -1), cancelled=(first,),
                         moved=(Moved(last, location="Casa Verde"),))
    monthly_id = make_meeting(source_id=source_id, slug="mensual", name="Grupo Mensual",
                              recurrence=monthly).id
    gone = make_meeting(source_id=source_id, slug="cerrada", name="Grupo Antiguo",
                        removed_at=datetime(2026, 11, 1, tzinfo=UTC)).id
    return {"here": here, "online": online, "gone": gone, "monthly": monthly_id}


def tuesdays_of_next_month() -> list[date]:
    """The Tuesdays of the month after this one (a monthly meeting's first and last)."""
    start = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
    days = [start + timedelta(days=n) for n in range(31)]
    return [day for day in days if day.month == start.month and day.isoweekday() == 2]


def walk(app, meetings: dict[str, int], locale: str) -> Iterator[tuple[str, int, str]]:
    """Every page a seeker, a secretary, an attendee and a moderator see: (name, status, html)."""
    client = app.test_client()
    here, online = meetings["here"], meetings["online"]

    def get(name: str, path: str, **kwargs) -> tuple[str, int, str]:
        response = client.get(path, **kwargs)
        return name, response.status_code, response.get_data(as_text=True)

    def post(name: str, path: str, data: dict, form: str = "", **kwargs) -> tuple[str, int, str]:
        data = {**data, "csrf_token": csrf_token(client, form or path)}
        response = client.post(path, data=data, follow_redirects=True, **kwargs)
        return name, response.status_code, response.get_data(as_text=True)

    yield get("online soon", f"/?lang={locale}")  # the choice is remembered from here on
    yield get("search results", "/?near=10027&tz=America/New_York")
    yield get("search results as a map", "/?near=10027&view=map&tz=America/New_York")
    yield get("search with no results", "/?near=10027&day=0&types=W")
    yield get("unknown place", "/?near=Xyzzyplugh%20Nowhere")
    yield get("all meetings", "/meetings")
    yield get("meeting page", f"/meetings/{here}")
    yield get("online meeting page", f"/meetings/{online}")
    yield get("monthly meeting page", f"/meetings/{meetings['monthly']}")
    yield get("no plan yet", "/plan")
    yield post("plan page", "/plan/meetings", {"meeting_id": here}, form=f"/meetings/{here}")
    yield get("submission form", "/submissions/new")
    yield post("submission form with errors", "/submissions/new",
               {**NEW_MEETING, "time": "25:99", "conference_url": "", "address": ""})
    receipt = client.post("/submissions/new", data={
        **NEW_MEETING, "csrf_token": csrf_token(client, "/submissions/new")})
    assert receipt.status_code in (302, 303), "the submission was not taken"
    status_page = receipt.headers["Location"]
    yield get("status page, waiting", status_page)
    yield get("suggest a change", f"/meetings/{here}/suggest")
    yield get("report form", f"/meetings/{here}/report")
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        reported = post("report sent", f"/meetings/{here}/report", {"reason": "moved"},
                        environ_base={"REMOTE_ADDR": address})
    yield reported
    yield get("meeting page, reported", f"/meetings/{here}")
    yield get("moderator login", "/moderate/login")
    yield post("moderator login refused", "/moderate/login",
               {"email": "mod@example.org", "password": "wrong"})
    make_moderator(app)
    log_in(client)
    queue = client.get("/moderate").get_data(as_text=True)
    yield "review queue", 200, queue
    review = re.search(r'href="(/moderate/\d+)"', queue)[1]
    yield get("review page", review)
    yield get("problem reports", f"/moderate/reports/{here}")
    yield post("reports cleared", f"/moderate/reports/{here}/clear", {}, form=f"/moderate/reports/{here}")
    yield post("approved", f"{review}/approve", {}, form=review)
    yield get("status page, approved", status_page)
    yield get("404 page", "/meetings/999999")
    yield get("410 page", f"/meetings/{meetings['gone']}")
    yield get("500 page", "/walk/broken")
    yield "400 page (form expired)", *_expired(client)


def _expired(client) -> tuple[int, str]:
    response = client.post("/submissions/new", data=NEW_MEETING)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_is_left_on_any_page(walk_app, meetings, locale):
    english = english_left(locale)
    problems, seen = [], []
    for name, status, html in walk(walk_app, meetings, locale):
        seen.append(name)
        assert status in (200, 400, 401, 404, 410, 500), f"{name}: HTTP {status}"
        assert f'<html lang="{locale}">' in html, f"{name} is not in {locale}"
        text = visible_text(html)
        if name not in MODERATOR_PAGES:  # zones read as places ("hora de Nueva York"), not ids
            assert not ZONE_ID.search(text), f"{name}: {ZONE_ID.search(text)[0]}"
        if name == "monthly meeting page":  # its pattern, a cancelled and a moved date are shown
            assert "Casa Verde" in text, text
        problems += [f"{name}: {message!r}" for message, found in english if found.search(text)]
    assert not problems, f"English left on the {locale} pages:\n" + "\n".join(problems)
    assert len(seen) == 30


def test_the_check_finds_english_it_should(walk_app, meetings):
    """The check itself can fail: an English page is full of what it looks for."""
    english = english_left("de")
    page = walk_app.test_client().get(f"/meetings/{meetings['here']}?lang=en").get_data(as_text=True)
    found = {message for message, found in english if found.search(visible_text(page))}
    assert {"About this meeting", "Directions", "Open", "Tuesday", "Report a problem"} <= found

