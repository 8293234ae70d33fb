"""The time zones offered in the submission form, by the names people use for them."""
from __future__ import annotations

from flask_babel import lazy_gettext

from finder.zones import zone_name

#: Common zones of the fellowships' meetings, west to east; any other zone stays valid in the API.
COMMON_ZONES = (
    ("Pacific/Honolulu", lazy_gettext("Hawaii Time (Honolulu)")),
    ("America/Anchorage", lazy_gettext("Alaska Time (Anchorage)")),
    ("America/Los_Angeles", lazy_gettext("Pacific Time (Los Angeles)")),
    ("America/Denver", lazy_gettext("Mountain Time (Denver)")),
    ("America/Phoenix", lazy_gettext("Mountain Time, no daylight saving (Phoenix)")),
    ("America/Chicago", lazy_gettext("Central Time (Chicago)")),
    ("America/Mexico_City", lazy_gettext("Central Mexico (Mexico City)")),
    ("America/New_York", lazy_gettext("Eastern Time (New York)")),
    ("America/Halifax", lazy_gettext("Atlantic Time (Halifax)")),
    ("America/St_Johns", lazy_gettext("Newfoundland Time (St. John's)")),
    ("America/Bogota", lazy_gettext("Colombia Time (Bogotá)")),
    ("America/Sao_Paulo", lazy_gettext("Brasília Time (São Paulo)")),
    ("America/Argentina/Buenos_Aires", lazy_gettext("Argentina Time (Buenos Aires)")),
    ("UTC", lazy_gettext("Coordinated Universal Time (UTC)")),
    ("Europe/London", lazy_gettext("UK and Ireland Time (London)")),
    ("Europe/Lisbon", lazy_gettext("Western European Time (Lisbon)")),
    ("Europe/Berlin", lazy_gettext("Central European Time (Berlin, Paris, Madrid)")),
    ("Europe/Athens", lazy_gettext("Eastern European Time (Athens)")),
    ("Africa/Johannesburg", lazy_gettext("South Africa Time (Johannesburg)")),
    ("Asia/Kolkata", lazy_gettext("India Time (Kolkata)")),
    ("Asia/Tokyo", lazy_gettext("Japan Time (Tokyo)")),
    ("Australia/Perth", lazy_gettext("Western Australia Time (Perth)")),
    ("Australia/Sydney", lazy_gettext("Eastern Australia Time (Sydney)")),
    ("Pacific/Auckland", lazy_gettext("New Zealand Time (Auckland)")),
)


def zone_options(current: str | None) -> list[tuple[str, str]]:
    """The select's options: "from the address", the common zones, and ``current`` if another."""
    options = [("", str(lazy_gettext("From the address")))]
    options += [(name, str(label)) for name, label in COMMON_ZONES]
    if zone_name(current) and current not in dict(COMMON_ZONES):
        options.append((current, current))  # e.g. a listing's Europe/Madrid, kept as it is
    return options
