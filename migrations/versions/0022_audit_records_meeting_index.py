"""An index on audit_records (meeting_id): a search's "last confirmed" without a scan of the audit log.

Every search API answer and search page looks up the latest confirming decision of its page's
meetings (finder/meetings/freshness.py); without the index that read scans the whole audit log,
which only grows (issue 16).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 11:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_records_meeting_id', 'audit_records', ['meeting_id'], unique=False)


def downgrade():
    op.drop_index('ix_audit_records_meeting_id', table_name='audit_records')
