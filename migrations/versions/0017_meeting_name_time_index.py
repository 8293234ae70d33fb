"""An index on meetings (name, time): the search page's "Also Tue, Thu" without a scan (issue 16).

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-01 07:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_meetings_name_time', 'meetings', ['name', 'time'], unique=False)


def downgrade():
    op.drop_index('ix_meetings_name_time', table_name='meetings')
