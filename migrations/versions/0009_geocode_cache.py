"""The geocode cache: meeting addresses placed at import, keyed by the normalised address.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01 04:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'geocode_cache',
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('label', sa.String(length=255), nullable=True),
        sa.Column('approximate', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade():
    op.drop_table('geocode_cache')
