"""An index on meetings (changed_at): the search's data version is read per request (issue 16).

The start-time list seeks only the time zones that hold meetings (finder/search/zone_sets.py);
each process keeps those zones keyed on the highest ``changed_at`` and id, which the index
answers with one seek instead of a scan.

Revision ID: 0030
Revises: 0022
Create Date: 2026-12-01 11:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_meetings_changed_at', 'meetings', ['changed_at'], unique=False)


def downgrade():
    op.drop_index('ix_meetings_changed_at', table_name='meetings')
