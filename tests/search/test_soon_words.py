"""How soon a result row says its meeting starts: a weekday only within the week, a date beyond."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from finder.enums import Attendance
from finder.models import Meeting
from finder.search.rows import soon

NEW_YORK = ZoneInfo("America/New_York")
TUESDAY_NOON = datetime(2026, 12, 1, 12, 0, tzinfo=NEW_YORK)


def _words(app, start: datetime, lang: str = "en") -> str:
    meeting = Meeting(time="19:00", end_time="20:00", attendance_option=Attendance.IN_PERSON)
    with app.test_request_context(f"/?lang={lang}"):
        return soon(meeting, start, TUESDAY_NOON).words


@pytest.mark.parametrize(("start", "words"), [
    (datetime(2026, 12, 1, 12, 40, tzinfo=NEW_YORK), "In 40 min"),
    (datetime(2026, 12, 1, 19, 0, tzinfo=NEW_YORK), "Today"),
    (datetime(2026, 12, 2, 19, 0, tzinfo=NEW_YORK), "Tomorrow"),
    (datetime(2026, 12, 7, 19, 0, tzinfo=NEW_YORK), "Monday"),
    # A week on falls on today's weekday: "Tuesday" read on a Tuesday would mean today.
    (datetime(2026, 12, 8, 11, 0, tzinfo=NEW_YORK), "Tue, Dec 8"),
    (datetime(2026, 12, 26, 9, 30, tzinfo=NEW_YORK), "Sat, Dec 26"),  # a monthly meeting's next
])
def test_words_by_how_far_the_start_is(app, start, words):
    assert _words(app, start) == words


def test_a_date_is_in_the_readers_language(app):
    start = datetime(2026, 12, 8, 11, 0, tzinfo=NEW_YORK)
    assert _words(app, start, "de") == "Di., 8. Dez."
    assert _words(app, start, "es") == "mar, 8 dic"
