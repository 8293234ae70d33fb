"""Schedules keep the interface language they were made in, for their feed's own words.

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-01 07:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schedules') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), server_default='en',
                                   nullable=False))


def downgrade():
    with op.batch_alter_table('schedules') as batch:
        batch.drop_column('language')
