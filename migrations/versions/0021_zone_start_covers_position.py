"""The start-time index also covers the position, for time-ordered searches near a place.

A time-ordered search near a place then tests the radius on the index, and reads only the rows
within it (issue 16).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 11:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

BEFORE = ['attendance_option', 'timezone', 'day', 'time', 'removed_at', 'duplicate_of_id']


def upgrade():
    op.drop_index('ix_meetings_zone_start', table_name='meetings')
    op.create_index('ix_meetings_zone_start', 'meetings', [*BEFORE, 'latitude', 'longitude'],
                    unique=False)


def downgrade():
    op.drop_index('ix_meetings_zone_start', table_name='meetings')
    op.create_index('ix_meetings_zone_start', 'meetings', BEFORE, unique=False)
