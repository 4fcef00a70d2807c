"""Noisy copies of the training examples: same intent, reproducible, training only."""

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.register_augmenter import AUGMENTED, RegisterAugmenter, noisy_copies


def _data():
    return TrainingData(training_examples=[
        Message(data={"text": "Where is my parcel, please?", "intent": "order_status"}),
        Message(data={"text": "Could you send me an invoice for my order", "intent": "request_invoice"}),
        Message(data={"text": "my order is HG-123456", "intent": "inform",
                      "entities": [{"start": 12, "end": 21, "value": "HG-123456", "entity": "order_number"}]}),
        Message(data={"text": "where is my order"}),  # core's messages: text without intent
    ])


def test_each_intent_example_gets_noisy_copies_with_its_intent():
    augmenter = RegisterAugmenter({"copies": 2})
    result = augmenter.process_training_data(_data())
    copies = [m for m in result.training_examples if m.get(AUGMENTED)]
    originals = {"Where is my parcel, please?": "order_status",
                 "Could you send me an invoice for my order": "request_invoice"}
    assert len(copies) == 4
    assert {m.get("intent") for m in copies} == set(originals.values())
    assert all(m.get("text") not in originals for m in copies)


def test_annotated_examples_and_core_messages_are_not_copied():
    result = RegisterAugmenter({"copies": 2}).process_training_data(_data())
    copied_from = " ".join(m.get("text") for m in result.training_examples if m.get(AUGMENTED))
    assert "123456" not in copied_from
    assert len([m for m in result.training_examples if not m.get("intent")]) == 1


def test_copies_are_the_same_on_every_run():
    assert noisy_copies("I'd like to return my lamp please", 2) == noisy_copies("I'd like to return my lamp please", 2)
    assert noisy_copies("I'd like to return my lamp please", 2) != ["I'd like to return my lamp please"]


def test_nothing_happens_at_run_time():
    message = Message(data={"text": "wheres my parcle"})
    assert RegisterAugmenter({}).process([message]) == [message]
    assert message.get("text") == "wheres my parcle"


def test_short_answers_are_not_wrapped_in_requests():
    from bot.nlu.register_augmenter import _WRAPPERS

    openings = [w.split("{}")[0] for w in _WRAPPERS if w.split("{}")[0]]
    for text in ("yes please", "no thanks", "thank you so much", "that's all, bye"):
        for copy in noisy_copies(text, 6, intent="affirm"):
            assert not any(copy.startswith(opening) for opening in openings), copy
    asked = noisy_copies("where is my parcel please", 6, intent="order_status")
    assert any(any(copy.startswith(o) for o in openings) for copy in asked)
