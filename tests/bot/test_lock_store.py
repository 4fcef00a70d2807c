"""Rasa's lock store with atomic changes (bot.runtime.lock_store) on a real Redis: two
stores (two Rasa servers) taking tickets for one conversation at once never get the same
ticket, which Rasa's own RedisLockStore does (read, change, write back)."""

from __future__ import annotations

import threading
from typing import Callable, List

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.lock_store import AtomicRedisLockStore
from tests.redis_server import RedisServer, redis  # noqa: F401 (a fixture)

TICKETS_EACH = 150


def atomic_store(server: RedisServer) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=server.port, db=0,
                                               key_prefix="caredesk"))


def tickets_taken_at_once(make_store: Callable[[], RedisLockStore], conversation: str) -> List[int]:
    """Two stores, each in its own thread, take TICKETS_EACH tickets as fast as they can."""
    stores = [make_store(), make_store()]
    taken: List[int] = []
    start = threading.Barrier(len(stores))

    def take(store: RedisLockStore) -> None:
        start.wait(timeout=10)
        for _ in range(TICKETS_EACH):
            taken.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return taken


def test_tickets_taken_at_once_by_two_servers_are_all_different(redis: RedisServer) -> None:
    taken = tickets_taken_at_once(lambda: atomic_store(redis), "at-once")
    assert len(taken) == 2 * TICKETS_EACH
    assert sorted(taken) == list(range(2 * TICKETS_EACH))


def test_rasas_own_store_hands_out_a_ticket_twice(redis: RedisServer) -> None:
    """What the atomic store is for (if Rasa's own ever stops doing this, it can go)."""
    taken = tickets_taken_at_once(
        lambda: RedisLockStore(host="127.0.0.1", port=redis.port, db=0, key_prefix="rasa"),
        "at-once")
    assert len(set(taken)) < len(taken)


def test_a_lock_goes_with_its_last_ticket_and_waiting_is_in_turn(redis: RedisServer) -> None:
    first, second = atomic_store(redis), atomic_store(redis)
    one = first.issue_ticket("in-turn")
    two = second.issue_ticket("in-turn")
    assert (one, two) == (0, 1)
    assert not first.get_lock("in-turn").is_locked(one)
    assert second.get_lock("in-turn").is_locked(two)
    first.cleanup("in-turn", one)
    assert not second.get_lock("in-turn").is_locked(two)
    second.update_lock("in-turn")
    second.cleanup("in-turn", two)
    assert second.get_lock("in-turn") is None
    first.update_lock("in-turn")  # no lock: none is made
    assert first.get_lock("in-turn") is None
