"""Gives actions a session on the company database named by DATABASE_URL, the ticket
store on it, and the gateway conversation a tracker belongs to."""

from __future__ import annotations

import os

from typing import Optional

from sqlalchemy.orm import Session, sessionmaker

from bot.gateway.store import ConversationRecord, ConversationStore
from bot.settings import Settings, default_database_url
from company.database import session_factory
from handoff.tickets import TicketStore


def company_sessions() -> sessionmaker:
    """The session factory of the database (for stores that open their own transactions)."""
    return session_factory(os.environ.get("DATABASE_URL") or default_database_url())


def company_session() -> Session:
    """A new session; use it in a `with` block so it is closed after the action."""
    return company_sessions()()


def gateway_conversation(sender_id: str) -> Optional[ConversationRecord]:
    """The gateway's conversation behind this tracker; None outside the gateway (rasa
    shell), where there is nothing to store customer data against."""
    return ConversationStore(company_sessions()).conversation(sender_id)


def ticket_store() -> TicketStore:
    """The handoff's tickets, with the SLA clocks from the settings."""
    return TicketStore(company_sessions(), Settings.from_env(dict(os.environ)).sla)
