"""Gives actions a session on the company database named by DATABASE_URL."""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from bot.settings import default_database_url
from company.database import session_factory


def company_session() -> Session:
    """A new session; use it in a `with` block so it is closed after the action."""
    return session_factory(os.environ.get("DATABASE_URL") or default_database_url())()
