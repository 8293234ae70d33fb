"""What a result row says: how soon, the other days of its series, and the badges that matter."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from babel.dates import format_skeleton, get_day_names

from finder.enums import Attendance
from finder.extensions import db
from finder.models import Meeting
from finder.search.sql import SERIES_PLACE
from finder.search.zone_sets import data_version
from finder.web.i18n import day_name, gettext, language, ngettext
from finder.weekly import day_of, duration

#: "Join now" shows from this many minutes before the start until the end.
JOIN_BEFORE_MINUTES = 15
#: The ways to attend that have a link or a number to join by.
JOINABLE = frozenset({Attendance.ONLINE, Attendance.HYBRID})
#: Types a seeker looks for at a glance: who it is for, and access.
WHO_AND_ACCESS = ("W", "M", "LGBTQ", "G", "L", "T", "NB", "Y", "X", "ASL")
#: Meeting Guide's language types, by the interface language they match.
LANGUAGES = {"EN": "en", "S": "es", "FR": "fr", "DE": "de", "ITA": "it", "POR": "pt", "RUS": "ru",
             "POL": "pl", "KOR": "ko", "JA": "ja", "AR": "ar", "FA": "fa", "HE": "he", "HI": "hi",
             "TL": "tl", "UK": "uk", "TUR": "tr", "NL": "nl"}


@dataclass(frozen=True)
class Soon:
    """How soon a meeting starts, for the row: words, and whether it is on or joinable now."""

    words: str
    in_progress: bool
    joinable: bool


def soon(meeting: Any, start: datetime, now: datetime, spoken: str | None = None) -> Soon:
    """"Started 5 min ago", "In 40 min", "Today", "Tomorrow", the weekday of ``start`` within the
    week, and its date from a week on ("Tue, Dec 8": a bare "Tuesday" read on a Tuesday means today).

    ``start`` is the occurrence the search found (in the zone the page shows), ``now`` its instant,
    ``spoken`` the request's language (looked up when not given).
    """
    spoken = spoken or language()
    minutes = int((start - now).total_seconds() // 60)
    joinable = (meeting.attendance_option in JOINABLE and minutes <= JOIN_BEFORE_MINUTES
                and minutes > -_minutes_long(meeting.time, meeting.end_time))
    if minutes < 60:
        return _within_the_hour(minutes, joinable, spoken)
    days = (start.date() - now.astimezone(start.tzinfo).date()).days
    return _later(days, start.date(), joinable, spoken)


# The words of a row are kept per language: a page's rows share their few minute counts and
# days, and each would otherwise look up (and format) its words again. Called in a request whose
# language is ``spoken``, so gettext answers in it.
@lru_cache(maxsize=4096)
def _within_the_hour(minutes: int, joinable: bool, spoken: str) -> Soon:
    if minutes < 0:
        return Soon(ngettext("Started %(num)d min ago", "Started %(num)d min ago", -minutes), True, joinable)
    if minutes == 0:
        return Soon(gettext("Starting now"), True, joinable)
    return Soon(ngettext("In %(num)d min", "In %(num)d min", minutes), False, joinable)


@lru_cache(maxsize=1024)
def _later(days: int, on: date, joinable: bool, spoken: str) -> Soon:
    if days == 0:
        return Soon(gettext("Today"), False, joinable)
    if days == 1:
        return Soon(gettext("Tomorrow"), False, joinable)
    if days >= 7:
        return Soon(format_skeleton("MMMEd", on, locale=spoken), False, joinable)
    return Soon(day_name(day_of(on)), False, joinable)


@lru_cache(maxsize=4096)
def _minutes_long(time: str, end_time: str | None) -> int:
    """A meeting's length in minutes (a missing end means one hour), per pair of clocks."""
    return int(duration(time, end_time).total_seconds() // 60)


_PLACE = sa.literal_column(SERIES_PLACE, sa.String)
# By name and time, the index ix_meetings_name_time: a handful of rows, not a scan of all; the
# place too, so that the names and times of a page do not bring back every meeting that shares
# one of each (hundreds of rows). Made once, with expanding parameters: compiled once.
_SERIES = (sa.select(Meeting.source_id, Meeting.name, Meeting.time, _PLACE, Meeting.day)
           .where(Meeting.is_shown, Meeting.name.in_(sa.bindparam("names", expanding=True)),
                  Meeting.time.in_(sa.bindparam("times", expanding=True)),
                  _PLACE.in_(sa.bindparam("places", expanding=True))))


SeriesKey = tuple[int, str, str, str]
#: Series whose days are kept per process (a page shows 50): about 10 MB at most.
KNOWN_SERIES = 20_000
_known: dict[tuple[object, ...], dict[SeriesKey, frozenset[int]]] = {}


def series_key(meeting: Any) -> SeriesKey:
    """What makes rows one meeting held on several days: source, name, time and place."""
    return (meeting.source_id, meeting.name, meeting.time,
            meeting.formatted_address or meeting.conference_url or "")


def series_days(keys: set[SeriesKey]) -> dict[SeriesKey, frozenset[int]]:
    """The days each series meets, kept per process under the meetings' data version
    (finder/search/zone_sets.py): a page shown again reads none, a write is seen at the next."""
    version = data_version()
    known = _known.get(version)
    if known is None or len(known) > KNOWN_SERIES:
        _known.clear()
        known = _known[version] = {}
    if missing := keys - known.keys():
        rows = db.session.connection().execute(
            _SERIES, {"names": list({name for _, name, _, _ in missing}),
                      "times": list({clock for _, _, clock, _ in missing}),
                      "places": list({place for _, _, _, place in missing})})
        days: dict[SeriesKey, set[int]] = {}
        for source_id, name, clock, place, day in rows:
            days.setdefault((source_id, name, clock, place), set()).add(day)
        known.update((key, frozenset(days.get(key, ()))) for key in missing)
    return {key: known[key] for key in keys}


def other_days(meetings: Iterable[Any]) -> dict[int, str]:
    """For each meeting id, the other days its series meets ("Mon, Wed"), or "every day"."""
    keyed = [(meeting, series_key(meeting)) for meeting in meetings]
    if not keyed:
        return {}
    days = series_days({key for _, key in keyed})
    spoken = language()
    found = {}
    for meeting, key in keyed:
        if words := _also(days[key], meeting.day, spoken):
            found[meeting.id] = words
    return found


@lru_cache(maxsize=2048)
def _also(held: frozenset[int], day: int, spoken: str) -> str | None:
    # Per language, called in a request whose language is ``spoken``, as the words of soon().
    if len(held) == 7:
        return gettext("Every day")
    if others := sorted(held - {day}):
        short = get_day_names("abbreviated", locale=spoken)
        # Babel counts days from Monday (0); Meeting Guide from Sunday (0).
        return gettext("Also %(days)s", days=", ".join(short[(other - 1) % 7] for other in others))
    return None


def badges(types: Iterable[str], language: str) -> list[str]:
    """Type codes worth a badge: a language other than the page's, who it is for, access."""
    codes = tuple(types)
    spoken = [code for code in codes if code in LANGUAGES and LANGUAGES[code] != language]
    present = set(codes)
    return spoken + [code for code in WHO_AND_ACCESS if code in present]
