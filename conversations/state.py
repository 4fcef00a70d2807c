"""Who is in charge of a conversation (bot, queued for a person, an agent): the one place that
writes it. Handoff moves a conversation when its ticket moves, in the ticket's transaction, by
calling here; the gateway reads the state after each turn and tells the customer's screens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from conversations.models import Conversation, State


def move_to(session: Session, conversation_id: str, state: str, now: datetime) -> None:
    """Sets the conversation's state in the caller's transaction. Queued for a person also
    clears the 'needs a human' flag: a ticket now carries that."""
    if state not in State.ALL:
        raise ValueError(f"unknown conversation state {state!r}")
    values = {"state": state, "updated_at": now}
    if state == State.QUEUED:
        values["needs_human"] = False
    session.execute(update(Conversation).where(Conversation.id == conversation_id)
                    .values(**values).execution_options(synchronize_session=False))
