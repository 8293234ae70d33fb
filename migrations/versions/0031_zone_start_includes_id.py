"""On PostgreSQL the start-time index includes the id, types and end time (issue 16).

SQLite's indexes carry the rowid; PostgreSQL's do not, so each seek of the start-time lists
(the time order near a place, the online list) read the table row for the id, and for the types
filter and the in-progress test. With them included the seeks are index-only scans: at 250,000
meetings a time-ordered search's in-person seeks went from 0.39 to 0.16 ms on the server.
SQLite is left as it is. (The in-person rings read the GiST index on ``geog``; it can take
INCLUDE too, but PostGIS's geography index keeps boxes, not the point that ``<->`` measures,
so no ring became an index-only scan: it is left as it is.)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-01 22:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

COLUMNS = ['attendance_option', 'timezone', 'day', 'time', 'removed_at', 'duplicate_of_id',
           'latitude', 'longitude']


def _recreate(include):
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_meetings_zone_start', table_name='meetings')
    op.create_index('ix_meetings_zone_start', 'meetings', COLUMNS, unique=False,
                    postgresql_include=include)


def upgrade():
    _recreate(['id', 'types', 'end_time'])


def downgrade():
    _recreate([])
