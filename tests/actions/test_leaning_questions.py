"""Short questions that lean on the last answer: what counts as one, and which topic it leans on."""

import pytest

from actions.topics import NOT_TOPIC_INTENTS
from actions.leaning_questions import previous_topic, refers_back
from tests.conftest import make_tracker


def said(intent, text="...", entities=()):
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}


@pytest.mark.parametrize("text", ["how much is it", "and how long does it take", "what about express?",
                                  "how long will it take to reach my card?", "is that free", "and to France"])
def test_short_questions_that_point_back_lean_on_the_last_answer(text):
    assert refers_back(text)


@pytest.mark.parametrize("text", ["what's the weather like", "who won the football last night",
                                  "can you recommend a good film", "", "is there a student discount?",
                                  "plus or premium, which is better?",
                                  "I would like to know whether it is possible to buy a car from you today"])
def test_questions_that_stand_alone_or_run_long_are_not(text):
    assert not refers_back(text)


def test_the_previous_topic_is_the_last_request_before_the_latest_message():
    ireland = [{"entity": "country", "value": "Ireland", "start": 17, "end": 24}]
    events = [said("ask_shipping", "do you deliver to ireland", ireland), said("out_of_scope")]
    # asked again with the same details
    assert previous_topic(make_tracker(events=events), NOT_TOPIC_INTENTS) == (
        "ask_shipping", '/ask_shipping{"country": "Ireland"}')
    # a detail of the latest message's own replaces the earlier one: "what about france"
    france = [{"entity": "country", "value": "France", "start": 11, "end": 17}]
    assert previous_topic(make_tracker(events=events, text="what about france", entities=france),
                          NOT_TOPIC_INTENTS) == ("ask_shipping", '/ask_shipping{"country": "France"}')
    # answers to the assistant's questions are skipped: the refund question, then its email
    # the identity given with it is not asked again (a failed check clears it)
    order = [{"entity": "order_number", "value": "HG-100003", "start": 0, "end": 9},
             {"entity": "email", "value": "ben.okafor@example.com", "start": 10, "end": 32}]
    events = [said("refund_status", "HG-100003 ben.okafor@example.com", order), said("inform"),
              said("out_of_scope")]
    assert previous_topic(make_tracker(events=events), NOT_TOPIC_INTENTS) == ("refund_status", "/refund_status")
    # nothing to follow: the first message, a new session, or too long ago
    assert previous_topic(make_tracker(events=[said("out_of_scope")]), NOT_TOPIC_INTENTS) is None
    events = [said("ask_shipping"), {"event": "session_started"}, said("out_of_scope")]
    assert previous_topic(make_tracker(events=events), NOT_TOPIC_INTENTS) is None
    events = [said("ask_shipping"), said("greet"), said("thanks"), said("affirm"), said("out_of_scope")]
    assert previous_topic(make_tracker(events=events), NOT_TOPIC_INTENTS) is None
