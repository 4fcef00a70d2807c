"""What the needs capture stores: confirmed requirement sheets (5W1H), what the customer adds
to one later, and the deliveries of each sheet to the product and technical teams' webhook.

A delivery is an outbox row: written in the same transaction as the requirement, sent by
the gateway's webhook worker, retried with backoff until it succeeds or gives up, so a
crash or a receiver that is down loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, List, Optional

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, relationship

from ground.database import Base


class DeliveryStatus:
    PENDING = "pending"  # waiting for its next attempt
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last attempt

    ALL = (PENDING, DELIVERED, FAILED)


class Requirement(Base):
    """A customer's confirmed need, in their own words, field by field (None: not known)."""

    __tablename__ = "requirements"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    customer_id: Mapped[Optional[int]] = Column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = Column(String(16), nullable=False)
    why: Mapped[Optional[str]] = Column(Text)
    what: Mapped[Optional[str]] = Column(Text)
    when: Mapped[Optional[str]] = Column(Text)
    where: Mapped[Optional[str]] = Column(Text)
    who: Mapped[Optional[str]] = Column(Text)
    how: Mapped[Optional[str]] = Column(Text)
    # what the extraction found in the customer's words (dates, places, organisations, ...)
    details: Mapped[Any] = Column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False, index=True)
    notes: Mapped[List["RequirementNote"]] = relationship("RequirementNote", order_by="RequirementNote.id",
                                                         viewonly=True)


class RequirementNote(Base):
    """Something the customer added to a confirmed requirement later, in their own words
    ("can I add something to REQ-00015? we also want 250 coasters")."""

    __tablename__ = "requirement_notes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    requirement_id: Mapped[int] = Column(ForeignKey("requirements.id"), nullable=False, index=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    requirement_id: Mapped[int] = Column(ForeignKey("requirements.id"), nullable=False, index=True)
    url: Mapped[str] = Column(String(500), nullable=False)
    status: Mapped[str] = Column(String(10), nullable=False)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = Column(DateTime, nullable=False)
    last_error: Mapped[Optional[str]] = Column(Text)
    delivered_at: Mapped[Optional[datetime]] = Column(DateTime)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
