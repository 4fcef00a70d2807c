"""The NPS answer of the day-30 follow-up: how likely, 0 to 10, the customer would
recommend the company. Stored with the follow-up it answers; 0-6 is a detractor."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Optional

from sqlalchemy.orm import sessionmaker

from company.clock import utcnow
from feedback.models import NpsResponse

LOWEST, HIGHEST = 0, 10
DETRACTOR_AT_OR_BELOW = 6


def parse_nps(value: Any) -> Optional[int]:
    """0-10 from a button's entity or a typed number; anything else is not an answer."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and LOWEST <= int(text) <= HIGHEST else None


def record_nps(
    sessions: sessionmaker,
    conversation_id: str,
    score: int,
    customer_id: Optional[int] = None,
    follow_up_id: Optional[int] = None,
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """Stores the answer; returns its id."""
    with sessions.begin() as session:
        row = NpsResponse(conversation_id=conversation_id, customer_id=customer_id, score=score,
                          follow_up_id=follow_up_id, created_at=clock())
        session.add(row)
        session.flush()
        return row.id
