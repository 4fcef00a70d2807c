"""Ids that come from clients: whole numbers that reach a database query, and a message's
optional own id from its sender.

SQLite's driver cannot bind an integer beyond 64 bits (an OverflowError, which would be a
500), so the API refuses such a number itself, as it refuses any id that is not one.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from ground.web.errors import ApiError

MAX_ID = 2**63 - 1
MAX_CLIENT_ID_LENGTH = 64


def is_id(value: object) -> bool:
    """A JSON integer (not a boolean) from 1 to MAX_ID."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse_id(raw: str) -> Optional[int]:
    """A non-negative whole number written in ASCII digits, up to MAX_ID; None otherwise.
    (`str.isdigit` alone would take "²" or "٣", which `int` then refuses or reads.)"""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


def client_message_id(body: Dict[str, Any]) -> Optional[str]:
    """The sender's optional own id for a message: a resend with the same id is stored once
    (customers' messages here, agents' replies in the staff API)."""
    client_id = body.get("client_message_id")
    if client_id is not None and (
        not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID_LENGTH
    ):
        raise ApiError(422, "invalid",
                       f"client_message_id must be a string of 1-{MAX_CLIENT_ID_LENGTH} characters")
    return client_id
