"""deliveries by address and status: the delivery worker's look for an older waiting message

`ConversationStore.due_deliveries` holds a message back while an older one to the same chat
waits for its retry; this index keeps that look from scanning every delivery each round.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 11:00:00.000000
"""
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(
            'ix_deliveries_address_waiting',
            ['channel', 'address', 'status', 'next_attempt_at'], unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_address_waiting')
