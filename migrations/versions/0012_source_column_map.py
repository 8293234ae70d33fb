"""A source's column mapping: a CSV in a layout of its own is read the same way on refresh.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 07:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Existing sources stay NULL: read by their usual header names, as before.
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('column_map', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('column_map')
