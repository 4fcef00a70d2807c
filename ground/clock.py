"""The time every business rule uses: naive UTC, as stored in the database."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
