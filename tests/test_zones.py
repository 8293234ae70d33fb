"""finder.zones: exactly the IANA zone names this machine knows, loaded once and shared."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from finder.zones import known_zones, zone_name, zone_or_none, zoneinfo


@pytest.mark.parametrize("name", ["UTC", "Europe/Berlin", "America/New_York", "Etc/GMT+3"])
def test_known_names_are_accepted(name):
    assert zone_name(name) == name
    assert zone_or_none(name) == ZoneInfo(name)
    assert zoneinfo(name).key == name


@pytest.mark.parametrize("name", [
    "posixrules",  # the POSIX rules template, not a zone
    "posix/Europe/Berlin",  # a copy that zoneinfo never lists
    "right/UTC",
    " America/New_York",  # the check is exact: callers strip free text first
    "America/New_York ",
    "america/new_york",
    "localtime",  # the machine's own zone, whatever it is
    "Mars/Olympus_Mons",
    "",
    None,
    5,
    b"UTC",
])
def test_other_names_are_refused(name):
    assert zone_name(name) is None
    assert zone_or_none(name) is None


@pytest.mark.parametrize("name", ["posixrules", "posix/Europe/Berlin", "localtime", "Nowhere"])
def test_zoneinfo_raises_for_a_refused_name(name):
    with pytest.raises(KeyError):
        zoneinfo(name)


def test_known_zones_are_sorted_zone_names_only():
    zones = known_zones()
    assert list(zones) == sorted(set(zones))
    assert {"UTC", "Europe/Berlin", "America/New_York"} <= set(zones)
    assert not {"localtime", "posixrules"} & set(zones)
    assert not [zone for zone in zones if zone.startswith(("posix/", "right/"))]


def test_each_zone_is_loaded_once():
    assert zoneinfo("Europe/Berlin") is zoneinfo("Europe/Berlin")
    assert zone_or_none("Europe/Berlin") is zoneinfo("Europe/Berlin")
