"""Noisy copies of the training examples: same intent, reproducible, training only."""

import random
import re
from collections import Counter

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
    per_intent = Counter(m.get("intent") for m in copies)
    assert per_intent == {"order_status": 2, "request_invoice": 2}
    assert all(m.get("text") not in originals for m in copies)


def test_an_annotated_answer_is_not_copied():
    """"my order is HG-123456" answers a question: its noisy copies taught the model to read
    stray words as a detail and gained nothing on the noise set."""
    result = RegisterAugmenter({"copies": 2}).process_training_data(_data())
    copied = " ".join(m.get("text") for m in result.training_examples if m.get(AUGMENTED))
    assert "123456" not in copied


def test_core_messages_are_not_copied():
    result = RegisterAugmenter({"copies": 2}).process_training_data(_data())
    assert len([m for m in result.training_examples if not m.get("intent")]) == 1


def test_an_annotated_examples_copies_carry_its_entities_where_they_now_stand():
    """Examples that name a product or an order number get noisy copies too (they are a
    fifth of the shop's examples, all of the product questions'): the noise goes around the
    annotated values, which keep their exact text, and the offsets follow them."""
    text = "how much is the Aurora Kettle, and is HG-123456 still on its way?"
    entities = [{"start": 16, "end": 29, "value": "Aurora Kettle", "entity": "product"},
                {"start": 38, "end": 47, "value": "HG-123456", "entity": "order_number"}]
    data = TrainingData(training_examples=[Message(data={"text": text, "intent": "ask_product",
                                                         "entities": entities})])
    copies = [m for m in RegisterAugmenter({"copies": 6}).process_training_data(data).training_examples
              if m.get(AUGMENTED)]
    assert len(copies) >= 4
    for copy in copies:
        copied = copy.get("text")
        assert copied != text and copy.get("intent") == "ask_product"
        assert [(copied[e["start"]:e["end"]], e["entity"], e["value"]) for e in copy.get("entities")] == [
            ("Aurora Kettle", "product", "Aurora Kettle"), ("HG-123456", "order_number", "HG-123456")]
        assert "qzent" not in copied
        # each value a word of its own, as the tokenizer will see it
        for e in copy.get("entities"):
            assert (e["start"] == 0 or copied[e["start"] - 1] == " ")
            assert e["end"] == len(copied) or not copied[e["end"]].isalnum()


def test_a_value_run_into_its_neighbour_is_set_apart_again():
    from bot.nlu.register_augmenter import annotated_noisy_copies

    text = "my order HG-123456 never came"
    entities = [{"start": 9, "end": 18, "value": "HG-123456", "entity": "order_number"}]
    for copied, moved in annotated_noisy_copies(text, entities, 6, "order_status"):
        assert copied[moved[0]["start"]:moved[0]["end"]] == "HG-123456", copied
        assert " HG-123456" in copied or copied.startswith("HG-123456")


def test_copies_are_the_same_on_every_run():
    assert noisy_copies("I'd like to return my lamp please", 2) == noisy_copies("I'd like to return my lamp please", 2)
    assert noisy_copies("I'd like to return my lamp please", 2) != ["I'd like to return my lamp please"]


def test_nothing_happens_at_run_time():
    message = Message(data={"text": "wheres my parcle"})
    assert RegisterAugmenter({}).process([message]) == [message]
    assert message.get("text") == "wheres my parcle"


def test_short_answers_are_not_wrapped_in_requests():
    from bot.nlu.register_augmenter import _POLITE_OPENINGS, _WRAPPERS

    openings = [w.split("{}")[0] for w in _WRAPPERS if w.split("{}")[0]] + _POLITE_OPENINGS
    for text in ("yes please", "no thanks", "thank you so much", "that's all, bye"):
        for copy in noisy_copies(text, 6, intent="affirm"):
            assert not any(copy.startswith(opening) for opening in openings), copy
    asked = noisy_copies("where is my parcel please", 6, intent="order_status")
    assert any(any(copy.startswith(o) for o in openings) for copy in asked)


def test_an_exasperated_copy_keeps_the_whole_request_in_order():
    from bot.nlu.register_augmenter import cursed

    request = "where is my parcel".split()
    for seed in range(30):
        words = cursed("where is my parcel?", random.Random(seed)).split()
        positions = [words.index(w) for w in request]
        assert positions == sorted(positions) and len(words) > len(request)


def test_the_training_noise_is_not_the_evaluations_mirror():
    """The noise set measures phrasing the training never saw: none of its wrappers, slang
    or swear words is among the augmenter's own (abbreviations such as "pls" are everyone's)."""
    from bot.evaluation import register_noise as evaluation
    from bot.nlu import register_augmenter as training

    ours = [*training._FILLERS_BEFORE, *training._FILLERS_AFTER, *training._WRAPPERS,
            *training._POLITE_OPENINGS, *training._POLITE_CLOSINGS, *training._CURSES,
            *training._EXASPERATED_OPENERS, *training._EXASPERATED_CLOSERS,
            *training._INTENSIFIERS]
    theirs = [*evaluation._SLANG_OPENERS, *evaluation._SLANG_CLOSERS, *evaluation._SWEARS,
              *evaluation._WRAPPERS]
    assert not {p.lower() for p in ours} & {p.lower() for p in theirs}
    their_words = {p.lower() for p in theirs if re.fullmatch(r"[a-z']+", p.lower())}
    our_words = {w for p in ours for w in re.findall(r"[a-z']+", p.lower())}
    assert their_words and not our_words & their_words


def test_a_large_data_set_gets_fewer_copies_per_example():
    augmenter = RegisterAugmenter({"copies": 4, "max_total": 8_000})
    assert augmenter.copies_per_example(1_700) == 4  # the shop's own examples
    assert augmenter.copies_per_example(3_000) == 2
    assert augmenter.copies_per_example(10_003) == 0  # Banking77's training split
    assert RegisterAugmenter({"copies": 4}).copies_per_example(40_000) == 4  # no limit set
    result = RegisterAugmenter({"copies": 4, "max_total": 2}).process_training_data(_data())
    assert len([m for m in result.training_examples if m.get(AUGMENTED)]) == 2
    result = RegisterAugmenter({"copies": 4, "max_total": 1}).process_training_data(_data())
    assert not [m for m in result.training_examples if m.get(AUGMENTED)]
