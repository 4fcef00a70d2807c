"""A trainer reveals one inbox message as the customer wrote it.

The workbench shows customers' words with their personal data concealed (trainer.inbox).
When the work really needs the original (a placeholder hides what decides the intent, a
pattern caught something that is not personal data), a trainer asks for it with a reason;
who, when, which message and why are recorded (`trainer_reveals`) before the text is
returned, so every look at personal data can be accounted for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict

from sqlalchemy.orm import sessionmaker

from ground.clock import utcnow
from handoff.accounts import StaffMember
from trainer.inbox import Inbox
from trainer.models import TrainerReveal
from trainer.training_data import TrainingDataError

MIN_REASON = 10
MAX_REASON = 500


def checked_reason(reason: str) -> str:
    """The reason as recorded: spaces collapsed, 10 to 500 characters."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise TrainingDataError(422, f"say why you need the original (at least {MIN_REASON} "
                                     "characters); it is recorded with your name")
    if len(reason) > MAX_REASON:
        raise TrainingDataError(422, f"the reason is longer than {MAX_REASON} characters")
    return reason


class Reveals:
    def __init__(self, sessions: sessionmaker, inbox: Inbox,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._inbox = inbox
        self._clock = clock

    def reveal(self, event_id: int, member: StaffMember, reason: str) -> Dict[str, Any]:
        """The message as written, once the reveal is recorded; 404 for no such message."""
        reason = checked_reason(reason)
        item = self._inbox.as_written(event_id)
        if item is None:
            raise TrainingDataError(404, "no such customer message")
        now = self._clock()
        with self._sessions.begin() as session:
            session.add(TrainerReveal(tracker_event_id=event_id,
                                      conversation_id=item.conversation_id,
                                      revealed_by=member.id, reason=reason, revealed_at=now))
        return {"id": event_id, "conversation_id": item.conversation_id, "text": item.text,
                "reason": reason, "revealed_by": member.username,
                "revealed_at": now.isoformat() + "Z"}
