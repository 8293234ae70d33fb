"""Reading the JSON API's query parameters into search criteria, with errors that name them."""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TypeVar

from flask_babel import gettext

from finder.enums import Fellowship
from finder.geo.cache import app_geocoder
from finder.geo.geocoding import GeocodeError, GeocodeServiceError, geocode
from finder.search.criteria import ATTENDABLE, DEFAULT_RADIUS_KM, ORDERS, TYPE_CODE, Criteria
from finder.search.lists import zone_near
from finder.weekly import parse_clock
from finder.zones import zone_or_none

T = TypeVar("T")

MAX_RADIUS_KM = 500.0
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
MAX_Q = 200
MAX_REGION = 255


class ApiError(Exception):
    """A request the API refuses: a message for people, the parameter at fault, an HTTP status."""

    def __init__(self, message: str, parameter: str | None = None, status: int = 400) -> None:
        """Keep the parts of the JSON error body."""
        super().__init__(message)
        self.message, self.parameter, self.status = message, parameter, status


def _one(args: Mapping[str, str], name: str, parse: Callable[[str], T], message: str) -> T | None:
    """Parse one optional parameter; ApiError naming it when the value does not parse."""
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse(raw.strip())
    except (ValueError, OverflowError):
        raise ApiError(message, name) from None


def _number(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(text)
        return value
    return parse


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value
    return parse


def _choices(allowed: Mapping[str, T]) -> Callable[[str], frozenset[T]]:
    def parse(text: str) -> frozenset[T]:
        words = [word.strip().lower() for word in text.split(",") if word.strip()]
        if not words or any(word not in allowed for word in words):
            raise ValueError(text)
        return frozenset(allowed[word] for word in words)
    return parse


def _types(text: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(code.strip() for code in text.split(",") if code.strip()))
    if not codes or not all(TYPE_CODE.match(code) for code in codes):
        raise ValueError(text)
    return codes


def _origin(args: Mapping[str, str]) -> tuple[float | None, float | None]:
    """The search origin from ``lat``/``lon`` or from geocoding ``near``."""
    lat = _one(args, "lat", _number(-90, 90), "lat must be a number from -90 to 90.")
    lon = _one(args, "lon", _number(-180, 180), "lon must be a number from -180 to 180.")
    near = (args.get("near") or "").strip()
    if (lat is None) != (lon is None):
        raise ApiError("lat and lon must be given together.", "lon" if lon is None else "lat")
    if near and lat is not None:
        raise ApiError("Give either near or lat and lon, not both.", "near")
    if not near:
        return lat, lon
    try:
        point = geocode(near, app_geocoder())
    except GeocodeError as error:
        raise ApiError(str(error), "near") from None
    except GeocodeServiceError:
        raise ApiError(gettext("The place search is not available right now; try again, or give "
                               "lat and lon."), "near", status=503) from None
    if point is None:
        # In the reader's language: the search page shows this one beside the place field.
        raise ApiError(gettext("No place called “%(place)s” is known. Try a ZIP code, "
                               "“City, State” or “City, Country”.", place=near), "near")
    return point.latitude, point.longitude


def criteria_from_args(args: Mapping[str, str]) -> Criteria:
    """Build search criteria from the query string; ApiError for the first bad parameter."""
    latitude, longitude = _origin(args)
    tz = args.get("tz")
    zone = zone_or_none(tz)
    if tz and zone is None:
        raise ApiError("tz must be an IANA time zone name such as America/New_York.", "tz")
    if zone is None:
        zone_name = (zone_near(latitude, longitude) if latitude is not None else None) or "UTC"
    else:
        zone_name = zone.key
    time_from = _one(args, "from", parse_clock, "from must be a time as HH:MM (00:00 to 23:59).")
    time_to = _one(args, "to", parse_clock, "to must be a time as HH:MM (00:00 to 23:59).")
    if time_from is not None and time_from == time_to:
        raise ApiError("to must differ from from (a window past midnight ends the next day).", "to")
    soon = _one(args, "starting_within", _integer(1, 1440),
                "starting_within must be a whole number of minutes from 1 to 1440.")
    if soon is not None and (time_from is not None or time_to is not None):
        raise ApiError("Give either starting_within or from/to, not both.", "starting_within")
    q = (args.get("q") or "").strip()
    if len(q) > MAX_Q:
        raise ApiError(f"q can be at most {MAX_Q} characters long.", "q")
    region = (args.get("region") or "").strip() or None
    if region is not None and len(region) > MAX_REGION:
        raise ApiError(f"region can be at most {MAX_REGION} characters long.", "region")
    cursor = args.get("cursor") or None
    if cursor is not None and len(cursor) > 500:
        raise ApiError("cursor is not one this server made.", "cursor")
    order = (args.get("order") or "distance").strip()
    if order not in ORDERS:
        raise ApiError("order is distance (the default) or time.", "order")
    return Criteria(
        order=order,
        latitude=latitude,
        longitude=longitude,
        radius_km=_one(args, "radius_km", _number(0.001, MAX_RADIUS_KM),
                       f"radius_km must be a number above 0 and at most {MAX_RADIUS_KM:g}.") or DEFAULT_RADIUS_KM,
        attendance=_one(args, "attendance", _choices({a.value: a for a in ATTENDABLE}),
                        "attendance is a comma-separated list of in_person, hybrid, online.")
        or frozenset(),
        fellowships=_one(args, "fellowship", _choices({f.value: f for f in Fellowship}),
                         "fellowship is a comma-separated list of "
                         + ", ".join(f.value for f in Fellowship) + ".") or frozenset(),
        day=_one(args, "day", _integer(0, 6), "day must be 0 (Sunday) to 6 (Saturday)."),
        time_from=time_from,
        time_to=time_to,
        starting_within=soon,
        types=_one(args, "types", _types, "types is a comma-separated list of type codes.") or (),
        region=region,
        q=q,
        tz=zone_name,
        limit=_one(args, "limit", _integer(1, MAX_LIMIT),
                   f"limit must be a whole number from 1 to {MAX_LIMIT}.") or DEFAULT_LIMIT,
        cursor=cursor,
    )

