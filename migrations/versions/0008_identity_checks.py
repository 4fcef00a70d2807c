"""identity checks counted in the database; where each customer message came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('target', sa.String(length=254), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('client_address', sa.String(length=64), nullable=True),
    sa.Column('conversation_id', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.create_index('ix_identity_checks_target', ['kind', 'target', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_checks_client_address'), ['client_address'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_checks_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_checks_customer_id'), ['customer_id'], unique=False)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_address', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('client_address')
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_checks_customer_id'))
        batch_op.drop_index(batch_op.f('ix_identity_checks_created_at'))
        batch_op.drop_index(batch_op.f('ix_identity_checks_client_address'))
        batch_op.drop_index('ix_identity_checks_target')
    op.drop_table('identity_checks')
