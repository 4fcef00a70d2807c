"""Gives actions a session on the company database of the settings (DATABASE_URL, read by
ground.settings like every other setting), the ticket store on it, and the gateway
conversation a tracker belongs to."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Optional

from sqlalchemy.orm import Session, sessionmaker

from conversations.store import ConversationRecord, ConversationStore
from ground.settings import Settings
from ground.database import session_factory
from feedback.aftercare import AftercareScheduler
from feedback.schedule import AftercareSchedule
from handoff.sla import SlaPolicy
from handoff.tickets import TicketStore


def company_sessions() -> sessionmaker:
    """The session factory of the database (for stores that open their own transactions)."""
    return session_factory(_database_url(os.environ.get("DATABASE_URL")))


@lru_cache(maxsize=4)
def _database_url(_from_environment: Optional[str]) -> str:
    """The settings' database URL, read (with `.env`) once per value of DATABASE_URL in the
    environment, not for every action."""
    return Settings.from_env().database_url


def company_session() -> Session:
    """A new session; use it in a `with` block so it is closed after the action."""
    return company_sessions()()


def gateway_conversation(sender_id: str) -> Optional[ConversationRecord]:
    """The gateway's conversation behind this tracker; None outside the gateway (rasa
    shell), where there is nothing to store customer data against."""
    return ConversationStore(company_sessions()).conversation(sender_id)


def ticket_store() -> TicketStore:
    """The handoff's tickets, with the SLA clocks from the settings and the aftercare messages
    listening (a reopened case cancels its pending ones)."""
    settings = Settings.from_env()
    return TicketStore(company_sessions(), SlaPolicy.from_settings(settings),
                       listeners=[AftercareScheduler(AftercareSchedule.from_settings(settings))])
