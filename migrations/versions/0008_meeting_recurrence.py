"""Meetings that are not every week: a recurrence pattern and its indexed kind.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-01 04:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows stay NULL: plain weekly, exactly as before.
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurrence', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('recurrence_kind', sa.String(length=10), nullable=True))
        batch_op.create_index('ix_meetings_recurrence_kind', ['recurrence_kind'], unique=False)


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_recurrence_kind')
        batch_op.drop_column('recurrence_kind')
        batch_op.drop_column('recurrence')
