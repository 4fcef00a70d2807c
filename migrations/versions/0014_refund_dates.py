"""refund dates: when an invoice or a return was refunded

`invoices.refunded_at` and `returns.refunded_at` keep when the company paid the money back,
so the assistant can say a refund was paid, and when, instead of counting it overdue.

Until this revision an invoice became "refunded" only when its order was cancelled
(company.orders.cancel_order, and the seed), in the same commit that set
`orders.cancelled_at`: those invoices get that date. A return's refund date was never
recorded anywhere, so returns refunded before stay without one.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refunded_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refunded_at', sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE invoices SET refunded_at = (SELECT orders.cancelled_at FROM orders "
        "WHERE orders.id = invoices.order_id AND orders.status = 'cancelled') "
        "WHERE invoices.status = 'refunded' AND invoices.refunded_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('refunded_at')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_column('refunded_at')
