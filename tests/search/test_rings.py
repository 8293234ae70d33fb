"""The in-person list's first ring, sized by the density of rows around the origin (density.py)."""
from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from geopy.distance import great_circle

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.points import EARTH_RADIUS_KM
from finder.models import Meeting, Source
from finder.search import density, query
from finder.search.criteria import Criteria
from finder.search.query import FIRST_RING_KM, WHOLE_CIRCLE, search
from tests.conftest import meeting_values

ORIGIN = (40.75, -73.99)
NOW = datetime(2026, 1, 13, 17, 0, tzinfo=UTC)
IN_PERSON = frozenset({Attendance.IN_PERSON})


def _place(count: int, low_km: float, high_km: float, seed: int = 3) -> None:
    """``count`` meetings ``low_km`` to ``high_km`` around ORIGIN, evenly over the area, mixed
    attendance, days and types."""
    rng = random.Random(seed)
    sphere = great_circle(radius=EARTH_RADIUS_KM)
    source = Source(name=f"s{seed}", url="https://example.org/f.json", format="meeting-guide",
                    fellowship=meeting_values({})["fellowship"])
    db.session.add(source)
    db.session.flush()
    for index in range(count):
        km = math.sqrt(rng.uniform(low_km ** 2, high_km ** 2))
        point = sphere.destination(ORIGIN, rng.uniform(0, 360), km)
        db.session.add(Meeting(**meeting_values({
            "source_id": source.id, "source_key": f"k{index}", "name": f"m{seed}-{index}",
            "day": rng.randrange(7), "time": f"{rng.randrange(24):02d}:00",
            "attendance_option": rng.choice((Attendance.IN_PERSON,) * 3 + (Attendance.HYBRID,)),
            "types": ("O",) if index % 3 else ("C",),
            "latitude": point.latitude, "longitude": point.longitude})))
    db.session.commit()


@pytest.fixture
def rings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The rings (km) of the in-person list's statements, in order."""
    found: list[float] = []
    real = query.near_keys
    monkeypatch.setattr(query, "near_keys", lambda *args: found.append(args[5]) or real(*args))
    yield found


def _search(**criteria) -> list:
    return search(Criteria(latitude=ORIGIN[0], longitude=ORIGIN[1], now=NOW, **criteria)).hits


def test_a_dense_origin_takes_one_small_ring(app_ctx, rings):
    _place(300, 0, 8)  # ~1.5 a km2: a 2 km ring holds ~19 of them, short of a page of 20
    hits = _search(radius_km=25, limit=20, attendance=IN_PERSON)
    assert len(hits) == 20
    assert len(rings) == 1
    assert FIRST_RING_KM < rings[0] < 25 * WHOLE_CIRCLE


def test_a_sparse_origin_reads_its_few_rows_in_one_ring(app_ctx, rings):
    _place(30, 5, 20)
    assert len(_search(radius_km=25, limit=50)) == 30
    assert rings == [25.0]


def test_a_sparse_origin_among_many_rows_starts_small(app_ctx, rings, monkeypatch):
    _place(30, 5, 20)
    monkeypatch.setattr(query, "CHEAP_ROWS", 29)  # as if the radius held a city: not read whole
    assert len(_search(radius_km=25, limit=50)) == 30
    assert rings[0] == FIRST_RING_KM


SEARCHES = [{"limit": 7}, {"limit": 20, "radius_km": 10}, {"limit": 5, "types": ("O",)},
            {"limit": 10, "day": 2, "tz": "America/New_York"},
            {"limit": 10, "radius_km": 3, "attendance": frozenset({Attendance.HYBRID})}]


def _pages(**criteria) -> list[tuple[int, float | None]]:
    """Every page of a search, followed by its cursor: ``(id, distance km)`` in order."""
    found, cursor = [], None
    while True:
        page = search(Criteria(latitude=ORIGIN[0], longitude=ORIGIN[1], now=NOW, cursor=cursor,
                               **criteria))
        found += [(hit.meeting.id, hit.distance_km) for hit in page.hits]
        if page.next is None:
            return found
        cursor = page.next


def test_the_estimate_changes_no_result(app_ctx, monkeypatch):
    _place(250, 0, 12)
    _place(60, 12, 40, seed=4)
    sized = [_pages(**criteria) for criteria in SEARCHES]
    monkeypatch.setattr(query, "_first_ring", lambda _query, _options, done, _enough:
                        max(FIRST_RING_KM, done * 1.5))  # the fixed first ring it replaced
    for criteria, mine in zip(SEARCHES, sized, strict=True):
        assert len(mine) > 3
        assert _pages(**criteria) == mine


def test_the_grid_outlives_a_write_until_it_is_stale(app_ctx):
    _place(40, 0, 5)
    before = density.rows_per_km2(*ORIGIN, IN_PERSON)
    assert before > 0
    _place(40, 0, 5, seed=5)
    assert density.rows_per_km2(*ORIGIN, IN_PERSON) == before  # no statement per write
    density._grids[db.engine].checked = time.monotonic() - density.REFRESH_SECONDS
    assert density.rows_per_km2(*ORIGIN, IN_PERSON) > before
