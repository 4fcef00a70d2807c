"""The admission gate in front of the assistant: a bounded number of turns in flight, the
others let in by order of arrival, and a long wait told once."""

from __future__ import annotations

import asyncio
from typing import Callable, List

import pytest

from conversations.admission import Admission


class Turns:
    """Turns through one gate, each held inside until the test lets it finish."""

    def __init__(self, admission: Admission) -> None:
        self.admission = admission
        self.entered: List[str] = []
        self.told: List[float] = []
        self._finish: dict[str, asyncio.Event] = {}
        self._entered = asyncio.Condition()

    def start(self, name: str, tell_after: float = float("inf")) -> "asyncio.Task[None]":
        self._finish[name] = asyncio.Event()
        return asyncio.create_task(self._turn(name, tell_after))

    async def _turn(self, name: str, tell_after: float) -> None:
        async def long_wait(expected: float) -> None:
            self.told.append(expected)

        async with self.admission.turn(long_wait, tell_after):
            async with self._entered:
                self.entered.append(name)
                self._entered.notify_all()
            await self._finish[name].wait()

    def finish(self, name: str) -> None:
        self._finish[name].set()

    async def until_entered(self, count: int) -> List[str]:
        async with self._entered:
            await asyncio.wait_for(self._entered.wait_for(lambda: len(self.entered) >= count), 5)
        return list(self.entered)

    async def settled(self) -> None:
        """Until every started turn is inside the gate or waiting in its queue (call it
        before any turn finishes)."""
        await asyncio.wait_for(_until(
            lambda: self.admission.in_flight + self.admission.waiting >= len(self._finish)), 5)


async def test_at_most_the_limit_is_in_flight_and_the_others_enter_in_order() -> None:
    turns = Turns(Admission(2))
    tasks = [turns.start(name) for name in "abcde"]
    assert await turns.until_entered(2) == ["a", "b"]
    await turns.settled()
    assert (turns.admission.in_flight, turns.admission.waiting) == (2, 3)
    turns.finish("b")
    assert await turns.until_entered(3) == ["a", "b", "c"]
    turns.finish("a")
    assert await turns.until_entered(4) == ["a", "b", "c", "d"]
    for name in "cde":
        turns.finish(name)
    await asyncio.gather(*tasks)
    assert turns.entered == list("abcde")
    assert (turns.admission.in_flight, turns.admission.waiting) == (0, 0)


async def test_a_turn_that_gives_up_waiting_leaves_its_place_to_the_next() -> None:
    turns = Turns(Admission(1))
    first = turns.start("a")
    await turns.until_entered(1)
    gives_up, last = turns.start("b"), turns.start("c")
    await turns.settled()
    gives_up.cancel()
    turns.finish("a")
    assert await turns.until_entered(2) == ["a", "c"]
    turns.finish("c")
    await asyncio.gather(first, last)
    with pytest.raises(asyncio.CancelledError):
        await gives_up
    assert (turns.admission.in_flight, turns.admission.waiting) == (0, 0)


async def test_a_long_expected_wait_is_told_once_and_a_short_one_not_at_all() -> None:
    turns = Turns(Admission(1, typical_turn_seconds=10.0))
    tasks = [turns.start("a", tell_after=5.0), turns.start("b", tell_after=5.0),
             turns.start("c", tell_after=60.0)]
    await turns.until_entered(1)
    await turns.settled()
    assert turns.told == [10.0]  # b: one turn ahead of it, of about 10 s; c: 20 s < 60 s
    for name in "abc":
        turns.finish(name)
    await asyncio.gather(*tasks)
    assert turns.told == [10.0]


async def test_a_wait_longer_than_expected_is_told_when_it_gets_long() -> None:
    turns = Turns(Admission(1, typical_turn_seconds=0.01))
    tasks = [turns.start("a"), turns.start("b", tell_after=0.2)]
    await turns.until_entered(1)
    await asyncio.wait_for(_until(lambda: bool(turns.told)), 5)
    assert turns.entered == ["a"] and len(turns.told) == 1
    turns.finish("a")
    turns.finish("b")
    await asyncio.gather(*tasks)
    assert turns.entered == ["a", "b"] and len(turns.told) == 1


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.01)
