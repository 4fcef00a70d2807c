"""The rating after a resolved case, and the closed loop: a rating of 1 or 2 opens a
follow-up ticket for a person, linked to the ticket it rates and routed back to whoever
owned it. Every rating is stored; the feedback issue builds comments, NPS and the service
report on top of these rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, Optional

from sqlalchemy.orm import sessionmaker

from company.clock import utcnow
from handoff.escalation import PRIORITY_HIGH, Decision, Reason
from handoff.models import Rating
from handoff.tickets import TicketStore

LOWEST, HIGHEST = 1, 5
FOLLOW_UP_AT_OR_BELOW = 2


@dataclass(frozen=True)
class RecordedRating:
    score: int
    rated_ticket: Optional[int]
    follow_up_ticket: Optional[int]


def parse_score(value: Any) -> Optional[int]:
    """1-5 from a button's entity or a typed digit; anything else is not a rating."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and LOWEST <= int(text) <= HIGHEST else None


def record_rating(
    sessions: sessionmaker,
    tickets: TicketStore,
    conversation_id: str,
    score: int,
    context: Dict[str, Any],
    clock: Callable[[], datetime] = utcnow,
) -> RecordedRating:
    rated = tickets.last_resolved(conversation_id)
    follow_up = None
    if score <= FOLLOW_UP_AT_OR_BELOW:
        decision = Decision(True, (Reason.LOW_RATING,), PRIORITY_HIGH, emotional=True)
        summary = (f"The customer rated the help {score}/5 after ticket #{rated} was resolved; "
                   "a person should follow up." if rated else
                   f"The customer rated the help {score}/5; a person should follow up.")
        context = dict(context, rating=score, follow_up_of=rated)
        follow_up = tickets.open(conversation_id, decision, context, summary,
                                 context.get("profile", {}).get("id"), follow_up_of=rated).id
    with sessions.begin() as session:
        session.add(Rating(conversation_id=conversation_id, ticket_id=rated, score=score,
                           follow_up_ticket_id=follow_up, created_at=clock()))
    return RecordedRating(score, rated, follow_up)

