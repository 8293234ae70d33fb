"""Attendees' problem reports of meetings, and sources' display names (issue 14).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('nobody_there', 'link_broken', 'moved', 'wrong_time', 'other', name='reportreason', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.String(length=280), nullable=True),
    sa.Column('client_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cleared_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cleared_by_id'], ['moderators.id'], name=op.f('fk_meeting_reports_cleared_by_id_moderators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_reports_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_reports'))
    )
    with op.batch_alter_table('meeting_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_reports_client_hash'), ['client_hash'], unique=False)
        batch_op.create_index('ix_meeting_reports_open', ['meeting_id', 'cleared_at'], unique=False)

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('display_name')

    with op.batch_alter_table('meeting_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_reports_open')
        batch_op.drop_index(batch_op.f('ix_meeting_reports_client_hash'))

    op.drop_table('meeting_reports')
