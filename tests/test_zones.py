"""finder.zones: exactly the IANA zone names this machine knows, loaded once and shared."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo

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
    "America",  # a folder
    "zone.tab",  # a file that is not a zone
    "America/../Europe/Berlin",
    "/usr/share/zoneinfo/UTC",
    "Europe/Berlin\x00",
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


def test_zone_name_accepts_exactly_the_listed_zones():
    # zone_name reads one zone where known_zones lists every file: over every file and folder
    # of the machine's zone folders and the tzdata package, the two must agree.
    roots = [Path(root) for root in TZPATH if os.path.isdir(root)]
    roots.append(Path(str(resources.files("tzdata").joinpath("zoneinfo"))))
    names = {"UTC"}
    for root in roots:
        for folder, dirs, files in os.walk(root, followlinks=True):
            names.update(Path(folder, entry).relative_to(root).as_posix() for entry in dirs + files)
    listed = set(known_zones())
    assert len(names) > len(listed) > 300
    assert {name for name in names if zone_name(name)} == listed
