"""One reader of the words that drop any question, and each question's own extras."""

import pytest

from actions.needs import leaves_the_interview
from actions.order_lookup_exits import leaves_the_lookup
from actions.read_backs import keeps_it_as_it_was
from ground.giving_up import gives_up

READERS = (leaves_the_lookup, leaves_the_interview, keeps_it_as_it_was)


@pytest.mark.parametrize("text", ["nvm", "never mind, thanks", "NEVERMIND", "forget it", "oh forget about it",
                                  "forget that.", "please stop asking me", "nah scrap that",
                                  # a customer run: saved as the interview's answer
                                  "no forget that i just wanted the lamps"])
def test_words_that_drop_a_question_leave_every_question(text: str) -> None:
    """Before one reader, "nvm" left the interview but was asked for the order number and the
    new address again; "stop asking" left the lookup and the interview, not the address."""
    assert gives_up(text)
    assert all(reader(text) for reader in READERS), [reader.__name__ for reader in READERS if not reader(text)]


@pytest.mark.parametrize("text", ["forget that, make it 30 people", "I'll never forget the service",
                                  "scrap that, i just need 20", "scratch that, 40 people",
                                  "stop the delivery", "LS6 2QT"])
def test_answers_and_corrections_are_no_giving_up(text: str) -> None:
    assert not gives_up(text)
    assert not leaves_the_interview(text)


def test_each_question_keeps_its_own_words() -> None:
    assert leaves_the_lookup("I don't have an order number") and not gives_up("I don't have an order number")
    assert leaves_the_lookup("forget that, how do i descale the kettle?")
    assert leaves_the_interview("can I come back to this later?") and not leaves_the_lookup("can I come back to this later?")
    assert keeps_it_as_it_was("keep the same address") and not leaves_the_interview("keep the same address")


@pytest.mark.parametrize("text", ["leave it", "actually no leave it where it is", "just leave it for now thanks",
                                  "leave it, I'll get it redirected instead. how long does it take to ship btw",
                                  "leave it for now. how long have i got to change it before it ships?",
                                  "ok leave it then"])
def test_leaving_it_leaves_the_questions_about_a_thing_already_there(text: str) -> None:
    """The order lookup and a change's new value read one "leave it": each had its own, and
    "leave it where it is" left the change but was asked for the order number again."""
    assert leaves_the_lookup(text) and keeps_it_as_it_was(text)


@pytest.mark.parametrize("text", ["leave it with next door at 12 Mill Lane", "can you leave it in the porch",
                                  "I'll leave it to you to find"])
def test_saying_where_to_leave_it_is_no_leaving(text: str) -> None:
    assert not leaves_the_lookup(text) and not keeps_it_as_it_was(text)
