"""Gives actions a session on the company database named by DATABASE_URL."""

from __future__ import annotations

import os

from sqlalchemy.orm import Session, sessionmaker

from bot.settings import default_database_url
from company.database import session_factory


def company_sessions() -> sessionmaker:
    """The session factory of the database (for stores that open their own transactions)."""
    return session_factory(os.environ.get("DATABASE_URL") or default_database_url())


def company_session() -> Session:
    """A new session; use it in a `with` block so it is closed after the action."""
    return company_sessions()()
