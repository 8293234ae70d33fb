"""Schedules written in words in a meeting's name or notes: "1st Sunday", "first and third
Monday", "last Friday of the month", "every other Tuesday" (Spanish "primer domingo" too).

Feeds in the Meeting Guide, BMLT and TSML layouts have no field for a meeting that is not every
week, so groups write it where they can. Notes are full of look-alikes that are *not* the
meeting's schedule ("Last wk Trad", "Business meeting 1st Sunday", "Speaker last Saturday of the
month", "Meets at a residence on the last Thursday": another place that day), so a note counts
only when it says the meeting meets then ("Meets on the last Thursday of the month", "Only meets 1st Saturday of the Month", "1st Saturday of the month only") or is
nothing but the phrase ("2nd Saturday"); a name counts when it holds an ordinal and the day
("First Saturday Group", "Steps 1-8 Workshop (2nd Sat)"). The day named must be the meeting's
own day. Every other week needs to know which weeks: without a date in the same text the
meeting stays weekly and the reader says so. Anything read is reported (``Reading.warning``) so
a person can check. "No meeting on holidays" and the like are left alone. Pure: no Flask.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from finder.pattern import MONTHLY, WEEKS, Recurrence
from finder.recurrence import PatternSlot, describe
from finder.weekly import day_of

_ORDINALS = {
    "1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4,
    "5th": 5, "fifth": 5, "last": -1,
    "primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3,
    "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
    "último": -1, "ultimo": -1, "última": -1, "ultima": -1,
}
_DAYS = {
    name: day for day, names in enumerate((
        "sunday sun domingo", "monday mon lunes", "tuesday tues tue martes",
        "wednesday wed miércoles miercoles", "thursday thurs thur thu jueves", "friday fri viernes",
        "saturday sat sábado sabado",
    )) for name in names.split()
}
_ORD = "|".join(sorted(map(re.escape, _ORDINALS), key=len, reverse=True))
_DAY = "|".join(sorted(map(re.escape, _DAYS), key=len, reverse=True))
_ORDLIST = rf"(?P<ords>(?:{_ORD})(?:\s*(?:,|&|/|\band\b|\by\b)\s*(?:{_ORD}))*)"
_MONTH = r"(?:\s+(?:of\s+(?:the|each|every)\s+month|of\s+month|del\s+mes|de\s+cada\s+mes))?"
_NTH = rf"(?:the\s+|each\s+|every\s+|el\s+|cada\s+)?{_ORDLIST}\s+(?P<day>{_DAY})s?\b\.?{_MONTH}"
_OTHER = rf"(?:every\s+other|alternate|cada\s+dos|cada\s+otro)\s+(?P<oday>{_DAY})s?\b"
_WHAT = rf"(?:{_NTH}|{_OTHER})"
# A note: "meets / is held / only meets [on] <phrase>", "<phrase> only", or the phrase alone.
_SAYS_MEETS = (r"(?:\bmeets?\b|\bmeeting\s+is\s+held\b|\bis\s+held\b|\bwe\s+meet\b|"
               r"\bse\s+re[uú]ne\b|\bs[oó]lo\b|\b[uú]nicamente\b)")
_NOTES = (
    rf"{_SAYS_MEETS}:?(?:\s+(?:only|once|monthly|regularly|on|el|los))*\s+{_WHAT}",
    rf"(?:^|[.;/!?\n]\s*)(?:on\s+)?{_WHAT}\s+only\b",
    rf"^\W*(?:on\s+)?{_WHAT}(?:\W*|\W+(?:starting|beginning|from|since|desde)\b.*)$",
)
_NAME = rf"(?<![\w-])(?:{_ORDLIST}\s+(?P<day>{_DAY})s?\b|{_OTHER})"
# Who else meets then, when a note names them in the same clause: not the meeting's schedule.
_OTHER_EVENT = (
    r"\b(business|speakers?|spkr|birthdays?|anniversar\w*|tradition|trad|step|topic|potluck|"
    r"chips|literature|conscience|gsr|workshop|negocios|orador\w*|cumplea\w*)\b")
_DATE_RE = re.compile(r"\b(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4}))\b")


@dataclass(frozen=True)
class Reading:
    """What a phrase says: the pattern (None when it cannot be known), the phrase, and where."""

    pattern: Recurrence | None
    phrase: str
    field: str

    def warning(self, name: str, day: int, time: str) -> str:
        """The line a person checks: the meeting, the phrase, and what it was read as."""
        if self.pattern is None:
            return (f"{name!r}: {self.field} says {self.phrase!r} but not which weeks; "
                    "listed every week (check it)")
        shown = describe(PatternSlot(day, time, self.pattern))
        return f"{name!r}: read {self.phrase!r} in {self.field} as {shown!r} (check it)"


@cache
def _day_word() -> Callable[[str], bool]:
    """Whether a text holds any day's name. Every phrase names the meeting's day, so a text
    without one holds no phrase: nine names in ten and most notes in real feeds. Compiled in
    2 M instructions, where the phrases' patterns below take 50 M (about 5 ms): they are
    compiled, and run, only for a text that names a day."""
    anywhere = re.compile(_DAY, re.IGNORECASE).search
    # An ASCII text, lowered, is searched without IGNORECASE: the same answer (IGNORECASE
    # lets an ASCII character match only itself in either case), ten times quicker (in
    # Unicode, IGNORECASE tries every name at every position): it was 5% of a first import.
    lowered = re.compile(_DAY).search

    def names_a_day(text: str) -> bool:
        if text.isascii():
            return lowered(text.lower()) is not None
        return anywhere(text) is not None

    return names_a_day


@cache
def _name_pattern() -> re.Pattern[str]:
    """The pattern a name is read with (10 M instructions to compile)."""
    return re.compile(_NAME, re.IGNORECASE)


@cache
def _note_patterns() -> tuple[re.Pattern[str], ...]:
    """The patterns a note is read with (38 M instructions to compile)."""
    return tuple(re.compile(note, re.IGNORECASE) for note in _NOTES)


@cache
def _other_event() -> re.Pattern[str]:
    """Another event named in a note's clause (compiled at the first phrase found in a note)."""
    return re.compile(_OTHER_EVENT, re.IGNORECASE)


def read_schedule(day: int, name: str | None, *notes: tuple[str, str | None]) -> Reading | None:
    """The first schedule phrase for a meeting on ``day`` in its name, then in ``notes``
    (``(field, text)`` pairs); None when none is found."""
    names_a_day = _day_word()
    for field, text, in_name in (("name", name, True), *((f, t, False) for f, t in notes)):
        # Most meetings have no notes, and most texts name no day: nothing to search.
        if not text or not names_a_day(text):
            continue
        for pattern in (_name_pattern(),) if in_name else _note_patterns():
            for match in pattern.finditer(text):
                if field != "name" and _other_event().search(_clause_before(text, match)):
                    continue
                reading = _reading(match, day, text, field)
                if reading is not None:
                    return reading
    return None


def _clause_before(text: str, match: re.Match[str]) -> str:
    """The words of the match's clause up to the phrase (its subject, when it has one)."""
    head = re.split(r"[.;/!?\n(]", text[:match.start()])[-1]
    words = match.group(0)
    return head + " " + words[:words.lower().find((match["ords"] or match["oday"] or "").lower())]


def _reading(match: re.Match[str], day: int, text: str, field: str) -> Reading | None:
    named = (match["day"] or match["oday"] or "").lower().rstrip(".")
    if _DAYS.get(named) != day:
        return None  # another day's event, or not a day at all
    phrase = " ".join(match.group(0).strip(" .;/").split())
    if match["oday"]:
        anchor = _anchor(text, day)
        pattern = Recurrence(kind=WEEKS, interval=2, anchor=anchor) if anchor else None
        return Reading(pattern, phrase, field)
    nths = sorted({_ORDINALS[word.lower()] for word in re.findall(_ORD, match["ords"], re.IGNORECASE)},
                  key=lambda n: (n < 0, n))
    return Reading(Recurrence(kind=MONTHLY, nths=tuple(nths)), phrase, field)


def _anchor(text: str, day: int) -> date | None:
    """A date in ``text`` on ``day`` (ISO or US month/day/year): a week the meeting meets."""
    for found in _DATE_RE.finditer(text):
        year, month, dom = ((found[1], found[2], found[3]) if found[1]
                            else (found[6], found[4], found[5]))
        try:
            on = date(int(year), int(month), int(dom))
        except ValueError:
            continue
        if day_of(on) == day:
            return on
        return on + timedelta(days=(day - day_of(on)) % 7)  # "starting the week of ..."
    return None
