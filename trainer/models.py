"""Agents' flags on customer messages, and a trainer's decision on one customer message
the assistant handled.

The message itself stays in Rasa's tracker store (its event id is the key); this row says
what was decided, by whom and when, and what was written into the training data (already
masked), so a message is reviewed once and the inbox can hide it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped

from company.models import Base


class Verdict:
    CONFIRM = "confirm"  # the predicted intent was right: keep it as an example
    CORRECT = "correct"  # another (or a new) intent: written with that label
    DISCARD = "discard"  # not useful as training data

    ALL = (CONFIRM, CORRECT, DISCARD)


class TrainingFlag(Base):
    """An agent's mark on a customer message in the console: "the bot got this wrong"."""

    __tablename__ = "training_flags"

    id: Mapped[int] = Column(Integer, primary_key=True)
    message_id: Mapped[int] = Column(ForeignKey("messages.id"), nullable=False, unique=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    flagged_by: Mapped[int] = Column(ForeignKey("staff_users.id"), nullable=False)
    note: Mapped[Optional[str]] = Column(Text)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)


class ReviewDecision(Base):
    __tablename__ = "review_decisions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    # the `events.id` of the customer's message in Rasa's tracker store
    tracker_event_id: Mapped[int] = Column(Integer, nullable=False, unique=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    verdict: Mapped[str] = Column(String(10), nullable=False)
    predicted_intent: Mapped[Optional[str]] = Column(String(100))
    intent: Mapped[Optional[str]] = Column(String(100))
    # the example as written into data/ (personal data masked), None when discarded
    example: Mapped[Optional[str]] = Column(Text)
    entities: Mapped[Any] = Column(JSON, nullable=False, default=list)
    reviewer_id: Mapped[int] = Column(ForeignKey("staff_users.id"), nullable=False)
    decided_at: Mapped[datetime] = Column(DateTime, nullable=False)
