"""The indexed duplicate pass finds exactly what comparing every pair in a slot finds."""
from __future__ import annotations

import random
from collections import namedtuple

from finder.enums import Fellowship
from finder.sources.duplicates import find_originals, same_meeting

Row = namedtuple("Row", "id source_id fellowship day time name latitude longitude conference_url")


def every_pair(rows):
    """The old quadratic rule, kept here as the reference."""
    original = {}
    for index, row in enumerate(rows):
        for earlier in rows[:index]:
            if ((earlier.fellowship, earlier.day, earlier.time) == (row.fellowship, row.day, row.time)
                    and earlier.id not in original and earlier.source_id != row.source_id
                    and same_meeting(earlier, row)):
                original[row.id] = earlier.id
                break
    return original


def test_the_grid_finds_what_every_pair_finds():
    rng = random.Random(7)
    names = ["Serenity", "Big Book Study", "Step Sisters", "Happy Hour", "Keep It Simple"]
    places = [(40.7, -74.0), (-33.9, 151.2), (89.9999, 10.0), (0.0001, 179.99995), (0.0001, -179.99995)]
    rows = []
    for number in range(1, 1500):
        lat, lon = rng.choice(places)
        rows.append(Row(
            number, rng.randint(1, 3), Fellowship.AA, rng.randint(0, 1), rng.choice(["19:00", "20:00"]),
            rng.choice(names) + rng.choice(["", " Group", " (online)"]),
            lat + rng.uniform(-0.0006, 0.0006), lon + rng.uniform(-0.0006, 0.0006),
            rng.choice([None, None, "https://zoom.us/j/123456789", "https://meet.jit.si/room"]),
        ))
    expected = every_pair(rows)
    assert expected  # the data holds copies, so the comparison means something
    assert find_originals(rows) == expected
