"""PostGIS on PostgreSQL: a ``geography`` column kept in step with latitude and longitude.

Migration 0010 adds it where the extension is available; tables made by ``create_all`` (the tests)
get it through :func:`add_geography` when the extension is installed. Search uses it when the
column is there (:func:`postgis_schema`, asked once per engine) and keeps its portable SQL
otherwise: on SQLite, and on a PostgreSQL server without PostGIS.
"""
from __future__ import annotations

import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from finder.models import Meeting

COLUMN = "geog"
INDEX = "ix_meetings_geog"

_EXTENSION_SCHEMA = sa.text(
    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
    "WHERE e.extname = 'postgis'")
_HAS_COLUMN = sa.text(
    "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = 'meetings' AND column_name = :column")

_schemas: weakref.WeakKeyDictionary[Engine, str | None] = weakref.WeakKeyDictionary()


def installed_schema(connection: Connection) -> str | None:
    """The schema PostGIS is installed in, or None (and None on other engines)."""
    if connection.dialect.name != "postgresql":
        return None
    return connection.execute(_EXTENSION_SCHEMA).scalar()


def geography_sql(schema: str) -> list[str]:
    """The statements that add the column and its GiST index (PostGIS installed in ``schema``).

    Names are qualified with the extension's schema, so they resolve whatever the search path.
    """
    q = f'"{schema}".'
    point = f"{q}st_setsrid({q}st_makepoint(longitude, latitude), 4326)::{q}geography"
    return [f"ALTER TABLE meetings ADD COLUMN {COLUMN} {q}geography(Point, 4326) "
            f"GENERATED ALWAYS AS ({point}) STORED",
            f"CREATE INDEX {INDEX} ON meetings USING gist ({COLUMN})"]


def install_in_public(engine: Engine) -> None:
    """Install PostGIS in schema ``public`` where the server has it, before a schema of its own is
    used (the tests' and the benchmarks'): the migration would otherwise install it in that
    schema, the first on its search path, and dropping the schema afterwards would take PostGIS
    from under every other schema's column. Without the extension, or the right to create it,
    search keeps its portable SQL."""
    try:
        with engine.begin() as connection:
            available = connection.execute(sa.text(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
            if available:
                connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public"))
    except sa.exc.DBAPIError:  # another process creating it at the same moment, or no right to
        pass


def add_geography(connection: Connection) -> bool:
    """Add the column and index to an existing ``meetings`` table if PostGIS is installed."""
    schema = installed_schema(connection)
    if schema is None:
        return False
    for statement in geography_sql(schema):
        connection.execute(sa.text(statement))
    return True


@event.listens_for(Meeting.__table__, "after_create")
def _after_create(_table: Any, connection: Connection, **_kw: Any) -> None:
    """``create_all`` makes the same table the migrations do, PostGIS column included."""
    add_geography(connection)


def postgis_schema(connection: Connection) -> str | None:
    """PostGIS's schema when this engine's ``meetings`` has the column (asked once per engine)."""
    engine = connection.engine
    if engine not in _schemas:
        schema = installed_schema(connection)
        if schema is not None and connection.execute(_HAS_COLUMN, {"column": COLUMN}).first() is None:
            schema = None
        _schemas[engine] = schema
    return _schemas[engine]


def forget(engine: Engine) -> None:
    """Ask again on the next search (after the column was added or dropped)."""
    _schemas.pop(engine, None)


def geography_within(schema: str, latitude: float, longitude: float, radius_km: float | None,
                     ) -> tuple[str, list[str], dict[str, Any]]:
    """The in-person list's distance through PostGIS (metres on the sphere), the SQL terms that
    bound the radius, and their parameters (for :func:`finder.search.near_sql.near_query`).

    ``ST_DWithin`` on the GiST-indexed ``geog`` column bounds the radius (the search's rings) and
    ``<->`` measures, both on the sphere of radius ``EARTH_RADIUS_KM`` as the portable SQL does,
    so pages and distances are the same. (Ties go by id, as pages need: that second sort key
    keeps PostgreSQL from walking the index nearest first, hence the rings. A walk by ``<->``
    alone was tried: PostgreSQL's estimate of the rows within a wide radius of a dense city
    falls short several times over, and its plan for the literal radius then reads and sorts
    every row within it, 18 ms for New York at 100 km against 0.6 ms walking.)
    """
    q = f'"{schema}".'
    origin = f"{q}st_setsrid({q}st_makepoint(:olon, :olat), 4326)::{q}geography"
    distance = f"(meetings.geog OPERATOR({q}<->) {origin})"
    params: dict[str, Any] = {"olat": latitude, "olon": longitude}
    if radius_km is None:
        return distance, ["meetings.geog IS NOT NULL"], params
    return (distance, [f"{q}st_dwithin(meetings.geog, {origin}, :radius_m, false)"],
            {**params, "radius_m": radius_km * 1000})
