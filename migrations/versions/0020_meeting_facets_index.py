"""A covering index for the search page's filters: the types and regions near a place (issue 16).

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-01 10:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_meetings_facets', 'meetings',
                    ['latitude', 'longitude', 'attendance_option', 'removed_at', 'duplicate_of_id',
                     'region', 'types'], unique=False)


def downgrade():
    op.drop_index('ix_meetings_facets', table_name='meetings')
