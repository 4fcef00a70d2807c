"""Waiting in tests for a condition, with a deadline: the one polling loop the tests share.

A test waits for what it asserts on (a reply delivered, a row written, a run finished),
never for a fixed time. At the deadline the wait fails with a message saying what was
awaited and, when the message is a function, what the state was at that moment.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar, Union

T = TypeVar("T")
Message = Union[str, Callable[[], str]]

INTERVAL_SECONDS = 0.1


class WaitTimeout(AssertionError):
    """The condition did not hold within the deadline (an assertion failure of the test)."""


def _describe(message: Message, timeout: float) -> str:
    text = message() if callable(message) else message
    return f"not within {timeout:g}s: {text}"


def wait_until(condition: Callable[[], T], timeout: float = 30.0,
               message: Message = "the condition", interval: float = INTERVAL_SECONDS) -> T:
    """Calls `condition` until it returns something truthy, and returns that; raises
    WaitTimeout once `timeout` seconds have passed without it. An exception raised by
    `condition` (an assertion that something went wrong meanwhile) ends the wait at once."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise WaitTimeout(_describe(message, timeout))
        time.sleep(interval)

