"""Covering indexes for search: radius prefilter and online start times.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_lat_lon')
        batch_op.create_index('ix_meetings_geo', ['latitude', 'longitude', 'attendance_option',
                                                  'removed_at', 'duplicate_of_id', 'day', 'time',
                                                  'timezone'], unique=False)
        batch_op.create_index('ix_meetings_zone_start', ['attendance_option', 'timezone', 'day',
                                                         'time', 'removed_at', 'duplicate_of_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_zone_start')
        batch_op.drop_index('ix_meetings_geo')
        batch_op.create_index('ix_meetings_lat_lon', ['latitude', 'longitude'], unique=False)
