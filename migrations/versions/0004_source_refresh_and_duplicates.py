"""Sources refresh on a schedule and are flagged when failing; meetings know their duplicates.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refresh_hours', sa.Integer(), server_default='24', nullable=False))
        batch_op.add_column(sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_meetings_duplicate_of_id_meetings'), 'meetings',
            ['duplicate_of_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_duplicate_of_id_meetings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_duplicate_of_id'))
        batch_op.drop_column('duplicate_of_id')

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('flagged_at')
        batch_op.drop_column('refresh_hours')
