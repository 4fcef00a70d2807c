"""Rate limits kept in Redis: every gateway process counts against the same window."""

from __future__ import annotations

import logging
from typing import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.runtime.launch import free_port
from ground.web.errors import ApiError
from ground.web.ratelimit import RateLimiter, RedisRateLimiter, limited, rate_limiter
from tests.redis_server import RedisServer, redis  # noqa: F401 (a fixture)


@pytest.fixture
async def two_clients(redis: RedisServer) -> AsyncIterator[tuple]:
    """The Redis clients of two gateway processes."""
    first, second = Redis.from_url(redis.url), Redis.from_url(redis.url)
    yield first, second
    await first.close()
    await second.close()


async def test_two_gateways_share_one_window(two_clients: tuple) -> None:
    first, second = two_clients
    on_a = RedisRateLimiter(first, "message", 3)
    on_b = RedisRateLimiter(second, "message", 3)
    waits = [await limiter.take("conversation-1") for limiter in (on_a, on_b, on_a, on_b)]
    assert waits[:3] == [0, 0, 0]
    assert 59 <= waits[3] <= 61  # seconds until the first request leaves the window
    assert await on_a.take("conversation-2") == 0  # keys are independent
    assert await RedisRateLimiter(first, "login", 3).take("conversation-1") == 0  # and limiters
    with pytest.raises(ApiError) as refused:
        await limited(on_b, "conversation-1")
    assert refused.value.status_code == 429
    assert int(refused.value.extra_headers["Retry-After"]) >= 59


async def test_a_refused_request_is_not_counted(two_clients: tuple) -> None:
    first, _ = two_clients
    limiter = RedisRateLimiter(first, "uncounted", 1)
    assert await limiter.take("k") == 0
    for _ in range(5):
        assert await limiter.take("k") > 0
    assert await first.zcard("caredesk:rate:uncounted:k") == 1
    assert 0 < await first.pttl("caredesk:rate:uncounted:k") <= 60_000  # forgotten when idle


async def test_without_redis_each_process_counts_alone(caplog: pytest.LogCaptureFixture) -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    limiter = RedisRateLimiter(client, "message", 2)
    with caplog.at_level(logging.WARNING, logger="ground.web.ratelimit"):
        waits = [await limiter.take("k") for _ in range(3)]
    assert waits[:2] == [0, 0] and waits[2] > 0
    assert caplog.text.count("does not answer") == 1
    await client.close()


def test_one_gateway_keeps_its_limits_in_memory() -> None:
    assert isinstance(rate_limiter(None, "message", 5), RateLimiter)
