"""What a customer waiting for a person writes that may mean they no longer need one (the
gateway then asks; conversations.queue_withdrawal)."""

from __future__ import annotations

import pytest

from conversations.queue_withdrawal import KEEP_WAITING, WITHDRAW, sounds_withdrawn, typed_answer


@pytest.mark.parametrize("text", [
    "actually never mind", "nevermind, sorted it", "nvm", "forget it", "oh ok never mind",
    "i dont need a person anymore", "no longer need help thanks", "don't need anyone now",
    "all sorted now, thanks", "I've sorted it", "got it sorted thanks", "sorted",
    "figured it out", "found it!", "problem solved", "it's fine now", "all good now thanks",
    "it works now", "it just arrived!", "cancel my request", "I'll try again later",
    "never mind, it's not urgent", "no need anymore, cheers",
])
def test_sounding_sorted(text: str) -> None:
    assert sounds_withdrawn(text)


@pytest.mark.parametrize("text", [
    "it's still not working", "I haven't sorted it", "not sorted at all", "is it sorted?",
    "never mind the refund, where is my parcel?", "never mind, still broken",
    "but it's not fine", "how long will this take", "ok thanks", "hello?", "still waiting",
    "I can't find it", "hello is anyone there", "sorted by date", "",
    "never mind " * 30, "it arrived broken", "found it in the bin, damaged",
    "forget it, this is useless, I want to speak to a manager", "never mind, I'll just sue you",
    "Problem solved? No! Nobody has answered",
    "don't need help with the refund anymore, I need the item replaced",
    "nevermind that, the toaster is sparking when I plug it in",
    "never mind, it arrived but it's leaking everywhere",
    "forget it, I'm done with you people, absolute joke", "sorted. you've lost a customer",
    "forget it, I'll shop somewhere else",
])
def test_still_needing_a_person(text: str) -> None:
    assert not sounds_withdrawn(text)


@pytest.mark.parametrize("text, meant", [
    ("yes im sorted thanks", WITHDRAW), ("yes", WITHDRAW), ("sorted", WITHDRAW), ("yep all good", WITHDRAW),
    ("no", KEEP_WAITING), ("nope still need someone", KEEP_WAITING), ("not yet", KEEP_WAITING),
    ("yes but the other order is still missing", None), ("hello?", None), ("ok thanks", WITHDRAW),
])
def test_a_typed_answer_to_the_question(text, meant):
    """While the question's buttons are on the screen, a typed yes or no is the button."""
    assert typed_answer(text) == meant
