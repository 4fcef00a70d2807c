"""Growing delays per (user name, client address), never for the user elsewhere; in Redis,
the same for every gateway process."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.runtime.launch import free_port
from handoff.login_throttle import (FREE_FAILURES, MAX_DELAY_SECONDS, LoginThrottle,
                                    RedisLoginThrottle)
from tests.redis_server import RedisServer, redis  # noqa: F401 (a fixture)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_failures_from_one_address_slow_only_that_address() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(FREE_FAILURES):
        assert await throttle.wait("admin", "A") == 0
        await throttle.failed("admin", "A")
    assert await throttle.wait("admin", "A") == 1
    assert await throttle.wait("Admin ", "A") == 1  # the same user name however typed
    assert await throttle.wait("admin", "B") == 0
    assert await throttle.wait("sam", "A") == 0


async def test_delays_grow_and_are_capped() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    waits = []
    for _ in range(FREE_FAILURES + 12):
        clock.now += await throttle.wait("admin", "A")
        await throttle.failed("admin", "A")
        waits.append(await throttle.wait("admin", "A"))
    assert waits[FREE_FAILURES - 1:FREE_FAILURES + 3] == [1, 2, 4, 8]
    assert max(waits) == MAX_DELAY_SECONDS
    clock.now += MAX_DELAY_SECONDS
    assert await throttle.wait("admin", "A") == 0


async def test_a_successful_login_clears_the_count() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(FREE_FAILURES):
        await throttle.failed("admin", "A")
    clock.now += 5
    await throttle.succeeded("admin", "A")
    await throttle.failed("admin", "A")
    assert await throttle.wait("admin", "A") == 0


async def test_gateways_sharing_redis_count_the_failures_together(redis: RedisServer) -> None:
    first, second = Redis.from_url(redis.url), Redis.from_url(redis.url)
    try:
        on_a, on_b = RedisLoginThrottle(first), RedisLoginThrottle(second)
        for n in range(FREE_FAILURES):
            assert await (on_a, on_b)[n % 2].wait("admin", "A") == 0
            await (on_a, on_b)[n % 2].failed("admin", "A")
        assert await on_a.wait("admin", "A") == 1 and await on_b.wait("Admin ", "A") == 1
        assert await on_b.wait("admin", "B") == 0 and await on_a.wait("sam", "A") == 0
        await on_b.failed("admin", "A")
        assert await on_a.wait("admin", "A") == 2
        await on_a.succeeded("admin", "A")
        assert await on_b.wait("admin", "A") == 0
    finally:
        await first.close()
        await second.close()


async def test_without_redis_the_process_counts_alone() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    throttle = RedisLoginThrottle(client)
    for _ in range(FREE_FAILURES):
        await throttle.failed("admin", "A")
    assert await throttle.wait("admin", "A") == 1
    await client.close()
