"""Failed identity checks, counted in the database across conversations and channels, and
the locks they lead to.

Self-service on an order or an account (seeing an order, changing its address, cancelling
it, changing contact details) needs the customer to prove who they are. Each failed proof
is a row in `identity_checks`, with the order or account it was against, its owner when
there is one, the client's address and the conversation. A lock is derived from those rows,
never stored, so this module is the one place that decides:

- one order: `failures` failed proofs within `window` lock it, whoever asks next;
- one customer: the same number over all their orders and their account;
- one client address (a web client, a Telegram chat): `address_failures` within
  `address_window`, whatever they were aimed at.

A lock lasts until the oldest failure that made it leaves the window. A refused attempt
(made while locked) is recorded too, for staff, but does not extend the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import func, or_, select
from sqlalchemy.orm import sessionmaker

from ground.clock import utcnow
from ground.settings import Settings
from company.models import IdentityCheck

ORDER, ACCOUNT = "order", "account"
FAILED, REFUSED = "failed", "refused"
# what a lock applies to
ORDER_SCOPE, CUSTOMER_SCOPE, ADDRESS_SCOPE = "order", "customer", "address"
# the conversation's proof of an order (the order form's slot): verified, or locked after
# too many failed checks (set by actions/verification.py, read by the escalation decision)
PROOF_SLOT = "order_verifier"
PROOF_VERIFIED, PROOF_LOCKED = "ok", "failed"


@dataclass(frozen=True)
class IdentityLimits:
    failures: int = 5
    window: timedelta = timedelta(hours=24)
    address_failures: int = 10
    address_window: timedelta = timedelta(hours=1)

    @classmethod
    def from_settings(cls, settings: Settings) -> "IdentityLimits":
        return cls(failures=settings.identity_failures_before_lock,
                   window=timedelta(hours=settings.identity_lock_hours),
                   address_failures=settings.identity_failures_per_address)


@dataclass(frozen=True)
class Attempt:
    """Who is trying, as far as the assistant knows."""

    conversation_id: Optional[str] = None
    channel: Optional[str] = None
    client_address: Optional[str] = None


@dataclass(frozen=True)
class Lock:
    scope: str  # ORDER_SCOPE, CUSTOMER_SCOPE or ADDRESS_SCOPE
    until: datetime
    failures: int


class IdentityChecks:
    def __init__(self, sessions: sessionmaker, limits: IdentityLimits = IdentityLimits(),
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._limits = limits
        self._clock = clock

    def lock(self, *, order_number: Optional[str] = None, customer_id: Optional[int] = None,
             client_address: Optional[str] = None) -> Optional[Lock]:
        """The lock that stops self-service for this order, customer or client, if any."""
        now = self._clock()
        limits = self._limits
        scopes = [
            (ORDER_SCOPE, order_number is not None,
             (IdentityCheck.kind == ORDER) & (IdentityCheck.target == order_number),
             limits.failures, limits.window),
            (CUSTOMER_SCOPE, customer_id is not None, IdentityCheck.customer_id == customer_id,
             limits.failures, limits.window),
            (ADDRESS_SCOPE, bool(client_address), IdentityCheck.client_address == client_address,
             limits.address_failures, limits.address_window),
        ]
        with self._sessions() as session:
            for scope, applies, condition, allowed, window in scopes:
                if not applies:
                    continue
                times = session.execute(
                    select(IdentityCheck.created_at)
                    .where(condition, IdentityCheck.outcome == FAILED,
                           IdentityCheck.created_at > now - window)
                    .order_by(IdentityCheck.created_at.desc())
                    .limit(allowed)
                ).scalars().all()
                if len(times) >= allowed:
                    return Lock(scope, times[-1] + window, len(times))
        return None

    def record(self, attempt: Attempt, kind: str, target: str, customer_id: Optional[int],
               outcome: str = FAILED) -> None:
        with self._sessions.begin() as session:
            session.add(IdentityCheck(
                created_at=self._clock(), kind=kind, target=target[:254], customer_id=customer_id,
                client_address=(attempt.client_address or None) and attempt.client_address[:64],
                conversation_id=attempt.conversation_id, channel=attempt.channel, outcome=outcome))

    def recent(self, *, order_number: Optional[str] = None, customer_id: Optional[int] = None,
               limit: int = 20) -> List[Dict[str, Any]]:
        """The latest failed and refused attempts on this order or customer, for staff."""
        about = _about(order_number, customer_id)
        if about is None:
            return []
        with self._sessions() as session:
            rows = session.execute(
                select(IdentityCheck).where(about)
                .order_by(IdentityCheck.created_at.desc()).limit(limit)
            ).scalars().all()
            return [{"at": row.created_at.isoformat() + "Z", "kind": row.kind,
                     "target": row.target, "outcome": row.outcome, "channel": row.channel,
                     "client_address": row.client_address,
                     "conversation_id": row.conversation_id} for row in rows]

    def conversations_tried(self, *, order_number: Optional[str] = None,
                            customer_id: Optional[int] = None) -> int:
        """How many conversations failed checks on this order or customer in the window."""
        about = _about(order_number, customer_id)
        if about is None:
            return 0
        with self._sessions() as session:
            return int(session.execute(
                select(func.count(func.distinct(IdentityCheck.conversation_id)))
                .where(about, IdentityCheck.outcome == FAILED,
                       IdentityCheck.created_at > self._clock() - self._limits.window)
            ).scalar_one())


def _about(order_number: Optional[str], customer_id: Optional[int]) -> Optional[Any]:
    """Rows about this order (by number) or this customer (any of theirs)."""
    conditions = []
    if order_number is not None:
        conditions.append((IdentityCheck.kind == ORDER) & (IdentityCheck.target == order_number))
    if customer_id is not None:
        conditions.append(IdentityCheck.customer_id == customer_id)
    return or_(*conditions) if conditions else None
