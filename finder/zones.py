"""Time zones: the one check of an IANA zone name, and the loaded zones every caller shares."""
from __future__ import annotations

from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# Files in the zone folder that are not zones of their own: the machine's local zone and the
# POSIX rules template. ``posix/…`` and ``right/…`` copies are never listed by zoneinfo.
_NOT_ZONES = frozenset({"localtime", "posixrules"})
_COPIES = ("posix/", "right/")


@cache
def known_zones() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted."""
    return tuple(sorted((available_timezones() | {"UTC"}) - _NOT_ZONES))


@lru_cache(maxsize=1024)
def _is_zone(name: str) -> bool:
    # One zone file read, where listing them all (known_zones) opens ~600: 12 ms of every
    # `finder import`. It accepts exactly the names known_zones() lists (tests/test_zones.py
    # compares the two over every file and folder in the zone folders).
    if name == "UTC":
        return True
    if name in _NOT_ZONES or name.startswith(_COPIES):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, malformed, not a TZif file
        return False
    return True


def zone_name(name: object) -> str | None:
    """``name`` if it is exactly an IANA zone name this machine knows, else None.

    The test is exact: callers that read free text strip it first, so " America/New_York"
    from a feed is cleaned by the importer and never stored with its space.
    """
    return name if isinstance(name, str) and _is_zone(name) else None


@cache
def zoneinfo(name: str) -> ZoneInfo:
    """The loaded zone called ``name``; raises KeyError for a name :func:`zone_name` refuses.

    Kept alive here because ZoneInfo's own cache holds only a few zones: without it a search
    or a feed would read hundreds of zone files again.
    """
    if zone_name(name) is None:
        raise KeyError(f"not an IANA time zone: {name!r}")
    return ZoneInfo(name)


def zone_or_none(name: object) -> ZoneInfo | None:
    """The loaded zone called ``name``, or None for a missing or unknown name."""
    return zoneinfo(name) if zone_name(name) is not None else None  # type: ignore[arg-type]


@lru_cache(maxsize=1024)  # asked for every row of a page: one look-up, not the checks each time
def stored_zone(name: str) -> ZoneInfo:
    """The zone of a stored meeting; UTC for a name this machine does not know.

    Every way in refuses unknown zones, but a row written before that (or a tz database older
    than the one that wrote it) must still give a page, a feed and a search, not a 500.
    """
    return zone_or_none(name) or zoneinfo("UTC")
