"""Meeting search: near a point, by attendance, fellowship, day, time, types and text, paged.

Order of results (documented in README, "Search and the JSON API"):

1. With an origin, meetings one can attend in person (in-person and hybrid) within the radius,
   nearest first; the distance is the exact great-circle distance, computed and sorted in SQL
   after an indexed bounding-box prefilter.
2. Then meetings attended online (online-only; hybrid ones too when in person was not asked for),
   never dropped by the radius and never ranked by distance: soonest next start first, counted
   from the search's own instant (kept in the cursor so that pages stay stable).

Without an origin there is only the second list, holding every matching meeting.

With ``order="time"`` (what the search page asks for) both lists are in next-start order instead:
meetings in progress first (started within the last ``LOOKBACK`` minutes and not yet ended), then
the soonest; a meeting held on several days (same source, name, time and place) appears once, at
its next occurrence. The in-person list is still bounded by the radius.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from finder.enums import Attendance
from finder.geo.points import bounding_box, haversine_km
from finder.search.criteria import DEFAULT_RADIUS_KM, Criteria, Hit, SearchPage, split_attendance
from finder.search.cursor import NEAR, ONLINE, CursorError, decode_cursor, encode_cursor
from finder.search.density import rows_per_km2, rows_within, share
from finder.search.lists import Query, geography_schema, near_keys, online_page, page_keys
from finder.search.loading import Loader, meeting_objects
from finder.search.near_sql import chord_km
from finder.search.recurring import read_ahead, real_start
from finder.search.soonest import first_of_series
from finder.search.sql import filters_sql
from finder.search.windows import Window, floor_minute, seeker_window, soon_window
from finder.search.zone_sets import data_version
from finder.weekly import WEEK_MINUTES
from finder.zones import zoneinfo

__all__ = ["CursorError", "search"]

MAX_WORDS = 8
#: Spans of start times (minutes from now) the online list tries in turn.
ONLINE_SPANS = (180, 1440, WEEK_MINUTES)
#: The first ring of the in-person list where the grid knows of no rows near the origin.
FIRST_RING_KM = 2.0
#: The first ring is sized to hold this many times the rows a page needs, by the density of rows
#: around the origin (density.py): the centre of a place is denser than its cells' mean.
RING_ROWS = 2.0
#: A radius holding no more rows than this is read whole at once, however sparse the origin.
CHEAP_ROWS = 400
#: A ring this share of the radius or wider (half the circle's area) is the whole circle.
WHOLE_CIRCLE = math.sqrt(0.5)
#: How long ago a meeting in progress may have started (in time order) and still be listed.
LOOKBACK = 90
#: The spans in time order, from LOOKBACK minutes ago: meetings in progress and those starting
#: within half an hour hold most first pages. Each span reads on from the last one's end, so one
#: that falls short costs a statement more, not a second reading of its rows. The last holds
#: the meetings that started in the lookback and have ended, at their next start a week on.
TIME_SPANS = (LOOKBACK + 30, 180, 1440, WEEK_MINUTES, WEEK_MINUTES + LOOKBACK)


def search(criteria: Criteria, load: Loader = meeting_objects) -> SearchPage:
    """Run a search and return one page (raises CursorError for a cursor we did not issue).

    ``load`` reads the meetings of the rows found, by id (ORM objects unless told otherwise).
    """
    segment, key, now = decode_cursor(criteria.cursor) if criteria.cursor else (None, None, None)
    now = now or floor_minute((criteria.now or datetime.now(UTC)).astimezone(UTC))
    lookback = LOOKBACK if criteria.order == "time" else 0
    query = Query(criteria, now, _filters(criteria), _windows(criteria, now, lookback), lookback)
    seeker = zoneinfo(criteria.tz)
    page = SearchPage(now=now)
    wanted = criteria.limit
    near, online = split_attendance(criteria)
    if query.by_time and near:
        # One list in next-start order: rows attended in person within the radius, online anywhere.
        plan = [(NEAR, near | online)]
    else:
        plan = [(name, attendance) for name, attendance in ((NEAR, near), (ONLINE, online))
                if attendance and not (segment == ONLINE and name == NEAR)]
    for index, (name, attendance) in enumerate(plan):
        after = key if name == segment else None
        rows = _checked(name, attendance, query, load, after, wanted + 1)
        plain_distance = name == ONLINE or query.by_time
        for meeting, distance, sort_key, start in rows[:wanted]:
            if plain_distance:
                distance = _plain_distance(criteria, meeting)
            page.hits.append(Hit(meeting, distance, start.astimezone(seeker)))
            last = [sort_key, meeting.id]
        if len(rows) > wanted:
            page.next = encode_cursor(name, last, now)
            return page
        wanted -= len(rows)
        if wanted == 0:
            rest = plan[index + 1:]
            if rest and _checked(*rest[0], query, load):
                page.next = encode_cursor(rest[0][0], None, now)
            return page
    return page


def _checked(
    name: str,
    attendance: frozenset[Attendance],
    query: Query,
    load: Loader,
    after: Sequence[Any] | None = None,
    limit: int = 1,
) -> list[Any]:
    """Rows ``(meeting, distance, sort key, next start)`` of one list: the weekly SQL's rows,
    less those not-every-week meetings that do not meet in the seeker's windows (read on).

    The lists give ids and sort keys; the rows of each batch are then read once, by id.
    """
    kept: list[Any] = []
    windows, base = query.windows, query.base
    # ``enough`` rows fill the page if none drops: the read-ahead widens no ring or span for more.
    enough, wanted = limit, read_ahead(limit, windows)
    while True:
        meetings = None
        if name == ONLINE and not query.by_time:
            keys = _online_keys(attendance, query, after, wanted, enough)
        else:
            keys, meetings = _segment(name, attendance, query, after, wanted, enough, load)
        if meetings is None:
            meetings = load([meeting_id for meeting_id, _, _ in keys])
        for meeting_id, distance, sort_key in keys:
            meeting = meetings[meeting_id]
            # A time-ordered row a week or more on is one that started in the lookback and has
            # ended: its start is the next from now.
            since = query.now if query.by_time and sort_key >= WEEK_MINUTES else base
            start = real_start(meeting, windows, since)
            if start is not None:
                kept.append((meeting, distance, sort_key, start))
        if len(kept) >= limit or len(keys) < enough:  # fewer than enough: the list has ended
            return kept[:limit]
        after = [keys[-1][2], keys[-1][0]]
        enough = wanted = 2 * (limit - len(kept)) + 1  # the shortfall, with room for more


def _online_keys(attendance: frozenset[Attendance], query: Query, after: Sequence[Any] | None,
                 limit: int, enough: int) -> list[tuple[int, float | None, Any]]:
    """The online list of the distance order: after the in-person one (see ``_segment``), or the
    whole search when there is no origin. It depends on no origin, so the searches of one minute
    with the same other criteria share it, kept per process under the meetings' data version
    (zone_sets.py). Only the ids and sort keys are kept: each search still reads its rows.

    What follows a short in-person list is the start of a full page, cut to ``limit``: the
    same rows, as a list in one order is cut, whatever the number of in-person rows before it.
    """
    criteria = query.criteria
    anywhere = replace(criteria, latitude=None, longitude=None, radius_km=DEFAULT_RADIUS_KM,
                       cursor=None, now=None, tz="UTC")
    if _windows(anywhere, query.now) != query.windows:
        # The seeker's zone places a day or clock window: its list is its own. Otherwise every
        # zone's searches share one list.
        anywhere = replace(anywhere, tz=criteria.tz)
    page = max(limit, read_ahead(criteria.limit + 1, query.windows))
    keys = _kept_online(data_version(), anywhere, query.now, attendance,
                        None if after is None else tuple(after), page, max(enough, criteria.limit + 1))
    return list(keys[:limit])


@lru_cache(maxsize=256)
def _kept_online(_version: tuple[object, ...], criteria: Criteria, now: datetime,
                 attendance: frozenset[Attendance], after: tuple[Any, ...] | None, limit: int,
                 enough: int) -> tuple[tuple[int, float | None, Any], ...]:
    query = Query(criteria, now, _filters(criteria), _windows(criteria, now))
    return tuple(_segment(ONLINE, attendance, query, after, limit, enough)[0])


def _segment(
    name: str,
    attendance: frozenset[Attendance],
    query: Query,
    after: Sequence[Any] | None = None,
    limit: int = 1,
    enough: int | None = None,
    load: Loader | None = None,
) -> tuple[list[tuple[int, float | None, Any]], dict[int, Any] | None]:
    """``(id, distance, sort key)`` of one list's page after a keyset position: up to ``limit``
    rows, and fewer than ``enough`` (default ``limit``) only where the list ends; and their rows
    by id where the in-person list read them with it (``near_keys``), else None."""
    enough = enough or limit
    if name == NEAR and not query.by_time:
        # Growing rings (a box and ``a``, or PostGIS's GiST reads, see postgis.py): the nearest
        # page of a dense city lies within a few km, so most searches read a small area; a ring
        # that holds a full page holds the nearest one. A ring that falls short sizes the next
        # by the density it saw (the area grows with the square), and one that would cover half
        # the circle's area is the whole circle: a statement costs more than reading the rest.
        # The first ring is sized by the density of rows around the origin (``_first_ring``).
        schema = geography_schema()
        radius = query.criteria.radius_km
        ring = _first_ring(query, attendance, _after_km(after, schema), enough)
        while True:
            ring = radius if ring >= radius * WHOLE_CIRCLE else ring
            keys, rows = near_keys(schema, query, attendance, after, limit, ring, load)
            if len(keys) >= enough or ring >= radius:
                return keys, rows
            ring *= max(2.0, 1.25 * math.sqrt(enough / max(len(keys), 1)))
    after_key = int(after[0]) if after is not None else 0
    # One row per series: earlier occurrences must be seen too, to know this one is not the next.
    low = 0 if query.by_time else after_key
    spans = tuple(after_key - low + span for span in (TIME_SPANS if query.by_time else ONLINE_SPANS))
    last = WEEK_MINUTES + query.lookback  # in time order, a week from now
    if bounds := _dated_keys(query):
        # A dated window holds every match: search just its start times, in one query.
        low = max(low, bounds[0])
        spans = (bounds[1] - low,)
        last = WEEK_MINUTES
    # Widen the span of start times until it holds a page (most pages need the first); a span
    # ends at a week from base, where the ended meetings' next starts begin.
    ends = sorted({max(low, min(low + span, last)) for span in spans}
                  | ({WEEK_MINUTES} if low < WEEK_MINUTES < last else set()))
    radius = split_attendance(query.criteria)[0] if name == NEAR else frozenset()
    if query.by_time:
        return first_of_series(query, attendance, after, limit, enough, low, ends, radius), None
    for end in ends:
        keys = page_keys(online_page(query, attendance, after, limit, low, end - low, radius))
        if len(keys) >= enough or end >= WEEK_MINUTES:
            return keys, None
    return keys, None


def _dated_keys(query: Query) -> tuple[int, int] | None:
    """Minutes from now to the start and end of the first dated window, unless it wraps the week."""
    for window in query.windows:
        if not window.every_day:
            low = int((window.start - query.base).total_seconds() // 60) % WEEK_MINUTES
            high = low + int((window.end - window.start).total_seconds() // 60)
            if high > WEEK_MINUTES:
                return None
            # Sort keys are exact minutes until each start, clock changes included.
            return low, high
    return None


def _after_km(after: Sequence[Any] | None, schema: str | None) -> float:
    """How far the keyset position of the in-person list is (its key: PostGIS metres, else ``a``)."""
    if after is None:
        return 0.0
    return float(after[0]) / 1000 if schema is not None else chord_km(float(after[0]))


def _first_ring(query: Query, attendance: frozenset[Attendance], done_km: float,
                enough: int) -> float:
    """The in-person list's first ring beyond the keyset position ``done_km`` away: sized by the
    density of rows around the origin to hold ``RING_ROWS`` times ``enough`` (the areas add up),
    thinned by the seeker's day and clock. A sparse origin reads its whole radius at once when
    that holds few rows; when it holds many (a city further off), the rings start small and grow
    by the rows they find."""
    criteria = query.criteria
    radius, kept = criteria.radius_km, share(criteria)
    density = rows_per_km2(criteria.latitude, criteria.longitude, attendance) * kept
    ring = math.sqrt(done_km ** 2 + RING_ROWS * enough / (math.pi * density)) if density else math.inf
    if ring < radius * WHOLE_CIRCLE or kept * rows_within(
            bounding_box(criteria.latitude, criteria.longitude, radius), attendance) <= CHEAP_ROWS:
        return min(ring, radius)
    return max(FIRST_RING_KM, done_km * 1.5)


def _windows(criteria: Criteria, now: datetime, lookback: int = 0) -> tuple[Window, ...]:
    """The seeker's time windows: a day and clock times, and "starting within" (from
    ``lookback`` minutes ago, so that meetings in progress count)."""
    seeker = zoneinfo(criteria.tz)
    windows = [seeker_window(now, seeker, day=criteria.day, time_from=criteria.time_from,
                             time_to=criteria.time_to)]
    if criteria.starting_within is not None:
        soon = soon_window(now, criteria.starting_within)
        windows.append(Window(soon.start - timedelta(minutes=lookback), soon.end))
    return tuple(filter(None, windows))


def _filters(criteria: Criteria) -> tuple[list[str], dict[str, Any]]:
    """The seeker's filters on a meeting's own columns (listing and attendance are separate)."""
    return filters_sql(sorted(f.value for f in criteria.fellowships), criteria.types,
                       criteria.q.split()[:MAX_WORDS], criteria.region)


def _plain_distance(criteria: Criteria, meeting: Any) -> float | None:
    """Distance to a meeting one can attend in person; None for online-only ones."""
    if (not criteria.has_origin or meeting.attendance_option == Attendance.ONLINE
            or meeting.latitude is None or meeting.longitude is None):
        return None
    return haversine_km(criteria.latitude, criteria.longitude, meeting.latitude, meeting.longitude)
