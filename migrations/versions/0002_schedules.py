"""Schedules and the meetings picked into them (issue 5).

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('uid_key', sa.String(length=36), nullable=False),
    sa.Column('discreet', sa.Boolean(), nullable=False),
    sa.Column('reminder_minutes', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedules')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_schedules_token_hash'))
    )
    op.create_table('schedule_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_schedule_meetings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['schedule_id'], ['schedules.id'], name=op.f('fk_schedule_meetings_schedule_id_schedules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_meetings')),
    sa.UniqueConstraint('schedule_id', 'meeting_id', name='uq_schedule_meetings_pair')
    )
    with op.batch_alter_table('schedule_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_meetings_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('schedule_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_meetings_meeting_id'))
    op.drop_table('schedule_meetings')
    op.drop_table('schedules')
