"""The NPS answer of the day-30 aftercare message: how likely, 0 to 10, the customer would
recommend the company. Stored with the aftercare message it answers; 0-6 is a detractor.

An answer is stored with the key of the question it answers (actions.scores), under a
unique index, so an answer that arrives twice is stored once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ground.clock import utcnow
from feedback.models import NpsResponse

LOWEST, HIGHEST = 0, 10
DETRACTOR_AT_OR_BELOW = 6


@dataclass(frozen=True)
class RecordedNps:
    id: int
    score: int
    # False when this question's answer was already stored (nothing was stored again)
    new: bool = True


def parse_nps(value: Any) -> Optional[int]:
    """0-10 from a button's entity or a typed number; anything else is not an answer."""
    text = str(value).strip() if value is not None else ""
    # isdecimal, not isdigit: "²".isdigit() is true, but int("²") raises
    return int(text) if text.isdecimal() and LOWEST <= int(text) <= HIGHEST else None


def record_nps(
    sessions: sessionmaker,
    conversation_id: str,
    score: int,
    customer_id: Optional[int] = None,
    aftercare_message_id: Optional[int] = None,
    clock: Callable[[], datetime] = utcnow,
    question_key: Optional[str] = None,
) -> RecordedNps:
    """Stores the answer. With a question key, a question already answered returns that
    answer (`new` False) and stores nothing."""
    try:
        with sessions.begin() as session:
            row = NpsResponse(conversation_id=conversation_id, customer_id=customer_id,
                              score=score, aftercare_message_id=aftercare_message_id,
                              question_key=question_key, created_at=clock())
            session.add(row)
            session.flush()
            return RecordedNps(row.id, score)
    except IntegrityError:
        existing = _answer_for(sessions, question_key)
        if existing is None:
            raise
        return existing


def _answer_for(sessions: sessionmaker, question_key: Optional[str]) -> Optional[RecordedNps]:
    """The answer already stored for this question, if any."""
    if question_key is None:
        return None
    with sessions() as session:
        row = session.execute(select(NpsResponse).where(NpsResponse.question_key == question_key)
                              ).scalar_one_or_none()
        return None if row is None else RecordedNps(row.id, row.score, new=False)
