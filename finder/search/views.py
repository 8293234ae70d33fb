"""The search page: a place, a day, a way to attend; results in the seeker's own time."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext, ngettext
from werkzeug.datastructures import MultiDict

from finder.enums import Fellowship
from finder.meetings.display import When, when
from finder.models import Meeting
from finder.search.params import ApiError, criteria_from_args
from finder.search.query import DEFAULT_RADIUS_KM, CursorError, search
from finder.web.i18n import DAY_NAMES
from finder.web.seeker import seeker_zone
from finder.web.templating import ATTENDANCE_NAMES, FELLOWSHIP_NAMES

bp = Blueprint("search", __name__)

RADIUS_CHOICES = (5, 10, 25, 50, 100)
TYPE_CHOICES = ("O", "C", "BE", "W", "M", "Y", "LGBTQ", "S", "X")
LIST_PARAMETERS = ("attendance", "types")
SEARCH_PARAMETERS = ("near", "lat", "attendance", "day", "starting_within", "from", "to",
                     "fellowship", "types", "q")
SOON_MINUTES = 60


@dataclass(frozen=True)
class Result:
    """One meeting in the list: the row, its distance, and its time for the seeker."""

    meeting: Meeting
    distance_km: float | None
    when: When


def api_arguments(args: MultiDict[str, str], zone: ZoneInfo | None) -> dict[str, str]:
    """The form's query string as the API reads it (check boxes become comma lists)."""
    flat = {key: value for key, value in args.items() if key not in LIST_PARAMETERS}
    for key in LIST_PARAMETERS:
        if values := [value for value in args.getlist(key) if value]:
            flat[key] = ",".join(values)
    if not flat.get("tz") and zone is not None:
        flat["tz"] = zone.key
    return flat


def run(arguments: dict[str, str], zone: ZoneInfo | None) -> tuple[list[Result], str | None]:
    """Search and shape the hits for the page; ApiError (naming the parameter) on bad input.

    Times are shown in the seeker's ``zone`` only when it is known (the search itself falls
    back to the origin's zone, else UTC).
    """
    criteria = criteria_from_args(arguments)
    try:
        page = search(criteria)
    except CursorError:
        raise ApiError(gettext("This page of results has expired; search again."), "cursor") from None
    results = [Result(hit.meeting, hit.distance_km, when(hit.meeting, zone, page.now, hit.next_start))
               for hit in page.hits]
    return results, page.next


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
    next_url = None
    try:
        results, cursor = run(arguments, zone)
    except ApiError as error:
        errors[error.parameter or "near"] = error.message
        cursor = None
    if cursor and searched:
        query = request.args.to_dict(flat=False) | {"cursor": [cursor]}
        next_url = url_for("search.index", **query)
    summary = ngettext("%(num)d meeting found.", "%(num)d meetings found.", len(results))
    if next_url:
        summary = ngettext("The first %(num)d meeting found.", "The first %(num)d meetings found.",
                           len(results))
    return render_template(
        "search/index.html",
        form=form_values(request.args),
        errors=errors,
        searched=searched,
        results=results,
        summary=summary,
        next_url=next_url,
        zone_known=zone is not None,
        tile_url=current_app.config.get("TILE_URL", ""),
        tile_attribution=current_app.config.get("TILE_ATTRIBUTION", ""),
        radius_choices=RADIUS_CHOICES,
        day_choices=list(enumerate(DAY_NAMES)),
        attendance_choices=[(option.value, label) for option, label in ATTENDANCE_NAMES.items()
                            if option.value != "inactive"],
        fellowship_choices=[(f.value, FELLOWSHIP_NAMES[f]) for f in Fellowship],
        type_choices=TYPE_CHOICES,
    ), 400 if errors else 200


def form_values(args: MultiDict[str, str]) -> dict[str, Any]:
    """What the seeker typed and ticked, to show the form as they left it."""
    values: dict[str, Any] = {key: args.get(key, "") for key in
                              ("near", "lat", "lon", "tz", "day", "starting_within", "fellowship", "q")}
    values["radius_km"] = args.get("radius_km", f"{DEFAULT_RADIUS_KM:g}")
    for key in LIST_PARAMETERS:
        values[key] = args.getlist(key)
    return values
