"""return arrivals: when a returned parcel reached the company

`returns.received_at` keeps the day a return's parcel arrived. The refund is promised
within 5-10 working days of that day (the return policy), so the assistant counts a
return's refund from it, instead of from the day the return was registered: a customer
who had not even posted the parcel was told the refund was late and handed to billing.

No arrival was recorded anywhere before this revision, so existing returns stay without
one: a refunded return is paid whatever its arrival, and a return still waiting for its
refund has no due day until the warehouse records its parcel.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('received_at')
