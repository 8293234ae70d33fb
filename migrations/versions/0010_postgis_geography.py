"""PostGIS on PostgreSQL: a geography point kept in step with latitude/longitude, GiST-indexed.

Only on PostgreSQL, and only where the postgis extension is available (Debian:
postgresql-15-postgis-3) and this role may create it; elsewhere nothing changes and search keeps
its portable SQL. The extension is left installed on downgrade (other tables may use it).

Revision ID: 0010
Revises: 0017
Create Date: 2026-12-01 07:00:00

"""
import logging

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0017'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.env")


def _postgis_schema(bind):
    """PostGIS's schema, creating the extension if it is available; None if it cannot be had."""
    if bind.dialect.name != "postgresql":
        return None
    find = sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                   "ON n.oid = e.extnamespace WHERE e.extname = 'postgis'")
    schema = bind.execute(find).scalar()
    if schema is not None:
        return schema
    available = bind.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
    if available is None:
        log.info("postgis is not available on this server: search keeps its portable SQL")
        return None
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except sa.exc.DBAPIError as exc:  # e.g. a role that may not create extensions
        log.warning("postgis is available but could not be created (%s): search keeps its "
                    "portable SQL; run CREATE EXTENSION postgis as a superuser and migrate "
                    "again", exc.orig)
        return None
    return bind.execute(find).scalar()


def upgrade():
    bind = op.get_bind()
    schema = _postgis_schema(bind)
    if schema is None:
        return
    q = f'"{schema}".'
    point = f"{q}st_setsrid({q}st_makepoint(longitude, latitude), 4326)::{q}geography"
    op.execute(f"ALTER TABLE meetings ADD COLUMN geog {q}geography(Point, 4326) "
               f"GENERATED ALWAYS AS ({point}) STORED")
    op.execute("CREATE INDEX ix_meetings_geog ON meetings USING gist (geog)")
    op.execute("ANALYZE meetings")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_meetings_geog")
        op.execute("ALTER TABLE meetings DROP COLUMN IF EXISTS geog")
