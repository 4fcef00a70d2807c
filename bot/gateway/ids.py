"""Whole numbers from clients that reach a database query as ids.

SQLite's driver cannot bind an integer beyond 64 bits (an OverflowError, which would be a
500), so the API refuses such a number itself, as it refuses any id that is not one.
"""

from __future__ import annotations

from typing import Optional

MAX_ID = 2**63 - 1


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
