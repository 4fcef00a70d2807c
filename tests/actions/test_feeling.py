"""action_validate_slot_mappings (actions/feeling.py): an upset customer the assistant keeps
hears the feeling acknowledged first; nobody else does, and a turn going to a person gets it from the handoff."""

from __future__ import annotations

from actions.feeling import AcknowledgeFeeling
from tests.actions.test_handoff import bot, user
from tests.conftest import make_tracker


async def acknowledge(domain, make_dispatcher, events, slots=None):
    tracker = make_tracker(slots or {}, events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    result = await AcknowledgeFeeling().run(dispatcher, tracker, domain)
    return dispatcher.responses(), result


async def test_an_upset_question_the_assistant_answers_is_acknowledged_first(domain, make_dispatcher):
    responses, result = await acknowledge(domain, make_dispatcher, [
        user("where is my order, im really annoyed", "order_status", score=-0.44)])
    assert responses == ["utter_acknowledge_feeling"] and result == []


async def test_calm_messages_and_answers_to_the_assistant_are_not(domain, make_dispatcher):
    assert await acknowledge(domain, make_dispatcher, [
        user("where is my order", "order_status")]) == ([], [])
    # "no thanks" reads a little negative; it is no upset
    assert await acknowledge(domain, make_dispatcher, [
        user("do you price match", "nlu_fallback", confidence=0.3), bot("Did you mean...?"),
        user("no thanks", "deny", score=-0.34)]) == ([], [])
    # calm again after an upset message: nothing is said
    assert await acknowledge(domain, make_dispatcher, [
        user("where is my order, im really annoyed", "order_status", score=-0.44), bot("Sorry..."),
        user("ok thanks, and can I change the address", "change_address")]) == ([], [])


async def test_a_turn_that_goes_to_a_person_is_left_to_the_handoff(domain, make_dispatcher):
    # very negative: the escalation policy hands over, and action_handoff says sorry once
    assert await acknowledge(domain, make_dispatcher, [
        user("this is ridiculous, I hate waiting!!!", "order_status", score=-0.8)]) == ([], [])
    # a second upset message in a row is anger that goes on: a person too
    assert await acknowledge(domain, make_dispatcher, [
        user("my order is late and im annoyed", "order_status", score=-0.44), bot("Sorry..."),
        user("still nothing, this is bad", "order_status", score=-0.4)]) == ([], [])


async def test_a_handoff_without_a_line_of_its_own_is_acknowledged_first(domain, make_dispatcher):
    # a contract change said with annoyance: action_handoff opens with no feeling line of its
    # own ("a person is taking over" only), so the acknowledgement comes from here
    responses, _ = await acknowledge(domain, make_dispatcher, [
        user("we need to change our company contract, so annoying", "inform", score=-0.54,
             risks=("business_contract",))])
    assert responses == ["utter_acknowledge_feeling"]
    # a billing dispute has a line of its own ("I'm sorry about this. A person from our
    # team will check your payments..."): acknowledged once, there
    responses, _ = await acknowledge(domain, make_dispatcher, [
        user("I was charged twice for my order, so annoying", "payment_problem", score=-0.54,
             risks=("billing_dispute",))])
    assert responses == []


async def test_an_answer_in_a_free_text_form_is_not_remarked_on(domain, make_dispatcher):
    events = [{"event": "active_loop", "name": "feedback_form"},
              user("the driver was rude and the box was crushed", "inform", score=-0.5)]
    assert await acknowledge(domain, make_dispatcher, events) == ([], [])
    # the reason for a return, typed or a button ("It arrived damaged" reads -0.44)
    events = [{"event": "active_loop", "name": "return_form"},
              user("It arrived damaged", "inform", score=-0.44)]
    assert await acknowledge(domain, make_dispatcher, events) == ([], [])
