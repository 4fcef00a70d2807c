"""What the handoff stores: staff accounts and their sessions, the VIP customers each account
manager owns, tickets, and each ticket's history.

A ticket is one handoff of one conversation. Everything about a waiting ticket (its
reasons, route, owner, SLA due times) is in these rows, never only in memory, so a restart
loses nothing. A ticket's history (created, claimed, transferred, noted, resolved) is an
append-only list of events; the owner history is read from it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, List, Optional

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, relationship

from ground.database import Base


class Role:
    AGENT = "agent"  # tier 1, frontline
    EXPERT = "expert"  # tier 2, by skill
    ACCOUNT_MANAGER = "account_manager"  # tier 3, owns named VIP customers
    TRAINER = "trainer"
    ADMIN = "admin"

    ALL = (AGENT, EXPERT, ACCOUNT_MANAGER, TRAINER, ADMIN)
    TIER = {AGENT: 1, EXPERT: 2, ACCOUNT_MANAGER: 3}


class Skill:
    TECHNICAL = "technical"
    PRODUCT = "product"
    OPERATIONS = "operations"

    ALL = (TECHNICAL, PRODUCT, OPERATIONS)


class TicketStatus:
    QUEUED = "queued"  # waiting for someone to claim it
    CLAIMED = "claimed"  # owned by one person until resolved or transferred
    RESOLVED = "resolved"

    ALL = (QUEUED, CLAIMED, RESOLVED)


class EventKind:
    CREATED = "created"
    CLAIMED = "claimed"
    TRANSFERRED = "transferred"
    NOTE = "note"
    REPLIED = "replied"
    REASON_ADDED = "reason_added"
    RESOLVED = "resolved"


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = Column(Integer, primary_key=True)
    username: Mapped[str] = Column(String(64), nullable=False, unique=True)
    display_name: Mapped[str] = Column(String(120), nullable=False)
    password_hash: Mapped[str] = Column(String(255), nullable=False)
    role: Mapped[str] = Column(String(16), nullable=False)
    skills: Mapped[Any] = Column(JSON, nullable=False, default=list)
    capacity: Mapped[int] = Column(Integer, nullable=False, default=5)
    active: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)


class StaffSession(Base):
    """A login. The bearer token is random; only its SHA-256 is stored."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    token_hash: Mapped[str] = Column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = Column(ForeignKey("staff_users.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = Column(DateTime, nullable=False)
    revoked_at: Mapped[Optional[datetime]] = Column(DateTime)


class AccountAssignment(Base):
    """A VIP customer's account manager (one manager per customer)."""

    __tablename__ = "account_assignments"

    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), primary_key=True)
    manager_id: Mapped[int] = Column(ForeignKey("staff_users.id"), nullable=False, index=True)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_queue", "status", "tier", "priority", "created_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    channel: Mapped[str] = Column(String(16), nullable=False)
    customer_id: Mapped[Optional[int]] = Column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = Column(String(10), nullable=False)
    tier: Mapped[int] = Column(Integer, nullable=False)
    skill: Mapped[Optional[str]] = Column(String(16))
    # a ticket routed to one person (a VIP's account manager, or a transfer to a person)
    assignee_id: Mapped[Optional[int]] = Column(ForeignKey("staff_users.id"), index=True)
    owner_id: Mapped[Optional[int]] = Column(ForeignKey("staff_users.id"), index=True)
    reasons: Mapped[Any] = Column(JSON, nullable=False)
    priority: Mapped[int] = Column(Integer, nullable=False)
    # profile, intents, slots, entities, needs, bot answers, sentiment trajectory
    context: Mapped[Any] = Column(JSON, nullable=False)
    summary: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
    first_response_due: Mapped[datetime] = Column(DateTime, nullable=False)
    resolution_due: Mapped[datetime] = Column(DateTime, nullable=False)
    claimed_at: Mapped[Optional[datetime]] = Column(DateTime)
    first_response_at: Mapped[Optional[datetime]] = Column(DateTime)
    resolved_at: Mapped[Optional[datetime]] = Column(DateTime)
    outcome: Mapped[Optional[Any]] = Column(JSON)
    # the resolved ticket this one follows up (a low rating reopens the loop)
    follow_up_of: Mapped[Optional[int]] = Column(ForeignKey("tickets.id"), index=True)
    updated_at: Mapped[datetime] = Column(DateTime, nullable=False)

    events: Mapped[List["TicketEvent"]] = relationship(
        "TicketEvent", order_by="TicketEvent.id", back_populates="ticket",
        foreign_keys="TicketEvent.ticket_id",
    )


class TicketEvent(Base):
    __tablename__ = "ticket_events"

    id: Mapped[int] = Column(Integer, primary_key=True)
    ticket_id: Mapped[int] = Column(ForeignKey("tickets.id"), nullable=False, index=True)
    kind: Mapped[str] = Column(String(16), nullable=False)
    actor_id: Mapped[Optional[int]] = Column(ForeignKey("staff_users.id"))
    body: Mapped[Optional[str]] = Column(Text)
    data: Mapped[Optional[Any]] = Column(JSON)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)

    ticket: Mapped[Ticket] = relationship("Ticket", back_populates="events")


class Rating(Base):
    """A customer's 1-5 rating after a case was resolved (the feedback issue adds comments,
    NPS and free feedback beside it), stored only as the answer to the rating question."""

    __tablename__ = "ratings"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    ticket_id: Mapped[Optional[int]] = Column(ForeignKey("tickets.id"), index=True)
    score: Mapped[int] = Column(Integer, nullable=False)
    # the follow-up ticket a low score opened
    follow_up_ticket_id: Mapped[Optional[int]] = Column(ForeignKey("tickets.id"))
    # the rating question this answers (actions.scores.AskedQuestion.key): one rating per
    # question; null on rows stored before ratings were keyed
    question_key: Mapped[Optional[str]] = Column(String(120), index=True, unique=True)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
