"""requirement notes: what a customer adds to a confirmed requirement later

`requirement_notes` keeps each addition in the customer's own words, with the conversation it
was told in; the sheet's JSON, its Markdown and the teams' webhook carry them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 14:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'requirement_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('requirement_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.String(length=32), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
        sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('requirement_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_notes_requirement_id'), ['requirement_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('requirement_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_notes_requirement_id'))
    op.drop_table('requirement_notes')
