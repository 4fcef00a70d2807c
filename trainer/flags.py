"""Agents flag customer messages from the console ("the bot got this wrong"); flagged
messages come to the trainers' review inbox with the agent's note. Only a customer's own
message in a conversation the agent may see can be flagged, and each message once."""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Dict, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from conversations.models import Author
from conversations.store import ConversationStore
from ground.clock import utcnow
from handoff.accounts import StaffMember
from handoff.tickets import TicketStore
from trainer.models import TrainingFlag
from trainer.training_data import TrainingDataError

MAX_NOTE = 500


class TrainingFlags:
    def __init__(self, sessions: sessionmaker, store: ConversationStore, tickets: TicketStore,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._store = store
        self._tickets = tickets
        self._clock = clock

    def flag(self, message_id: int, member: StaffMember, note: Optional[str]) -> Dict[str, object]:
        message = self._store.message(message_id)
        if message is None or message.author != Author.CUSTOMER:
            raise TrainingDataError(404, "no such customer message")
        if not self._tickets.list(member, conversation_id=message.conversation_id, limit=1):
            raise TrainingDataError(403, "you cannot see this conversation")
        note = (note or "").strip()[:MAX_NOTE] or None
        try:
            with self._sessions.begin() as session:
                session.add(TrainingFlag(message_id=message_id, conversation_id=message.conversation_id,
                                         flagged_by=member.id, note=note, created_at=self._clock()))
        except IntegrityError:
            raise TrainingDataError(409, "this message is flagged already") from None
        return {"message_id": message_id, "note": note}

    def notes(self) -> Dict[int, Optional[str]]:
        """Flagged gateway message ids and the agents' notes."""
        with self._sessions() as session:
            return dict(session.execute(select(TrainingFlag.message_id, TrainingFlag.note)).all())
