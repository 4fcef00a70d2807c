"""Rasa's lock store in Redis, with each change of a conversation's lock made atomic
(endpoints-scaled.yml `lock_store.type`).

Rasa 3.6's RedisLockStore reads a conversation's lock, changes it in the Rasa server's
memory and writes it back: two Rasa servers that take a ticket for the same conversation
at nearly the same moment (one of them paused by the scheduler between its read and its
write is enough, on a busy machine) both read "no lock", both take ticket 0, and both
process their turn at once, each on a tracker without the other's turn. The scaled
profile's test saw exactly that. Here every read-change-write of a lock (taking a ticket,
dropping expired ones, giving a ticket back and deleting the lock when nobody waits) is a
Redis transaction (WATCH, MULTI, EXEC) that is tried again when another server changed the
lock in between. The lock's key and JSON are Rasa's own.
"""

from __future__ import annotations

import json
from typing import Callable, Optional, Text, Tuple, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose changes to a lock are Redis transactions."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # a custom lock store gets its endpoint's settings whole (Rasa's `type: redis`
        # gets them as arguments)
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: Text,
                change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]) -> T:
        """Applies `change` to the stored lock (None: there is none) and stores what it
        returns (None: deletes it), as one transaction; returns `change`'s result."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    changed, result = change(lock)
                    pipe.multi()
                    if changed is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed the lock meanwhile: read it again

    def issue_ticket(self, conversation_id: Text,
                     lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def give_back(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, give_back)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Gives the ticket back; the lock goes with the last ticket, in the same
        transaction (Rasa's own deletes it after a second read, which can drop a ticket
        taken in between)."""
        self.finish_serving(conversation_id, ticket_number)
