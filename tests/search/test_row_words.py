"""A result row's words are kept per language: a worker that showed a page in one language shows
the next in another, with each count and date in its own words."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from finder.enums import Attendance
from finder.extensions import db
from finder.meetings.freshness import Freshness
from finder.models import Meeting
from finder.search.rows import other_days, soon
from finder.search.views import stale_words, tags
from tests.factories import meeting, source

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=NEW_YORK)  # a Tuesday


def words(app, lang: str, minutes: int, attendance: Attendance = Attendance.IN_PERSON) -> tuple[str, bool]:
    """How soon a meeting ``minutes`` from NOW starts, and whether it is joinable, in ``lang``."""
    row = Meeting(time="12:00", end_time="13:00", attendance_option=attendance)
    with app.test_request_context(f"/?lang={lang}"):
        found = soon(row, NOW + timedelta(minutes=minutes), NOW)
        return found.words, found.joinable


def test_the_same_minutes_in_one_language_then_another(app):
    assert words(app, "en", 40) == ("In 40 min", False)
    assert words(app, "de", 40) == ("In 40 Min.", False)
    assert words(app, "en", 40) == ("In 40 min", False)
    assert words(app, "es", 24 * 60) == ("Mañana", False)
    assert words(app, "en", 24 * 60) == ("Tomorrow", False)
    assert words(app, "de", 6 * 24 * 60) == ("Montag", False)


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", ["A commencé il y a 2 min", "A commencé il y a 1 min", "Dans 1 min", "Dans 2 min"]),
    ("pt", ["Começou há 2 min", "Começou há 1 min", "Em 1 min", "Em 2 min"]),
])
def test_each_count_keeps_its_own_number_in_a_language_whose_plural_starts_at_two(app, lang, expected):
    # French and Portuguese say 0 and 1 in the singular: the kept words must still be per count.
    assert [words(app, lang, minutes)[0] for minutes in (-2, -1, 1, 2)] == expected


def test_joinable_is_kept_apart_from_the_words(app):
    assert words(app, "en", 10, Attendance.ONLINE) == ("In 10 min", True)
    assert words(app, "en", 10) == ("In 10 min", False)
    assert words(app, "en", -59, Attendance.HYBRID) == ("Started 59 min ago", True)
    assert words(app, "en", -60, Attendance.HYBRID) == ("Started 60 min ago", False)  # it has ended


def test_not_confirmed_since_in_each_language(app):
    fresh = Freshness(datetime(2026, 6, 1, 23, 30, tzinfo=UTC), False, True)
    said = {}
    for lang in ("en", "fr", "en"):
        with app.test_request_context(f"/?lang={lang}"):
            said[lang] = str(stale_words(fresh, lang))
    assert said == {"en": "Not confirmed since Jun 1, 2026.", "fr": "Non confirmée depuis le 1 juin 2026."}
    with app.test_request_context("/?lang=pt"):
        assert stale_words(Freshness(None, False, True), "pt") == "Ainda não confirmada."
        assert stale_words(Freshness(None, False, False), "pt") is None


def test_badge_names_per_language(app):
    assert tags(("S", "W", "O"), "en") == ("Spanish", "Women")
    assert tags(("S", "W", "O"), "es") == ("Mujeres",)  # Spanish is the page's own language
    assert tags(("S", "W", "O"), "en") == ("Spanish", "Women")


def test_other_days_in_one_language_then_another(app):
    with app.test_request_context("/?lang=en"):
        home = source("ny")
        shown = meeting(slug="mon", day=1, source_id=home.id)
        meeting(slug="wed", day=3, source_id=home.id)
        db.session.commit()
        assert other_days([db.session.get(Meeting, shown.id)]) == {shown.id: "Also Wed"}
    with app.test_request_context("/?lang=pt"):
        assert other_days([db.session.get(Meeting, shown.id)]) == {shown.id: "Também qua."}
    with app.test_request_context("/?lang=en"):
        assert other_days([db.session.get(Meeting, shown.id)]) == {shown.id: "Also Wed"}
