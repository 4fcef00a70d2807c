"""bot.runtime.wrapping: one of Rasa's functions wrapped in place, once."""

from types import SimpleNamespace
from typing import Any, Callable, List

from bot.runtime.wrapping import original, replaced, wrap_once


def counting(calls: List[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A wrapper factory that notes each call before calling the wrapped function."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            calls.append("wrapper")
            return function(*args)

        return wrapper

    return wrap


def test_a_function_is_wrapped_in_place_and_still_answers() -> None:
    owner = SimpleNamespace(double=lambda x: 2 * x)
    calls: List[str] = []
    wrap_once(owner, "double", counting(calls))
    assert owner.double(4) == 8
    assert calls == ["wrapper"]


def test_a_second_wrap_leaves_the_first_wrapper_alone() -> None:
    plain = lambda x: 2 * x  # noqa: E731
    owner = SimpleNamespace(double=plain)
    calls: List[str] = []
    wrap_once(owner, "double", counting(calls))
    first = owner.double
    wrap_once(owner, "double", counting(calls))
    assert owner.double is first and first is not plain
    assert original(first) is plain and original(plain) is plain
    owner.double(1)
    assert calls == ["wrapper"]  # one wrapper ran, not two


def test_a_method_of_a_class_is_wrapped_for_every_instance() -> None:
    class Store:
        def put(self, value: int) -> int:
            return value + 1

    calls: List[str] = []
    wrap_once(Store, "put", counting(calls))
    wrap_once(Store, "put", counting(calls))
    assert Store().put(1) == 2 and Store().put(2) == 3
    assert calls == ["wrapper", "wrapper"]


def test_a_replacement_lasts_as_long_as_its_block() -> None:
    owner = SimpleNamespace(answer=lambda: "rasa's")
    rasas = owner.answer
    with replaced(owner, "answer", lambda: "ours"):
        assert owner.answer() == "ours"
    assert owner.answer is rasas
    try:
        with replaced(owner, "answer", lambda: "ours"):
            raise KeyError("a failing evaluation")
    except KeyError:
        pass
    assert owner.answer is rasas  # put back after an error too
