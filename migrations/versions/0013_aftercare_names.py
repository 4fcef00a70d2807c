"""aftercare names: the 3-7-30 messages are "aftercare", not "follow-ups"

"Follow-up" named two things: a ticket opened after a low rating or a "not solved" answer
(`tickets.follow_up_of`, `ratings.follow_up_ticket_id`, `feedback.follow_up_ticket_id`:
unchanged) and the messages sent 3, 7 and 30 days after a resolved case. The messages'
tables, the NPS answers' link to them and their indexes and constraints are renamed:

    follow_ups                  -> aftercare_messages
    follow_up_opt_outs          -> aftercare_opt_outs
    nps_responses.follow_up_id  -> nps_responses.aftercare_message_id

Rows are kept. PostgreSQL renames in place (tables, constraints, indexes, the id sequence).
SQLite cannot rename a constraint, and recreating a table that NPS answers reference would
fail with foreign keys on, so there the messages move to a new table: create it, copy the
rows, point nps_responses at it (batch mode: the table is recreated with the renamed
column), then drop the old one. The downgrade does the same backwards.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

MESSAGE_COLUMNS = ("id", "ticket_id", "conversation_id", "kind", "due_at", "status", "claimed_by",
                   "lease_until", "sent_at", "outcome", "created_at")


def upgrade() -> None:
    _rename(messages=("follow_ups", "aftercare_messages"),
            opt_outs=("follow_up_opt_outs", "aftercare_opt_outs"),
            column=("follow_up_id", "aftercare_message_id"))


def downgrade() -> None:
    _rename(messages=("aftercare_messages", "follow_ups"),
            opt_outs=("aftercare_opt_outs", "follow_up_opt_outs"),
            column=("aftercare_message_id", "follow_up_id"))


def _rename(messages, opt_outs, column) -> None:  # type: ignore[no-untyped-def]
    if op.get_bind().dialect.name == "sqlite":
        _rename_sqlite(messages, opt_outs, column)
    else:
        _rename_in_place(messages, opt_outs, column)


def _rename_in_place(messages, opt_outs, column) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: ALTER ... RENAME for the tables, the column and every constraint, index
    and sequence named after them (the default names PostgreSQL gave them included)."""
    (old_messages, new_messages), (old_opt_outs, new_opt_outs) = messages, opt_outs
    old_column, new_column = column
    op.rename_table(old_messages, new_messages)
    op.rename_table(old_opt_outs, new_opt_outs)
    _rename_names(new_messages, old_messages, new_messages)
    _rename_names(new_opt_outs, old_opt_outs, new_opt_outs)
    with op.batch_alter_table('nps_responses', schema=None) as batch_op:
        batch_op.alter_column(old_column, new_column_name=new_column)
    _rename_names('nps_responses', old_column, new_column)


def _rename_names(table: str, old: str, new: str) -> None:
    """Renames the table's constraints, indexes and id sequence whose names contain `old`."""
    bind = op.get_bind()
    constraints = bind.execute(sa.text(
        "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:table AS regclass)"),
        {"table": table}).scalars().all()
    for name in constraints:
        if old in name:  # a primary key or unique constraint renames its index too
            op.execute(f'ALTER TABLE {table} RENAME CONSTRAINT "{name}" TO "{name.replace(old, new)}"')
    indexes = bind.execute(sa.text(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :table"),
        {"table": table}).scalars().all()
    for name in indexes:
        if old in name:
            op.execute(f'ALTER INDEX "{name}" RENAME TO "{name.replace(old, new)}"')
    sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence(:table, 'id')"),
                            {"table": table}).scalar() if _has_id(table) else None
    if sequence and old in sequence.split(".")[-1]:
        op.execute(f'ALTER SEQUENCE {sequence} RENAME TO "{sequence.split(".")[-1].replace(old, new)}"')


def _has_id(table: str) -> bool:
    return any(c["name"] == "id" for c in sa.inspect(op.get_bind()).get_columns(table))


def _rename_sqlite(messages, opt_outs, column) -> None:  # type: ignore[no-untyped-def]
    (old_messages, new_messages), (old_opt_outs, new_opt_outs) = messages, opt_outs
    old_column, new_column = column
    # nothing refers to the opt-outs, and none of their names carries the table's name
    op.rename_table(old_opt_outs, new_opt_outs)
    _create_messages(new_messages)
    listed = ", ".join(MESSAGE_COLUMNS)
    op.execute(f"INSERT INTO {new_messages} ({listed}) SELECT {listed} FROM {old_messages}")
    # the answers' link, renamed and pointing at the new table (the reflected foreign key to
    # the old one is replaced by this column's)
    with op.batch_alter_table('nps_responses', schema=None, recreate='always', reflect_args=[
            sa.Column(old_column, sa.Integer(), sa.ForeignKey(f'{new_messages}.id'))]) as batch_op:
        batch_op.alter_column(old_column, new_column_name=new_column)
    with op.batch_alter_table(old_messages, schema=None) as batch_op:
        batch_op.drop_index(f'ix_{old_messages}_ticket_id')
        batch_op.drop_index(f'ix_{old_messages}_due')
        batch_op.drop_index(f'ix_{old_messages}_conversation_id')
    op.drop_table(old_messages)


def _create_messages(name: str) -> None:
    """The messages' table as revision 0005 made it, under `name`."""
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket_id', 'kind', name=f'uq_{name}_ticket_kind')
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f'ix_{name}_conversation_id', ['conversation_id'], unique=False)
        batch_op.create_index(f'ix_{name}_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(f'ix_{name}_ticket_id', ['ticket_id'], unique=False)
