"""Growing delays per (user name, client address), never for the user elsewhere."""

from __future__ import annotations

from handoff.login_throttle import FREE_FAILURES, MAX_DELAY_SECONDS, LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_from_one_address_slow_only_that_address() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(FREE_FAILURES):
        assert throttle.wait("admin", "A") == 0
        throttle.failed("admin", "A")
    assert throttle.wait("admin", "A") == 1
    assert throttle.wait("Admin ", "A") == 1  # the same user name however typed
    assert throttle.wait("admin", "B") == 0
    assert throttle.wait("sam", "A") == 0


def test_delays_grow_and_are_capped() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    waits = []
    for _ in range(FREE_FAILURES + 12):
        clock.now += throttle.wait("admin", "A")
        throttle.failed("admin", "A")
        waits.append(throttle.wait("admin", "A"))
    assert waits[FREE_FAILURES - 1:FREE_FAILURES + 3] == [1, 2, 4, 8]
    assert max(waits) == MAX_DELAY_SECONDS
    clock.now += MAX_DELAY_SECONDS
    assert throttle.wait("admin", "A") == 0


def test_a_successful_login_clears_the_count() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(FREE_FAILURES):
        throttle.failed("admin", "A")
    clock.now += 5
    throttle.succeeded("admin", "A")
    throttle.failed("admin", "A")
    assert throttle.wait("admin", "A") == 0
