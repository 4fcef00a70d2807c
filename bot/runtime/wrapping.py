"""Replacing one of Rasa's functions in place: wrapped once per process, or replaced for
the length of a block.

The training command's fixes keep Rasa's own function and add to it (a lock around the
training cache's store, a memory around YAML parsing). Installing one twice (a test, then
the command) must not wrap the wrapper: the marker says a function is already ours. The
evaluations time parses with the Rasa server's fixes to a parse, and only while they do.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator, Text

_WRAPPED = "_caredesk_wrapped"


def wrap_once(owner: Any, name: Text, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """`owner.name` becomes `wrap(owner.name)`, unless it already is a wrapper made here."""
    current = getattr(owner, name)
    if getattr(current, _WRAPPED, False):
        return
    wrapper = wrap(current)
    setattr(wrapper, _WRAPPED, True)
    wrapper.__wrapped__ = current  # type: ignore[attr-defined]
    setattr(owner, name, wrapper)


def original(function: Callable[..., Any]) -> Callable[..., Any]:
    """The function `wrap_once` wrapped, or `function` itself if it is not a wrapper."""
    return function.__wrapped__ if getattr(function, _WRAPPED, False) else function  # type: ignore[attr-defined]


@contextmanager
def replaced(owner: Any, name: Text, value: Any) -> Iterator[None]:
    """`owner.name` is `value` inside the block, and what it was after it."""
    previous = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, previous)
