"""return records by: who recorded a return's parcel arriving and its refund paid

`returns.received_by` and `returns.refunded_by` keep who recorded each: a staff member's
user name (the console's returns desk) or "command line" (`make returns`). A refund marked
paid is money the company says it sent; whoever said so must be known.

Returns recorded before this revision stay without a name: none was kept.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 18:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('refunded_by', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('refunded_by')
        batch_op.drop_column('received_by')
