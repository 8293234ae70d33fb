"""Sources keep the last imported answer's ETag and Last-Modified (conditional refresh).

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-01 07:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sources') as batch:
        batch.add_column(sa.Column('etag', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('last_modified', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('sources') as batch:
        batch.drop_column('last_modified')
        batch.drop_column('etag')
