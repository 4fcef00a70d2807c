"""return label links: the returns-label mail a return was sent with

`returns.label_email_id` names the outbox row that carried a return's free label. The
assistant tells a customer whose parcel has not arrived where that label went; it used to
find the mail by comparing its body text with the text `start_return` writes, which broke
as soon as the wording of the mail changed, and read the whole outbox to do it.

Existing returns are linked to their label mail by that same comparison, once, here; a
return recorded without a label (by staff, or before labels were mailed) stays unlinked.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_email_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_returns_label_email', 'email_outbox',
                                    ['label_email_id'], ['id'])
    op.execute(
        "UPDATE returns SET label_email_id = ("
        " SELECT e.id FROM email_outbox e, orders o"
        " WHERE o.id = returns.order_id AND e.template = 'returns_label'"
        " AND e.body = 'order=' || o.number || ' rma=' || returns.rma"
        " ORDER BY e.created_at DESC, e.id DESC LIMIT 1)")


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_constraint('fk_returns_label_email', type_='foreignkey')
        batch_op.drop_column('label_email_id')
