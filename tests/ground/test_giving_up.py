"""One reader of the words that drop any question, and each question's own extras."""

import pytest

from actions.needs import leaves_the_interview
from actions.order_lookup_exits import leaves_the_lookup
from actions.read_backs import keeps_it_as_it_was
from ground.giving_up import gives_up

READERS = (leaves_the_lookup, leaves_the_interview, keeps_it_as_it_was)


@pytest.mark.parametrize("text", ["nvm", "never mind, thanks", "NEVERMIND", "forget it", "oh forget about it",
                                  "forget that.", "please stop asking me"])
def test_words_that_drop_a_question_leave_every_question(text: str) -> None:
    """Before one reader, "nvm" left the interview but was asked for the order number and the
    new address again; "stop asking" left the lookup and the interview, not the address."""
    assert gives_up(text)
    assert all(reader(text) for reader in READERS), [reader.__name__ for reader in READERS if not reader(text)]


@pytest.mark.parametrize("text", ["forget that, make it 30 people", "I'll never forget the service",
                                  "stop the delivery", "LS6 2QT"])
def test_answers_and_corrections_are_no_giving_up(text: str) -> None:
    assert not gives_up(text)
    assert not leaves_the_interview(text)


def test_each_question_keeps_its_own_words() -> None:
    assert leaves_the_lookup("I don't have an order number") and not gives_up("I don't have an order number")
    assert leaves_the_lookup("forget that, how do i descale the kettle?")
    assert leaves_the_interview("can I come back to this later?") and not leaves_the_lookup("can I come back to this later?")
    assert keeps_it_as_it_was("keep the same address") and not leaves_the_interview("keep the same address")
