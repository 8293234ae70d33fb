"""The SQL of the two result lists: ids and sort keys of one page, before any row is read.

The in-person list is ranked by distance (haversine's ``a`` on the indexed box; PostGIS metres
when the ``geog`` column is there), the online list by minutes until the next start (one
statement joined to the local slots of the zones that hold meetings). Both give ids and sort
keys; only the final page's rows are read in full (finder/search/query.py). In time order, the
start-time list keeps each series' next occurrence only (finder/search/soonest.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from finder.enums import Attendance
from finder.extensions import db
from finder.geo.points import bounding_box, timezone_at
from finder.search import driver
from finder.search.criteria import Criteria
from finder.search.loading import Loader, RowLoader
from finder.search.near_sql import CHORD, chord_km, chord_limit, near_query, within_sql
from finder.search.postgis import geography_within, postgis_schema
from finder.search.sql import slot_params, starts_query, zone_window_sql
from finder.search.windows import Window, start_slots
from finder.search.zone_sets import zones_by_option, zones_near
from finder.weekly import WEEK_MINUTES, minute_of_week

#: Kilometres per sort-key unit of the PostGIS in-person list (metres).
METRES = 1000.0


@dataclass
class Query:
    """What both lists share: the criteria, the instant, the filters and the seeker windows.

    Sort keys count minutes from ``base``: the search instant, or ``lookback`` minutes before it
    in time order (so meetings in progress sort first).
    """

    criteria: Criteria
    now: datetime
    filters: tuple[list[str], dict[str, Any]]
    windows: tuple[Window, ...]
    lookback: int = 0

    @property
    def base(self) -> datetime:
        """The instant sort keys count from."""
        return self.now - timedelta(minutes=self.lookback)

    @property
    def by_time(self) -> bool:
        """True when both lists are in next-start order, one row per meeting series."""
        return self.criteria.order == "time"


def page_keys(page: Any) -> list[tuple[int, None, Any]]:
    """The online page's ``(id, None, sort key)``, in order, with no meeting row read."""
    return [(meeting_id, None, sort_key) for meeting_id, sort_key in db.session.execute(
        sa.select(page.c.id, page.c.sort_key).order_by(page.c.sort_key, page.c.id))]


def geography_schema() -> str | None:
    """PostGIS's schema when this database searches through it (asked once per engine)."""
    return postgis_schema(db.session.connection())


@lru_cache(maxsize=4096)
def _zone_near(lat: float, lon: float) -> str | None:
    return timezone_at(lat, lon)


def zone_near(latitude: float, longitude: float) -> str | None:
    """The time zone at a point, memoised to about a kilometre (the lookup costs ~0.5 ms)."""
    return _zone_near(round(latitude, 2), round(longitude, 2))


def _near_extra(query: Query, attendance: frozenset[Attendance]) -> tuple[list[str], dict[str, Any]]:
    """The filters and seeker windows of the in-person list as SQL terms and parameters.

    On PostgreSQL a window's SQL names only the zones that hold such meetings within the radius's
    box (zone_sets.py): the rows within the radius are in those. Naming every zone made each
    window and place a new text of ~16 KB for the server to parse and plan (0.5 ms a ring).
    """
    criteria = query.criteria
    hint = zone_near(criteria.latitude, criteria.longitude) or criteria.tz
    extra, params = query.filters
    dialect = db.session.get_bind().dialect.name
    only = None
    if query.windows and dialect == "postgresql":
        only = zones_near(attendance, bounding_box(criteria.latitude, criteria.longitude,
                                                   criteria.radius_km))
    return [*extra, *(zone_window_sql(window, hint, dialect, only) for window in query.windows)], params


def near_keys(schema: str | None, query: Query, attendance: frozenset[Attendance],
              after: Sequence[Any] | None, limit: int, radius_km: float,
              load: Loader | None = None,
              ) -> tuple[list[tuple[int, float, float]], dict[int, Any] | None]:
    """``(id, distance km, sort key)`` of in-person meetings within ``radius_km``, nearest first:
    through PostGIS (sort key in metres) when ``schema`` is given, else the portable SQL's box
    and haversine ``a``; and on PostgreSQL, when ``load`` reads plain rows, their rows by id,
    read by the same statement (None otherwise: the caller reads them)."""
    criteria = query.criteria
    lat, lon = criteria.latitude, criteria.longitude
    extra, params = _near_extra(query, attendance)
    if schema is None:
        within, more = within_sql(bounding_box(lat, lon, radius_km), lat, lon, chord_limit(radius_km))
        sort_key, km = CHORD, chord_km
    else:
        radius = radius_km if chord_limit(radius_km) is not None else None
        sort_key, within, more = geography_within(schema, lat, lon, radius)
        km = _metres_km
    statement, params = near_query(sort_key, within, sorted(option.value for option in attendance),
                                   after, extra, {**params, **more}, limit)
    if isinstance(load, RowLoader) and db.session.get_bind().dialect.name == "postgresql":
        # A round trip less per search; SQLite, in the process, has none to save.
        found = load.with_keys(statement, params)
        return [(row.id, km(key), key) for row, key in found], {row.id: row for row, _ in found}
    return [(meeting_id, km(key), key) for meeting_id, key in driver.rows(statement, params)], None


def _metres_km(metres: float) -> float:
    return metres / METRES


@lru_cache(maxsize=256)
def _slots(base: datetime, windows: tuple[Window, ...], low: int, span: int, dialect: str,
           zones: tuple[tuple[str, frozenset[str]], ...]) -> dict[str, Any]:
    """The slot parameters of a search minute: each attendance option's seeks, in the zones
    that hold meetings of it (made once, then reused)."""
    slots = start_slots(base, windows, low, span)
    return slot_params(tuple((tuple(zone for zone in group if zone in found), *slot, option)
                             for option, found in zones for group, slot in slots), dialect)


def online_page(query: Query, attendance: frozenset[Attendance], after: Sequence[Any] | None,
                limit: int, low: int, span: int, radius: frozenset[Attendance] = frozenset()) -> Any:
    """Ids and minutes-until-start of meetings starting ``low`` to ``low + span`` minutes from base,
    after a keyset position, soonest first (see :func:`starts`)."""
    sql, params = starts(query, attendance, low, span, radius)
    found = (sa.text(sql).bindparams(**params)
             .columns(sa.column("id", sa.Integer), sa.column("sort_key", sa.Integer)).subquery("found"))
    page = sa.select(found.c.id, found.c.sort_key)
    if after is not None:
        page = page.where(sa.tuple_(found.c.sort_key, found.c.id) > tuple(after))
    return page.order_by(found.c.sort_key, found.c.id).limit(limit).subquery()


def starts(query: Query, attendance: frozenset[Attendance], low: int, span: int,
           radius: frozenset[Attendance]) -> tuple[str, dict[str, Any]]:
    """SQL and parameters of ``(id, sort_key)`` of meetings starting ``low`` to ``low + span``
    minutes from base; with the query's lookback, those that started before now count only if
    they have not ended.

    One statement: the meetings of each zone's local slots (``windows.start_slots``), each an
    index seek on attendance, zone, day and time, sorted by the slot's offset; the other filters
    are tested on the row each seek finds. Rows attended as in ``radius`` must lie within the
    search radius. Each attendance option is sought only in the zones that hold meetings of it
    (those in ``radius``: within the radius's box), see finder/search/zone_sets.py.

    From a week on (``low`` a week or more, time order only), the rows are those that started in
    the lookback and have ended, at their next start: the week's last minutes from now.
    """
    ended = low >= WEEK_MINUTES
    if ended:
        low -= WEEK_MINUTES
    base = query.base
    dialect = db.session.get_bind().dialect.name
    extra, params = query.filters
    extra = list(extra)
    criteria = query.criteria
    box = bounding_box(criteria.latitude, criteria.longitude, criteria.radius_km) if radius else None
    if box is not None:
        terms, within = within_sql(box, criteria.latitude, criteria.longitude,
                                   chord_limit(criteria.radius_km))
        options = ", ".join(f"'{option.value}'" for option in sorted(radius, key=lambda a: a.value))
        extra.append(f"(meetings.attendance_option NOT IN ({options}) OR ({' AND '.join(terms)}))")
        params = {**params, **within}
    zones = zones_by_option(attendance, radius, box)
    return starts_query(_slots(base, query.windows, low, span, dialect, zones),
                        minute_of_week(base), dialect, extra, params, query.lookback, ended)
