"""Customer tokens and rate limits."""

from __future__ import annotations

import pytest

import jwt

from ground.web.auth import TOKEN_TYPE, Grant, InvalidToken, bearer, grant_of, issue_customer_token
from ground.web.ratelimit import RateLimiter

SECRET = "a-test-secret-that-is-long-enough-0123456789"


def test_a_token_grants_its_conversation_only() -> None:
    token = issue_customer_token(SECRET, "abc", generation=2)
    assert grant_of(SECRET, token) == Grant("abc", 2)
    with pytest.raises(InvalidToken):
        grant_of("another-secret-that-is-long-enough-012345", token)
    with pytest.raises(InvalidToken):
        grant_of(SECRET, token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])


def test_an_expired_token_is_refused() -> None:
    token = issue_customer_token(SECRET, "abc", now=1_000_000)
    with pytest.raises(InvalidToken):
        grant_of(SECRET, token)


def test_a_token_lasts_a_week_and_no_longer() -> None:
    import time

    token = issue_customer_token(SECRET, "abc", now=time.time() - 6.9 * 24 * 3600)
    assert grant_of(SECRET, token).conversation_id == "abc"
    token = issue_customer_token(SECRET, "abc", now=time.time() - 7.1 * 24 * 3600)
    with pytest.raises(InvalidToken):
        grant_of(SECRET, token)


def test_a_token_without_a_generation_is_refused() -> None:
    """Tokens from before revocation existed (30 days, no generation) are not accepted."""
    import time

    old = jwt.encode({"sub": "abc", "typ": TOKEN_TYPE, "iat": int(time.time()),
                      "exp": int(time.time()) + 3600}, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken):
        grant_of(SECRET, old)


def test_bearer_header_parsing() -> None:
    assert bearer("Bearer xyz") == "xyz"
    assert bearer("bearer  xyz ") == "xyz"
    assert bearer("Basic xyz") is None
    assert bearer(None) is None and bearer("Bearer ") is None


def test_the_rate_limit_counts_a_sliding_minute() -> None:
    now = [0.0]
    limiter = RateLimiter(3, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # keys are independent
    assert limiter.retry_after("a") == 61
    now[0] = 60.5
    assert limiter.allow("a")
