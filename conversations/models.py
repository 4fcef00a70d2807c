"""What the gateway stores: who chats, on which channel, and every message in and out.

The tables live in the same database as the company's data (one `DATABASE_URL`) and share
its metadata, so that one Alembic history migrates both. A chat customer is a person as
the gateway knows them (anonymous at first; linked to a company customer once known); one
chat customer may reach us through several channel identities (a web browser, a Telegram
account). Message ids grow monotonically and serve as the transcript cursor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, List, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, relationship

from ground.database import Base


class State:
    """Who is in charge of a conversation."""

    BOT = "bot"  # the assistant answers
    QUEUED = "queued"  # waiting for a human agent (handoff issue)
    AGENT = "agent"  # a human agent answers (handoff issue)

    ALL = (BOT, QUEUED, AGENT)


class Author:
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class Direction:
    INBOUND = "in"
    OUTBOUND = "out"


class DeliveryStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; shown to staff, never dropped


class ChatCustomer(Base):
    __tablename__ = "chat_customers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    display_name: Mapped[Optional[str]] = Column(String(120))
    customer_id: Mapped[Optional[int]] = Column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)

    identities: Mapped[List["ChannelIdentity"]] = relationship(
        "ChannelIdentity", back_populates="chat_customer"
    )


class ChannelIdentity(Base):
    """An address on one channel: a web conversation's browser, a Telegram chat."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    chat_customer_id: Mapped[int] = Column(
        ForeignKey("chat_customers.id"), nullable=False, index=True
    )
    channel: Mapped[str] = Column(String(16), nullable=False)
    external_id: Mapped[str] = Column(String(64), nullable=False)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)

    # every conversation record carries the customer: loaded in the same query
    chat_customer: Mapped[ChatCustomer] = relationship(
        "ChatCustomer", back_populates="identities", lazy="joined", innerjoin=True
    )


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = Column(String(32), primary_key=True)
    channel: Mapped[str] = Column(String(16), nullable=False)
    identity_id: Mapped[int] = Column(
        ForeignKey("channel_identities.id"), nullable=False, index=True
    )
    chat_customer_id: Mapped[int] = Column(
        ForeignKey("chat_customers.id"), nullable=False, index=True
    )
    state: Mapped[str] = Column(String(8), nullable=False, default=State.BOT)
    # set when a human must look at the conversation (assistant down, ...)
    needs_human: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    flag_reason: Mapped[Optional[str]] = Column(String(40))
    flagged_at: Mapped[Optional[datetime]] = Column(DateTime)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
    updated_at: Mapped[datetime] = Column(DateTime, nullable=False)
    # customer tokens carry the generation they were issued for; revoking moves it on
    token_generation: Mapped[int] = Column(Integer, nullable=False, default=0,
                                           server_default="0")

    # every conversation record carries its identity and customer: one query, not three
    identity: Mapped[ChannelIdentity] = relationship("ChannelIdentity", lazy="joined",
                                                     innerjoin=True)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_cursor", "conversation_id", "id"),
        UniqueConstraint("conversation_id", "client_message_id"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = Column(
        ForeignKey("conversations.id"), nullable=False
    )
    channel: Mapped[str] = Column(String(16), nullable=False)
    direction: Mapped[str] = Column(String(3), nullable=False)
    author: Mapped[str] = Column(String(8), nullable=False)
    # "text", "button" (a pressed quick reply), or what the channel sent: photo, sticker ...
    kind: Mapped[str] = Column(String(16), nullable=False, default="text")
    text: Mapped[Optional[str]] = Column(Text)
    payload: Mapped[Optional[str]] = Column(String(400))
    buttons: Mapped[Optional[Any]] = Column(JSON)
    # the sender's own id for the message, so that a resent message is stored once
    client_message_id: Mapped[Optional[str]] = Column(String(64))
    # the channel's id for it once delivered (Telegram message_id)
    external_id: Mapped[Optional[str]] = Column(String(64))
    # inbound: where it came from (the web client's address, "telegram:<chat id>"), for the
    # limits that count per client (identity checks); never shown to customers
    client_address: Mapped[Optional[str]] = Column(String(64))
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
    # inbound: when the gateway finished routing it (None = still to route, e.g. after a crash)
    handled_at: Mapped[Optional[datetime]] = Column(DateTime, index=True)


class Delivery(Base):
    """An outbound message still to be (or already) delivered to a push channel."""

    __tablename__ = "deliveries"
    # the delivery worker looks, for each due message, for an older one to the same address
    # still waiting (ConversationStore.due_deliveries)
    __table_args__ = (
        Index("ix_deliveries_address_waiting", "channel", "address", "status", "next_attempt_at"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    message_id: Mapped[int] = Column(ForeignKey("messages.id"), nullable=False, index=True)
    channel: Mapped[str] = Column(String(16), nullable=False)
    address: Mapped[str] = Column(String(64), nullable=False)
    status: Mapped[str] = Column(String(8), nullable=False, default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = Column(DateTime, nullable=False, index=True)
    last_error: Mapped[Optional[str]] = Column(String(400))
    sent_at: Mapped[Optional[datetime]] = Column(DateTime)
