"""The rating after a resolved case, and the closed loop: a rating of 1 or 2 opens a
follow-up ticket for a person, linked to the ticket it rates and routed back to whoever
owned it. The feedback issue builds comments, NPS and the service report on top of these
rows.

A rating is stored with the key of the question it answers (actions.scores), under a
unique index: the row claims the question before the follow-up ticket is opened, so an
answer that arrives twice keeps one rating and opens no second ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, Optional

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ground.clock import utcnow
from handoff.escalation import PRIORITY_HIGH, Decision, Reason
from handoff.models import Rating
from handoff.tickets import TicketStore

LOWEST, HIGHEST = 1, 5
FOLLOW_UP_AT_OR_BELOW = 2


@dataclass(frozen=True)
class RecordedRating:
    id: int
    score: int
    rated_ticket: Optional[int]
    follow_up_ticket: Optional[int]
    # False when this question's rating was already stored (nothing was done again)
    new: bool = True


def parse_score(value: Any) -> Optional[int]:
    """1-5 from a button's entity or a typed digit; anything else is not a rating."""
    text = str(value).strip() if value is not None else ""
    # isdecimal, not isdigit: "²".isdigit() is true, but int("²") raises
    return int(text) if text.isdecimal() and LOWEST <= int(text) <= HIGHEST else None


def open_follow_up(tickets: TicketStore, conversation_id: str, reason: str, summary: str,
                   context: Dict[str, Any]) -> int:
    """The closed loop: a ticket for a person, linked to the conversation's last resolved
    ticket (if any) and routed back to whoever owned it."""
    earlier = tickets.last_resolved(conversation_id)
    decision = Decision(True, (reason,), PRIORITY_HIGH, emotional=True)
    return tickets.open(conversation_id, decision, dict(context, follow_up_of=earlier), summary,
                        context.get("profile", {}).get("id"), follow_up_of=earlier).id


def record_rating(
    sessions: sessionmaker,
    tickets: TicketStore,
    conversation_id: str,
    score: int,
    context: Dict[str, Any],
    clock: Callable[[], datetime] = utcnow,
    question_key: Optional[str] = None,
) -> RecordedRating:
    """Stores the rating; a low one opens the follow-up ticket. With a question key, a
    question already rated returns that rating (`new` False) and changes nothing."""
    rated = tickets.last_resolved(conversation_id)
    try:
        with sessions.begin() as session:
            row = Rating(conversation_id=conversation_id, ticket_id=rated, score=score,
                         question_key=question_key, created_at=clock())
            session.add(row)
            session.flush()
            rating_id = row.id
    except IntegrityError:
        existing = _rating_for(sessions, question_key)
        if existing is None:
            raise
        return existing
    follow_up = None
    if score <= FOLLOW_UP_AT_OR_BELOW:
        summary = (f"The customer rated the help {score}/5 after ticket #{rated} was resolved; "
                   "a person should follow up." if rated else
                   f"The customer rated the help {score}/5; a person should follow up.")
        follow_up = open_follow_up(tickets, conversation_id, Reason.LOW_RATING, summary,
                                   dict(context, rating=score))
        with sessions.begin() as session:
            session.execute(update(Rating).where(Rating.id == rating_id)
                            .values(follow_up_ticket_id=follow_up)
                            .execution_options(synchronize_session=False))
    return RecordedRating(rating_id, score, rated, follow_up)


def _rating_for(sessions: sessionmaker, question_key: Optional[str]) -> Optional[RecordedRating]:
    """The rating already stored for this question, if any."""
    if question_key is None:
        return None
    with sessions() as session:
        row = session.execute(select(Rating).where(Rating.question_key == question_key)
                              ).scalar_one_or_none()
        if row is None:
            return None
        return RecordedRating(row.id, row.score, row.ticket_id, row.follow_up_ticket_id, new=False)
