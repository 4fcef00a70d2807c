"""The calibrated fallback: unsure, ambiguous, and change flows that need a clear intent."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.fallback import CalibratedFallbackClassifier, FallbackRule, ranking_of

RULE = FallbackRule(threshold=0.5, ambiguity_threshold=0.1,
                    intent_thresholds={"cancel_order": 0.75}, alike=(frozenset({"rate", "nps"}),),
                    out_of_scope_margin=0.25)


@pytest.mark.parametrize("ranking, falls_back", [
    ([("order_status", 0.9), ("ask_shipping", 0.05)], False),
    ([("order_status", 0.45), ("ask_shipping", 0.05)], True),    # too unsure
    ([("order_status", 0.52), ("ask_shipping", 0.45)], True),    # too close to the next
    ([("cancel_order", 0.7), ("order_status", 0.1)], True),      # a change without a clear lead
    ([("cancel_order", 0.8), ("order_status", 0.1)], False),
    ([], True),
    # a bare number: a rating or an NPS score, which the conversation decides, not the words
    ([("rate", 0.51), ("nps", 0.46), ("inform", 0.02)], False),
    ([("nps", 0.486), ("rate", 0.485), ("inform", 0.011)], False),  # "1": surely a score
    ([("rate", 0.51), ("inform", 0.46)], True),
    ([("rate", 0.3), ("inform", 0.2), ("nps", 0.1)], True),
    # a topic must lead "not something the shop does" by more than another topic
    ([("how_to_order", 0.51), ("out_of_scope", 0.41), ("create_account", 0.05)], True),
    ([("how_to_order", 0.51), ("create_account", 0.38), ("out_of_scope", 0.03)], False),
    ([("how_to_order", 0.7), ("out_of_scope", 0.25)], False),
    ([("out_of_scope", 0.6), ("how_to_order", 0.3)], False),
])
def test_the_rule(ranking, falls_back):
    assert RULE.falls_back(ranking) is falls_back


def test_the_component_applies_it_to_a_parsed_message():
    classifier = CalibratedFallbackClassifier({
        "threshold": 0.5, "ambiguity_threshold": 0.1,
        "intent_thresholds": {"cancel_order": 0.75}})
    ranking = [{"name": "cancel_order", "confidence": 0.7}, {"name": "order_status", "confidence": 0.1}]
    message = Message(data={"text": "what does cancelling cost", "intent": ranking[0],
                            "intent_ranking": list(ranking)})
    classifier.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    # the classifier's own ranking stays, for the clarification buttons
    assert ranking_of(message.data) == [("cancel_order", 0.7), ("order_status", 0.1)]


def test_the_trained_model_starts_a_change_on_a_clear_request(parse):
    assert parse("please cancel my order HG-123456")["intent"]["name"] == "cancel_order"
    assert parse("I need to change the delivery address on my order")["intent"]["name"] == "change_address"


def _parsed(text, ranking):
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": list(ranking)})


def test_a_goodbye_that_asks_falls_back_and_a_plain_one_does_not():
    classifier = CalibratedFallbackClassifier({
        "threshold": 0.5, "ambiguity_threshold": 0.1, "leave_taking": ["thanks", "goodbye"]})
    ranking = [{"name": "goodbye", "confidence": 0.77}, {"name": "deny", "confidence": 0.04}]
    asking, leaving = _parsed("ok what about next day", ranking), _parsed("ok bye then", ranking)
    classifier.process([asking, leaving])
    assert asking.get("intent")["name"] == "nlu_fallback"
    assert leaving.get("intent")["name"] == "goodbye"


def test_the_trained_model_does_not_say_goodbye_to_a_question(parse):
    # goodbye at 0.77 before: the customer was told goodbye and asked for a rating
    assert parse("ok what about next day")["intent"]["name"] == "nlu_fallback"
    assert parse("ok thanks, bye")["intent"]["name"] == "goodbye"


def test_a_yes_that_only_hesitates_falls_back():
    """A customer run: "hmm" (affirm at 0.67) to "Are you sure you want to cancel the whole
    order?" cancelled it; "ok?" to the new address read back sent the parcel there."""
    classifier = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1, "yes_or_no": ["affirm", "deny"]})
    ranking = [{"name": "affirm", "confidence": 0.96}, {"name": "deny", "confidence": 0.01}]
    doubting, asking, agreeing = _parsed("hmm", ranking), _parsed("ok?", ranking), _parsed("hmm ok", ranking)
    classifier.process([doubting, asking, agreeing])
    assert [m.get("intent")["name"] for m in (doubting, asking, agreeing)] == ["nlu_fallback", "nlu_fallback", "affirm"]


def test_a_no_that_only_hesitates_falls_back():
    """A customer run: "idk" (deny at 0.69) to the new address read back dropped the change."""
    classifier = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                               "yes_or_no": ["affirm", "deny"]})
    ranking = [{"name": "deny", "confidence": 0.69}, {"name": "inform", "confidence": 0.09}]
    doubting, refusing = _parsed("idk", ranking), _parsed("no thanks", ranking)
    classifier.process([doubting, refusing])
    assert [m.get("intent")["name"] for m in (doubting, refusing)] == ["nlu_fallback", "deny"]
    assert doubting.get("hesitant") is True
