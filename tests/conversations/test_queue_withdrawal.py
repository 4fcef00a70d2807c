"""What a customer waiting for a person writes that may mean they no longer need one (the
gateway then asks; conversations.queue_withdrawal)."""

from __future__ import annotations

import pytest

from conversations.queue_withdrawal import (
    BUTTONS,
    CARRY_ON_BUTTONS,
    KEEP_WAITING,
    WITHDRAW,
    leaving_buttons,
    request_beside,
    sounds_withdrawn,
    typed_answer,
    wants_to_carry_on,
)


@pytest.mark.parametrize("text", [
    "actually never mind", "nevermind, sorted it", "nvm", "forget it", "oh ok never mind",
    "i dont need a person anymore", "no longer need help thanks", "don't need anyone now",
    "all sorted now, thanks", "I've sorted it", "got it sorted thanks", "sorted",
    "figured it out", "found it!", "problem solved", "it's fine now", "all good now thanks",
    "it works now", "it just arrived!", "cancel my request", "I'll try again later",
    "never mind, it's not urgent", "no need anymore, cheers",
    "please cancel the deletion request", "withdraw my erasure request",
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
    "forget it, I'll shop somewhere else", "nvm i'll wait", "never mind, I'll wait for the person",
])
def test_still_needing_a_person(text: str) -> None:
    assert not sounds_withdrawn(text)


@pytest.mark.parametrize("text, meant", [
    ("yes im sorted thanks", WITHDRAW), ("yes", WITHDRAW), ("sorted", WITHDRAW), ("yep all good", WITHDRAW),
    ("no", KEEP_WAITING), ("nope still need someone", KEEP_WAITING), ("not yet", KEEP_WAITING),
    ("yes but the other order is still missing", None), ("hello?", None), ("ok thanks", WITHDRAW),
    # a later run: kept in the queue (4 of 4)
    ("nope dont need anyone", WITHDRAW), ("no i dont need a person anymore", WITHDRAW),
])
def test_a_typed_answer_to_the_question(text, meant):
    """While the question's buttons are on the screen, a typed yes or no is the button."""
    assert typed_answer(text) == meant


@pytest.mark.parametrize("text, buttons", [
    # a later run: each only added to the conversation, the team to pick it up for nothing
    ("yeah ok im good now, bye", BUTTONS), ("thanks thats all i needed", BUTTONS),
    ("actually can you do the email change yourself? no need for a person for that", CARRY_ON_BUTTONS),
    ("ugh not til tomorrow, thats useless. forget the person, ill do the return with you", CARRY_ON_BUTTONS),
    # a third run: 0 of 6 left
    ("i dont want a person anymore", CARRY_ON_BUTTONS),
    ("hello?? i said i want to do the return with you, no human needed", CARRY_ON_BUTTONS),
    ("ok no need for an agent then, can you just cancel it", CARRY_ON_BUTTONS),
    ("WHAT. i said NOT a person", CARRY_ON_BUTTONS),
    ("actually i dont need to speak to someone, we can do it here", CARRY_ON_BUTTONS),
    ("no i mean i want to do the return with the bot, just the whole order is fine", CARRY_ON_BUTTONS),
    ("carry on here", CARRY_ON_BUTTONS),
    # not leaving
    ("im good at waiting, but where is my order", None), ("is the person good at returns?", None),
    ("i want a person, not a bot", None), ("i need to speak to someone", None),
])
def test_more_ways_of_leaving(text, buttons):
    assert leaving_buttons(text) == buttons


@pytest.mark.parametrize("text", [
    "no wait, I don't want to wait till monday. cancel the handoff",
    "oh the team is away? forget it then, I'll just do it with you",
    "no I just want my invoice for HG-100207, don't pass me to anyone",
    "actually the bot is fine", "can you cancel the handoff?", "take me out of the queue",
    "i dont wanna wait that long, can u just cancel my order HG-100174", "I'd rather do it here",
    # a second run: kept in the queue
    "can you just do it, i want to cancel HG-100148", "can i carry on with you instead",
    "fine, yes, take me out then",
    # a third run
    "actually nvm lets carry on here", "wait no, u do it, ill give u the postcode", "changed my mind",
    "actually no dont worry about the human", "actually can the bot do it instead? its about HG-100156 being late",
])
def test_rather_carrying_on_with_the_assistant(text: str) -> None:
    """Customers who would rather go on with the assistant than wait (the team away till
    Monday) were kept in the queue: every message was only "added to your conversation"."""
    assert wants_to_carry_on(text)
    assert leaving_buttons(text) == CARRY_ON_BUTTONS


@pytest.mark.parametrize("text", [
    "I still need a person, don't cancel the handoff", "cancel the handoff, the kettle is sparking",
    "don't want to wait, I want to speak to a manager", "I'll wait", "hello?", "",
    "cancel the handoff " * 20,
])
def test_not_carrying_on(text: str) -> None:
    assert not wants_to_carry_on(text)


@pytest.mark.parametrize("text, asked", [
    ("oh the team is away? forget it then, I'll just do it with you. I need to change the "
     "address on HG-100005", "I need to change the address on HG-100005"),
    ("forget it i'll do it with you i need to change the address on HG-100005",
     "i need to change the address on HG-100005"),
    ("actually never mind, how do I get an invoice for HG-100004", "how do I get an invoice for HG-100004"),
    ("i dont wanna wait that long, can u just cancel my order HG-100174", "can u just cancel my order HG-100174"),
    ("forget it, refund pls", "refund pls"),
    ("no wait, I don't want to wait till monday. cancel the handoff", None),
    ("can you cancel the handoff?", None), ("actually never mind, I sorted it myself", None),
    ("never mind, it's not urgent", None), ("all sorted now, thanks", None),
    # a second run: "ugh fine" was sent to the assistant, and not understood
    ("ugh fine take me out of the queue then", None),
    ("actually nvm lets carry on here", None), ("wait no, u do it, ill give u the postcode", None),
    # a third run: each was sent to the assistant as a request, and the task under way dropped
    ("cancel the handoff, ill finish with you", None), ("nah dont worry, ill do it here", None),
    ("ok ignore that, i'll do it with you", None),
    # a later run: the rest, read as upset, handed the customer over again at once (2 of 3)
    ("oh tomorrow is too late. never mind, ill do the address with you", None),
    # a fourth run: "you can cancel that" got the Harbor Club's cancellation passage
    ("so i dont need the person anymore, you can cancel that", None), ("no need for the person, cancel it", None),
    ("i dont need the person now, cancel my order HG-100001 instead", "cancel my order HG-100001 instead"),
])
def test_the_request_beside_leaving(text, asked):
    """What the customer asked in the message that leaves the queue is what the assistant
    answers once they are out, without the words about leaving or waiting."""
    assert request_beside(text) == asked


@pytest.mark.parametrize("text", [
    "never mind, i want to return HG-100147", "forget the person, i just want to return HG-100147",
    "forget it, i want to change my email",
])
def test_done_with_the_person_and_asking_the_assistant(text: str) -> None:
    """A second run: "i want" beside "never mind" had kept these for the person."""
    assert leaving_buttons(text) == CARRY_ON_BUTTONS


@pytest.mark.parametrize("text", [
    "forget it, absolute joke, i want my money back", "forget it, I'm done with you people, absolute joke",
    "forget it, this is useless, I want to speak to a manager", "never mind, the kettle is smoking now",
])
def test_upset_or_in_danger_beside_never_mind_stays_for_the_person(text: str) -> None:
    assert leaving_buttons(text) is None


def test_which_question_is_asked():
    """Sorted customers are asked whether they are sorted; one who also asked something is
    asked whether to carry on here (they are not sorted: they want an answer)."""
    assert leaving_buttons("forget it, all sorted now") == BUTTONS
    assert leaving_buttons("forget it, where is HG-100004") == CARRY_ON_BUTTONS
    assert leaving_buttons("where is HG-100004") is None
