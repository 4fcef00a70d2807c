"""What the closed loop stores: free feedback (and rating comments), NPS answers, the
3-7-30 aftercare messages after a resolved ticket, and customers who asked for no more of
them.

An aftercare message row is the schedule itself: it is written when a ticket is resolved, so a
restart loses nothing, and it is claimed by one worker with a conditional UPDATE, so two
gateway processes never send the same aftercare message twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import (Column, DateTime, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped

from ground.database import Base


class FeedbackKind:
    FEEDBACK = "feedback"
    COMPLIMENT = "compliment"
    SUGGESTION = "suggestion"
    RATING_COMMENT = "rating_comment"

    ALL = (FEEDBACK, COMPLIMENT, SUGGESTION, RATING_COMMENT)


class AftercareKind:
    SOLVED_CHECK = "solved_check"  # day 3: is the problem fully solved?
    USAGE_TIPS = "usage_tips"  # day 7: the guide for the topic
    NPS = "nps"  # day 30: how likely to recommend us (0-10)
    CHECK_IN = "check_in"  # day 30, VIP: a task for the account manager

    ALL = (SOLVED_CHECK, USAGE_TIPS, NPS, CHECK_IN)


class AftercareStatus:
    PENDING = "pending"
    SENDING = "sending"  # claimed by one worker
    SENT = "sent"
    CANCELLED = "cancelled"  # opted out, or the case was reopened

    ALL = (PENDING, SENDING, SENT, CANCELLED)


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    customer_id: Mapped[Optional[int]] = Column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = Column(String(16), nullable=False)
    category: Mapped[str] = Column(String(24), nullable=False)
    # VADER compound score of the text, -1 (very negative) to 1
    sentiment: Mapped[float] = Column(Float, nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    rating_id: Mapped[Optional[int]] = Column(ForeignKey("ratings.id"), index=True)
    # the ticket a negative comment opened for a person
    follow_up_ticket_id: Mapped[Optional[int]] = Column(ForeignKey("tickets.id"))
    created_at: Mapped[datetime] = Column(DateTime, nullable=False, index=True)


class NpsResponse(Base):
    __tablename__ = "nps_responses"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    customer_id: Mapped[Optional[int]] = Column(ForeignKey("customers.id"), index=True)
    score: Mapped[int] = Column(Integer, nullable=False)
    aftercare_message_id: Mapped[Optional[int]] = Column(ForeignKey("aftercare_messages.id"))
    # the NPS question this answers (actions.scores.AskedQuestion.key): one answer per
    # question; null on rows stored before answers were keyed
    question_key: Mapped[Optional[str]] = Column(String(120), index=True, unique=True)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False, index=True)


class AftercareMessage(Base):
    __tablename__ = "aftercare_messages"
    __table_args__ = (
        UniqueConstraint("ticket_id", "kind", name="uq_aftercare_messages_ticket_kind"),
        Index("ix_aftercare_messages_due", "status", "due_at"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    ticket_id: Mapped[int] = Column(ForeignKey("tickets.id"), nullable=False, index=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    kind: Mapped[str] = Column(String(16), nullable=False)
    due_at: Mapped[datetime] = Column(DateTime, nullable=False)
    status: Mapped[str] = Column(String(10), nullable=False)
    # the worker holding it and until when (a worker that died lets it go after the lease)
    claimed_by: Mapped[Optional[str]] = Column(String(64))
    lease_until: Mapped[Optional[datetime]] = Column(DateTime)
    sent_at: Mapped[Optional[datetime]] = Column(DateTime)
    # e.g. the check-in task's ticket, or what the customer answered
    outcome: Mapped[Optional[str]] = Column(Text)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)


class AftercareOptOut(Base):
    """A conversation whose customer replied "stop": no more aftercare messages there."""

    __tablename__ = "aftercare_opt_outs"

    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), primary_key=True)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
