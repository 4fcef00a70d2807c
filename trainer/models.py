"""The trainer's tables: agents' flags on customer messages, a trainer's decision on one
customer message the assistant handled, the reveals of a message's personal data, and the
trained model versions.

The message itself stays in Rasa's tracker store (its event id is the key); a decision row
says what was decided, by whom and when, and what was written into the training data
(already masked), so a message is reviewed once and the inbox can hide it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped

from ground.database import Base


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


class TrainerReveal(Base):
    """A trainer saw a customer message as it was written, personal data and all (the
    workbench shows it concealed): who, when, which message and why. Append-only."""

    __tablename__ = "trainer_reveals"

    id: Mapped[int] = Column(Integer, primary_key=True)
    # the `events.id` of the customer's message in Rasa's tracker store
    tracker_event_id: Mapped[int] = Column(Integer, nullable=False, index=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    revealed_by: Mapped[int] = Column(ForeignKey("staff_users.id"), nullable=False, index=True)
    reason: Mapped[str] = Column(Text, nullable=False)
    revealed_at: Mapped[datetime] = Column(DateTime, nullable=False)


class ModelStatus:
    TRAINING = "training"  # `rasa train` is running
    EVALUATING = "evaluating"  # trained; being tested on the held-out set and the stories
    READY = "ready"  # trained and evaluated: may be activated
    ACTIVE = "active"  # the model the Rasa server answers customers with (one at a time)
    RETIRED = "retired"  # was active once, replaced since (a rollback target)
    FAILED = "failed"  # training or evaluation failed; `error` says why

    RUNNING = (TRAINING, EVALUATING)


class ModelVersion(Base):
    """One trained model kept with its scores: what a trainer compares, activates and rolls
    back to. The file itself lives in the model store (MODEL_STORE_DIR)."""

    __tablename__ = "model_versions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    status: Mapped[str] = Column(String(12), nullable=False, index=True)
    # "workbench", "cli" or "build" (the model `make run` trained from the checkout)
    origin: Mapped[str] = Column(String(12), nullable=False)
    file_name: Mapped[Optional[str]] = Column(String(255))
    fingerprint: Mapped[Optional[str]] = Column(String(64), index=True)  # sha256 of the file
    note: Mapped[Optional[str]] = Column(Text)  # the trainer's words: why this run
    started_by: Mapped[Optional[int]] = Column(ForeignKey("staff_users.id"))
    started_at: Mapped[datetime] = Column(DateTime, nullable=False)
    finished_at: Mapped[Optional[datetime]] = Column(DateTime)
    progress: Mapped[float] = Column(Float, nullable=False, default=0.0)  # 0..1
    stage: Mapped[str] = Column(String(200), nullable=False, default="")
    error: Mapped[Optional[str]] = Column(Text)
    # trainer.evaluation.Scores as JSON: macro-F1, accuracy, F1 per intent, stories
    scores: Mapped[Any] = Column(JSON)
    activated_by: Mapped[Optional[int]] = Column(ForeignKey("staff_users.id"))
    activated_at: Mapped[Optional[datetime]] = Column(DateTime)
    # set when an admin activated a model the gate refused
    override_reason: Mapped[Optional[str]] = Column(Text)
