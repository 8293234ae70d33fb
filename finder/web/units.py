"""The reader's units: a 12- or 24-hour clock and miles or km, by their choice or their locale."""
from __future__ import annotations

from datetime import datetime

from babel.dates import get_timezone_location
from flask import Flask, Response, request, url_for
from flask_babel import format_decimal, format_time, get_locale, gettext

from finder.web.i18n import remember_choice

COOKIE = "units"
CHOICES = ("mi", "km")
#: Regions whose readers expect miles and a 12-hour clock.
IMPERIAL_REGIONS = frozenset({"US", "LR", "MM"})
KM_PER_MILE = 1.609344


def uses_miles() -> bool:
    """``?units=``, then the remembered choice, then the region of the browser's first language."""
    for choice in (request.args.get("units"), request.cookies.get(COOKIE)):
        if choice in CHOICES:
            return choice == "mi"
    for language, _quality in request.accept_languages:
        parts = language.replace("_", "-").split("-")
        return len(parts) > 1 and parts[1].upper() in IMPERIAL_REGIONS
    return False


def clock(moment: datetime) -> str:
    """The time of day of ``moment`` in its own zone, on the reader's clock."""
    return format_time(moment, "h:mm a" if uses_miles() else "HH:mm", rebase=False)


def distance(km: float) -> str:
    """A distance in the reader's unit, to a tenth."""
    if uses_miles():
        return gettext("%(mi)s mi", mi=format_decimal(km / KM_PER_MILE, "0.0"))
    return gettext("%(km)s km", km=format_decimal(km, "0.0"))


def about_distance(km: float) -> str:
    """A distance known only roughly (a meeting placed by its postal code or town): whole units."""
    if uses_miles():
        return gettext("about %(mi)s mi", mi=format_decimal(max(round(km / KM_PER_MILE), 1)))
    return gettext("about %(km)s km", km=format_decimal(max(round(km), 1)))


def zone_place(name: str) -> str:
    """A zone named by its place ("Los Angeles time"), never by its IANA id."""
    try:
        place = get_timezone_location(name, locale=str(get_locale() or "en"), return_city=True)
    except LookupError:
        place = name.rsplit("/", 1)[-1].replace("_", " ")
    return gettext("%(place)s time", place=place)


def units_url(choice: str) -> str:
    """This page, with its filters kept, in the units ``choice``."""
    args = {**request.args.to_dict(), **(request.view_args or {}), "units": choice}
    return url_for(request.endpoint or "search.index", **args)


def remember_units(response: Response) -> Response:
    """Keep an explicit ``?units=`` choice in a preference cookie."""
    return remember_choice(response, "units", COOKIE, CHOICES)


def init_app(app: Flask) -> None:
    """Register the unit helpers for templates and the preference cookie."""
    app.after_request(remember_units)
    app.jinja_env.globals.update(uses_miles=uses_miles, format_clock=clock, format_distance=distance,
                                 format_about_distance=about_distance,
                                 zone_place=zone_place, units_url=units_url)

