"""The CSV columns of a meeting that is not every week (README: "Meetings that are not every
week"): ``weeks_of_month`` ("1, 3", "1st & 3rd", "last"), ``every_weeks`` (2..8, counted from
``first_date``), ``first_date``, ``last_date`` and ``cancelled_dates`` (dates as YYYY-MM-DD or
MM/DD/YYYY, separated by commas, semicolons or spaces)."""
from __future__ import annotations

import re
from datetime import date, timedelta

from finder.pattern import MONTHLY, WEEKLY, WEEKS, Recurrence
from finder.weekly import day_of

COLUMNS = frozenset({"weeks_of_month", "every_weeks", "first_date", "last_date", "cancelled_dates"})
ALIASES = {
    "week_of_month": "weeks_of_month", "weeks": "weeks_of_month", "every_n_weeks": "every_weeks",
    "interval": "every_weeks", "start_date": "first_date", "starts": "first_date",
    "end_date": "last_date", "ends": "last_date", "cancelled": "cancelled_dates",
    "no_meeting_dates": "cancelled_dates", "cancelled_date": "cancelled_dates",
}
_WEEK_WORDS = {"1": 1, "1st": 1, "first": 1, "2": 2, "2nd": 2, "second": 2, "3": 3, "3rd": 3,
               "third": 3, "4": 4, "4th": 4, "fourth": 4, "5": 5, "5th": 5, "fifth": 5,
               "last": -1, "-1": -1, "l": -1}
_SPLIT = re.compile(r"\s*(?:[,;/&]|\band\b)\s*|\s+")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def column_pattern(values: dict[str, str], day: int) -> Recurrence | None:
    """The pattern the row's columns give for a meeting on ``day``; None when they are empty.

    Raises ValueError naming the column and value at fault (dates off the meeting's day are
    the caller's to check: ``Recurrence.check``).
    """
    given = {name: values[name].strip() for name in COLUMNS if values.get(name, "").strip()}
    if not given:
        return None
    first = _date("first_date", given.get("first_date"))
    kind, interval, anchor, nths = WEEKLY, 1, None, ()
    if "weeks_of_month" in given:
        kind, nths = MONTHLY, _weeks(given["weeks_of_month"])
    if "every_weeks" in given:
        if kind == MONTHLY:
            raise ValueError("give weeks_of_month or every_weeks, not both")
        interval = _interval(given["every_weeks"])
        if interval > 1:
            if first is None:
                raise ValueError("every_weeks counts from first_date: give a date it meets")
            kind, anchor = WEEKS, first + timedelta(days=(day - day_of(first)) % 7)
    cancelled = tuple(sorted({_date("cancelled_dates", word)  # type: ignore[misc]
                              for word in _SPLIT.split(given.get("cancelled_dates", "")) if word}))
    return Recurrence(kind=kind, interval=interval, anchor=anchor, nths=nths, starts=first,
                      ends=_date("last_date", given.get("last_date")), cancelled=cancelled)


def _weeks(text: str) -> tuple[int, ...]:
    weeks = []
    for word in _SPLIT.split(text.lower()):
        if word and word not in _WEEK_WORDS:
            raise ValueError(f"weeks_of_month {text!r}: use 1-5 or last, e.g. '1, 3' or 'last'")
        if word and _WEEK_WORDS[word] not in weeks:
            weeks.append(_WEEK_WORDS[word])
    return tuple(sorted(weeks, key=lambda n: (n < 0, n)))


def _interval(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 8:
        raise ValueError(f"every_weeks {text!r}: a number of weeks from 1 to 8")
    return int(text)


def _date(column: str, text: str | None) -> date | None:
    if not text:
        return None
    us = _US_DATE.match(text)
    try:
        return date(int(us[3]), int(us[1]), int(us[2])) if us else date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} {text!r}: a date as YYYY-MM-DD or MM/DD/YYYY") from None
