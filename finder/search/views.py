"""The search page: a place, a day, a way to attend; results in the seeker's own time."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request, url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from finder.enums import Attendance, Fellowship
from finder.geo.suggest import suggest_places
from finder.meetings.display import clocks_differ
from finder.meetings.freshness import Freshness, confirmation_columns, page_freshness
from finder.search.criteria import DEFAULT_RADIUS_KM, ORDERS, Criteria, Hit
from finder.search.facets import Facets, facets
from finder.search.loading import RowLoader
from finder.search.params import ApiError, criteria_from_args
from finder.search.query import CursorError, search
from finder.search.rows import Soon, badges, other_days, soon
from finder.web.i18n import DAY_NAMES, gettext, language, ngettext
from finder.web.responses import meeting_pages, page_with
from finder.web.seeker import fixed_now, seeker_zone
from finder.web.templating import ATTENDANCE_NAMES, FELLOWSHIP_NAMES, attendance_badge, local_date
from finder.web.type_names import type_name
from finder.web.units import (
    KM_PER_MILE,
    about_distance,
    clock_of,
    distance,
    uses_miles,
    zone_place_in,
)
from finder.zones import stored_zone, zoneinfo
from importers.normalize import web_url

bp = Blueprint("search", __name__)

RADIUS_CHOICES = (5, 10, 25, 50, 100)
MILE_CHOICES = (3, 5, 15, 30, 60)
TYPE_CHOICES = ("O", "C", "BE", "W", "M", "Y", "LGBTQ", "S", "X")
LIST_PARAMETERS = ("attendance", "types")
SEARCH_PARAMETERS = ("near", "lat", "attendance", "day", "starting_within", "from", "to",
                     "fellowship", "types", "region", "q", "part")
PAGE_ONLY = ("page", "view", "part")  # the page reads these; the search does not
#: Times of day as start-time windows (a night runs past midnight).
PARTS_OF_DAY = {"morning": ("05:00", "12:00"), "midday": ("11:00", "14:00"),
                "evening": ("17:00", "21:00"), "night": ("21:00", "05:00")}
SOON_MINUTES = 60
#: The page reads plain rows of the columns its list, its filters and its helpers use, with
#: their confirmations, in one query: no ORM objects for rows it only shows.
ROWS = RowLoader(("name", "day", "time", "end_time", "timezone", "attendance_option", "types",
                   "formatted_address", "latitude", "longitude", "approximate", "conference_url",
                   "conference_phone", "recurrence", "source_id", "region"), confirmation_columns())


class Result(NamedTuple):
    """One meeting in the list: the row, its distance, its start for the seeker and how soon.

    The row's words are made here, once per row: a helper called from the template costs more
    than the words themselves, fifty rows a page. A named tuple: a frozen dataclass of as many
    fields costs several times as much to make.
    """

    meeting: Any  # a row of ROWS: reads like the model (``meeting.name``)
    distance_km: float | None
    start: datetime
    soon: Soon
    also: str | None = None
    clock: str = ""  # the start on the reader's clock
    zone: str = ""  # the meeting's own time and zone where the seeker's differs, or its zone
    rough: bool = False  # placed by its postal code or town: "about 3 km"
    distance: str = ""
    tags: tuple[str, ...] = ()  # the names of the types worth a badge
    badge: Markup = Markup()  # how one attends
    stale: Markup | None = None  # "Not confirmed since ..." when it may be out of date
    where: str | None = None  # the address of a meeting attended in person
    join_url: str | None = None  # the link to join, while it is on or about to start
    start_iso: str = ""  # the start as the <time> element's datetime
    href: str = ""  # the meeting's page, leading back to this search


@dataclass(frozen=True)
class Reader:
    """What every row of a page is shown in: the language, the units, the attendance badges, and
    where a meeting's page is (its id goes between ``pages`` and ``back``)."""

    language: str
    miles: bool  # and a 12-hour clock
    badges: dict[Attendance, Markup]
    pages: str = ""  # the meeting pages' path, without the id: not 50 url_for
    back: str = ""  # the query leading back to this search from a meeting's page

    @classmethod
    def of_request(cls) -> Reader:
        """This request's reader."""
        spoken = language()
        back = back_query(request.args)
        return cls(spoken, uses_miles(), _badges(spoken),
                   meeting_pages(external=False),
                   "?" + urlencode({"search": back}) if back else "")


@lru_cache(maxsize=16)
def _badges(spoken: str) -> dict[Attendance, Markup]:
    # Called in a request whose language is ``spoken``, as the badges themselves are.
    return {option: attendance_badge(option) for option in Attendance}


def api_arguments(args: MultiDict[str, str], zone: ZoneInfo | None) -> dict[str, str]:
    """The form's query string as the API reads it (check boxes become comma lists)."""
    flat = {key: value for key, value in args.items()
            if key not in LIST_PARAMETERS and key not in PAGE_ONLY}
    for key in LIST_PARAMETERS:
        if values := [value for value in args.getlist(key) if value]:
            flat[key] = ",".join(values)
    if not flat.get("tz") and zone is not None:
        flat["tz"] = zone.key
    part = PARTS_OF_DAY.get(args.get("part", ""))
    if part and not any(flat.get(key) for key in ("from", "to", "starting_within")):
        flat["from"], flat["to"] = part
    if flat.get("order") not in ORDERS:
        flat["order"] = "time"  # the page lists the soonest first; the API keeps its own default
    return flat


def run(arguments: dict[str, str], zone: ZoneInfo | None) -> tuple[list[Result], str | None, Criteria]:
    """Search and shape the hits for the page; ApiError (naming the parameter) on bad input.

    Times are shown in the seeker's ``zone`` when it is known, else in the searched place's zone
    (the first guess, before the browser has told its own), else in each meeting's own.
    """
    criteria = replace(criteria_from_args(arguments), now=fixed_now())
    try:
        page = search(criteria, ROWS)
    except CursorError:
        raise ApiError(gettext("This page of results has expired; search again."), "cursor") from None
    shown = zone or (zoneinfo(criteria.tz) if criteria.has_origin else None)
    also = other_days(hit.meeting for hit in page.hits) if criteria.order == "time" else {}
    fresh = page_freshness((hit.meeting for hit in page.hits), page.now)
    reader = Reader.of_request()
    results = [result(hit, shown, page.now, also.get(hit.meeting.id), fresh.get(hit.meeting.id), reader)
               for hit in page.hits]
    return results, page.next, criteria


def result(hit: Hit, shown: ZoneInfo | None, now: datetime, also: str | None,
           fresh: Freshness | None, reader: Reader) -> Result:
    """One hit as the list shows it, in the ``shown`` zone (else in the meeting's own)."""
    meeting, spoken, miles = hit.meeting, reader.language, reader.miles
    start = hit.next_start if shown else hit.next_start.astimezone(zoneinfo(meeting.timezone))
    zone = ""
    if shown is None:
        zone = zone_place_in(meeting.timezone, spoken)
    elif clocks_differ(own := hit.next_start.astimezone(stored_zone(meeting.timezone)), shown):
        zone = f"({clock_of(own.hour, own.minute, miles, spoken)} {zone_place_in(meeting.timezone, spoken)})"
    rough = meeting.approximate and meeting.attendance_option != Attendance.ONLINE
    km = hit.distance_km
    shown_km = "" if km is None else about_distance(km) if rough else distance(km, miles, spoken)
    when = soon(meeting, start, now, spoken)
    return Result(meeting, km, start, when, also, clock_of(start.hour, start.minute, miles, spoken),
                  zone, rough, shown_km, tags(tuple(meeting.types), spoken),
                  reader.badges[meeting.attendance_option], stale_words(fresh, spoken),
                  meeting.formatted_address if meeting.attendance_option != Attendance.ONLINE else None,
                  web_url(meeting.conference_url) if when.joinable else None, start.isoformat(),
                  f"{reader.pages}/{meeting.id}{reader.back}")


@lru_cache(maxsize=4096)
def tags(types: tuple[str, ...], spoken: str) -> tuple[str, ...]:
    """The names of the types worth a badge, in the language ``spoken``: kept per set of types,
    which a page's rows share."""
    return tuple(type_name(code, spoken) for code in badges(types, spoken))


def stale_words(fresh: Freshness | None, spoken: str) -> Markup | None:
    """Why a listing may be out of date, worded as the template's ``_()`` words it (the catalogue's
    text is trusted, the date escaped), in the request's language ``spoken``."""
    if fresh is None or not fresh.stale:
        return None
    return _stale_words(None if fresh.confirmed is None else fresh.confirmed.date(), spoken)


@lru_cache(maxsize=1024)
def _stale_words(confirmed: date | None, spoken: str) -> Markup:
    # Per date and language: the rows of one source share its last import's date. Called in a
    # request whose language is ``spoken``, so gettext and the date answer in it.
    if confirmed is None:
        return Markup(gettext("Not confirmed yet."))
    return Markup(gettext("Not confirmed since %(date)s.")) % {"date": local_date(confirmed, "medium")}


@bp.get("/")
def index() -> tuple[str, int]:
    """The search form, and the results when something was asked for (else online meetings soon)."""
    searched = any(request.args.get(key) for key in SEARCH_PARAMETERS)
    zone = seeker_zone()
    arguments = api_arguments(request.args, zone)
    if not searched:
        arguments |= {"attendance": "online", "starting_within": str(SOON_MINUTES), "limit": "10"}
    errors: dict[str, str] = {}
    results: list[Result] = []
    next_url = criteria = None
    suggestions: list[tuple[str, str]] = []
    page_number = max(1, request.args.get("page", 1, type=int) or 1) if request.args.get("cursor") else 1
    try:
        results, cursor, criteria = run(arguments, zone)
    except ApiError as error:
        errors[error.parameter or "near"] = error.message
        cursor = None
        if error.parameter == "near" and error.status == 400 and request.args.get("near"):
            suggestions = [(place, url_for("search.index", **(request.args.to_dict(flat=False) | {"near": [place]})))
                           for place in suggest_places(request.args["near"])]
    if cursor and searched:
        query = request.args.to_dict(flat=False) | {"cursor": [cursor], "page": [str(page_number + 1)]}
        next_url = url_for("search.index", **query)
    offered = facets(criteria, (result.meeting for result in results)) if criteria and searched \
        else Facets(TYPE_CHOICES, ())
    view = "map" if request.args.get("view") == "map" else "list"
    tile_url = current_app.config.get("TILE_URL", "")
    return render_template(
        "search/index.html",
        form=form_values(request.args),
        errors=errors,
        suggestions=suggestions,
        searched=searched,
        results=results,
        status=status_text(results, criteria, page_number, bool(next_url)) if criteria else "",
        only_online=criteria is not None and only_online(results, criteria),
        near_you=bool(request.args.get("lat")),
        page_number=page_number,
        next_url=next_url,
        view=view,
        show_map=bool(tile_url and view == "map" and any(r.distance_km is not None for r in results)),
        # Shown only beside a map's tiles: not two url_for on every page without them.
        list_url=view_url("list") if tile_url else "",
        map_url=view_url("map") if tile_url else "",
        tile_url=tile_url,
        tile_attribution=current_app.config.get("TILE_ATTRIBUTION", ""),
        radius_choices=radius_choices(request.args.get("radius_km", type=float) or DEFAULT_RADIUS_KM),
        **fixed_choices(language(), uses_miles()),
        type_choices=type_choices(offered.types, language()),
        region_choices=offered.regions,
    ), 400 if errors else 200


def view_url(view: str) -> str:
    """This search shown as a list or on the map."""
    return page_with("view", view, every_value=True)


def back_query(args: MultiDict[str, str]) -> str:
    """This search as a query string for the meeting pages' "back to the results" (page one)."""
    return urlencode([(key, value) for key, value in args.items(multi=True)
                      if value and key not in ("cursor", "page")])


def radius_choices(radius_km: float) -> list[tuple[str, str, bool]]:
    """``(radius_km value, label, selected)`` in the reader's unit; the nearest one is selected."""
    if uses_miles():
        choices = [(miles * KM_PER_MILE, gettext("%(mi)s mi", mi=miles)) for miles in MILE_CHOICES]
    else:
        choices = [(float(km), gettext("%(km)s km", km=km)) for km in RADIUS_CHOICES]
    nearest = min(choices, key=lambda choice: abs(choice[0] - radius_km))
    return [(f"{km:.2f}".rstrip("0").rstrip("."), label, (km, label) == nearest) for km, label in choices]


@lru_cache(maxsize=16)
def fixed_choices(spoken: str, miles: bool) -> dict[str, tuple[tuple[Any, Markup | str], ...]]:
    """The form's choices that change only with the language ``spoken`` and the clock: days, ways
    to attend, fellowships and times of day, as ``(value, label)``. Called in a request whose
    language is ``spoken`` (gettext answers in it); the names are the catalogue's own, trusted
    as the lazy strings they were read from are."""
    return {
        "day_choices": tuple((number, Markup(name)) for number, name in enumerate(DAY_NAMES)),
        "attendance_choices": tuple((option.value, Markup(label)) for option, label in ATTENDANCE_NAMES.items()
                                    if option.value != "inactive"),
        "fellowship_choices": tuple((f.value, Markup(FELLOWSHIP_NAMES[f])) for f in Fellowship),
        "part_choices": part_choices(miles, spoken),
    }


def part_choices(miles: bool, spoken: str) -> tuple[tuple[str, str], ...]:
    """``(value, label)`` of the times of day, with their hours on the reader's clock."""
    labels = {"morning": gettext("Morning"), "midday": gettext("Midday"),
              "evening": gettext("Evening"), "night": gettext("Night")}
    return tuple((key, f"{labels[key]} ({clock_of(int(low[:2]), 0, miles, spoken)}–"
                       f"{clock_of(int(high[:2]), 0, miles, spoken)})")
                 for key, (low, high) in PARTS_OF_DAY.items())


def type_choices(codes: tuple[str, ...], spoken: str) -> list[tuple[str, str]]:
    """``(code, name)`` of the types offered, by name in the language ``spoken``."""
    return sorted(((code, type_name(code, spoken)) for code in codes), key=lambda choice: choice[1].casefold())


def only_online(results: list[Result], criteria: Criteria) -> bool:
    """True when a place was searched for in-person meetings and only online ones were found."""
    wanted = criteria.attendance or {Attendance.IN_PERSON}
    return (criteria.has_origin and Attendance.IN_PERSON in wanted and criteria.cursor is None
            and all(result.meeting.attendance_option == Attendance.ONLINE for result in results))


def status_text(results: list[Result], criteria: Criteria, page_number: int, more: bool) -> str:
    """The count of results, worded for the page it is on."""
    count = len(results)
    if page_number > 1:
        return ngettext("Page %(page)d: %(num)d more meeting.", "Page %(page)d: %(num)d more meetings.",
                        count, page=page_number)
    if more:
        return ngettext("The first %(num)d meeting found.", "The first %(num)d meetings found.", count)
    return ngettext("%(num)d meeting found.", "%(num)d meetings found.", count)


def form_values(args: MultiDict[str, str]) -> dict[str, Any]:
    """What the seeker typed and ticked, to show the form as they left it."""
    values: dict[str, Any] = {key: args.get(key, "") for key in
                              ("near", "lat", "lon", "tz", "day", "starting_within", "fellowship", "region", "q")}
    values["radius_km"] = args.get("radius_km", f"{DEFAULT_RADIUS_KM:g}")
    values["part"] = args.get("part") if args.get("part") in PARTS_OF_DAY else ""
    values["order"] = args.get("order") if args.get("order") in ORDERS else "time"
    for key in LIST_PARAMETERS:
        values[key] = args.getlist(key)
    return values
