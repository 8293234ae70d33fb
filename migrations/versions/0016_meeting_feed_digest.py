"""Meetings keep the digest of the feed row they were read from (issue 16: fast re-imports).

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-01 07:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows stay NULL: their next import reads every row, as before, and fills it in.
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_digest', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('feed_digest')
