"""The reader's units: a 12- or 24-hour clock and miles or km, by their choice or their locale."""
from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_time, get_timezone_location
from babel.numbers import format_decimal, parse_pattern
from flask import Flask, Response, g, request

from finder.web.i18n import gettext, language, remember_choice
from finder.web.responses import page_with

COOKIE = "units"
CHOICES = ("mi", "km")
#: Regions whose readers expect miles and a 12-hour clock.
IMPERIAL_REGIONS = frozenset({"US", "LR", "MM"})
KM_PER_MILE = 1.609344


def uses_miles() -> bool:
    """``?units=``, then the remembered choice, then the region of the browser's first language.

    Decided once per request: a results page asks for every time and distance it shows.
    """
    found = g.get("finder_miles")
    if found is None:
        found = g.finder_miles = _chooses_miles()
    return found


def _chooses_miles() -> bool:
    for choice in (request.args.get("units"), request.cookies.get(COOKIE)):
        if choice in CHOICES:
            return choice == "mi"
    for tag, _quality in request.accept_languages:
        parts = tag.replace("_", "-").split("-")
        return len(parts) > 1 and parts[1].upper() in IMPERIAL_REGIONS
    return False


def clock(moment: datetime) -> str:
    """The time of day of ``moment`` in its own zone, on the reader's clock."""
    return clock_of(moment.hour, moment.minute, uses_miles(), language())


@lru_cache(maxsize=4096)
def clock_of(hour: int, minute: int, twelve_hour: bool, locale: str) -> str:
    """A time of day on a 12- or 24-hour clock in ``locale`` (for a row loop that has them)."""
    # A time of day reads the same on any date and in any zone: format each once per language.
    return format_time(time(hour, minute), "h:mm a" if twelve_hour else "HH:mm", locale=locale)


def distance(km: float, miles: bool | None = None, locale: str | None = None) -> str:
    """A distance in the reader's unit (``miles``, else theirs), to a tenth, in ``locale`` (else
    the page's language)."""
    miles = uses_miles() if miles is None else miles
    number = Decimal(str(km / KM_PER_MILE if miles else km))
    if number.is_finite():
        # Rounded to the tenth as Babel rounds it (the decimal context's rounding of the
        # number's repr), so that the words are made once per tenth, not on every row.
        number = number.quantize(_TENTH)
    spoken = language()
    return _distance_words(number, miles, locale or spoken, spoken)


_TENTH = Decimal("0.1")
_TENTHS = parse_pattern("0.0")


@lru_cache(maxsize=4096)
def _distance_words(number: Decimal, miles: bool, locale: str, _spoken: str) -> str:
    # Babel's format_decimal(number, "0.0") without parsing the locale and pattern, in a
    # request whose language is ``_spoken`` (gettext answers in it).
    tenths = _TENTHS.apply(number, _locale(locale))
    return gettext("%(mi)s mi", mi=tenths) if miles else gettext("%(km)s km", km=tenths)


@lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def about_distance(km: float) -> str:
    """A distance known only roughly (a meeting placed by its postal code or town): whole units."""
    miles = uses_miles()
    return _about_words(max(round(km / KM_PER_MILE if miles else km), 1), miles, language())


@lru_cache(maxsize=1024)
def _about_words(whole: int, miles: bool, spoken: str) -> str:
    # Per whole number, unit and language, in a request whose language is ``spoken``.
    if miles:
        return gettext("about %(mi)s mi", mi=format_decimal(whole))
    return gettext("about %(km)s km", km=format_decimal(whole))


def zone_place(name: str) -> str:
    """A zone named by its place ("Los Angeles time"), never by its IANA id."""
    return zone_place_in(name, language())


@lru_cache(maxsize=4096)
def zone_place_in(name: str, locale: str) -> str:
    """:func:`zone_place` in ``locale``, called in a request whose language it is (for gettext)."""
    try:
        place = get_timezone_location(name, locale=locale, return_city=True)
    except LookupError:
        place = name.rsplit("/", 1)[-1].replace("_", " ")
    return gettext("%(place)s time", place=place)


def units_url(choice: str) -> str:
    """This page, with its filters kept, in the units ``choice``."""
    return page_with("units", choice)


def remember_units(response: Response) -> Response:
    """Keep an explicit ``?units=`` choice in a preference cookie."""
    return remember_choice(response, "units", COOKIE, CHOICES)


def init_app(app: Flask) -> None:
    """Register the unit helpers for templates and the preference cookie."""
    app.after_request(remember_units)
    app.jinja_env.globals.update(uses_miles=uses_miles, format_clock=clock, format_distance=distance,
                                 format_about_distance=about_distance,
                                 zone_place=zone_place, units_url=units_url)

