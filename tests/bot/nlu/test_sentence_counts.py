"""The sentence-only count featurizer (bot.nlu.sentence_counts) against Rasa's own: the same
sentence features, for training examples and new messages, before and after a reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentence_counts import SentenceCountVectorsFeaturizer

EXAMPLES = [("where is my order HG-100000", "order_status"),
            ("Where's my parcel??", "order_status"),
            ("I want my money back for order 12345", "request_refund"),
            ("refund please, it arrived broken", "request_refund"),
            ("change the delivery address to 2 High Street", "change_address")]
# None: a message without text, in the middle of the batch (the rows after it must line up)
NEW = ["whereis my refnd", "ORDER 98765 hasn't come", "", None, "zzz qqq", "money back money back"]
CONFIGS = [{"analyzer": "word", "min_ngram": 1, "max_ngram": 2},
           {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}]


def tokenized(texts: List[str | None], intents: List[str | None]) -> List[Message]:
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={**({TEXT: text} if text is not None else {}),
                              **({"intent": intent} if intent else {})})
                for text, intent in zip(texts, intents)]
    tokenizer.process(messages)
    return messages


def training_data() -> TrainingData:
    texts, intents = zip(*EXAMPLES)
    return TrainingData(training_examples=tokenized(list(texts), list(intents)))


def trained(cls: type, config: Dict[str, Any], folder: Path, name: str) -> CountVectorsFeaturizer:
    folder.mkdir()
    context = ExecutionContext(GraphSchema({}), "test")
    featurizer = cls.create({**CountVectorsFeaturizer.get_default_config(), **config},
                            LocalModelStorage(folder), Resource(name), context)
    featurizer.train(training_data())
    return featurizer


def sentence_features(message: Message) -> List[np.ndarray]:
    return [f.features.toarray() for f in message.features
            if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]


def new_messages_featurized(first: CountVectorsFeaturizer,
                            second: CountVectorsFeaturizer) -> List[List[List[List[int]]]]:
    """The sentence features each featurizer gives the NEW messages, side by side."""
    ones, others = tokenized(NEW, [None] * len(NEW)), tokenized(NEW, [None] * len(NEW))
    first.process(ones)
    second.process(others)
    return [[[a.tolist() for a in sentence_features(one)],
             [a.tolist() for a in sentence_features(other)]] for one, other in zip(ones, others)]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c["analyzer"])
def test_the_sentence_features_are_rasas_own_and_nothing_else(config: Dict[str, Any],
                                                              tmp_path: Path) -> None:
    rasas = trained(CountVectorsFeaturizer, config, tmp_path / "rasa", "counts")
    ours = trained(SentenceCountVectorsFeaturizer, config, tmp_path / "ours", "counts")
    expected, got = training_data(), training_data()
    rasas.process_training_data(expected)
    ours.process_training_data(got)
    for rasa_message, our_message in zip(expected.training_examples, got.training_examples):
        theirs, mine = sentence_features(rasa_message), sentence_features(our_message)
        assert len(mine) == len(theirs) == 1
        np.testing.assert_array_equal(mine[0], theirs[0])
        assert all(f.type != FEATURE_TYPE_SEQUENCE for f in our_message.features)
        assert all(f.attribute == TEXT for f in our_message.features)
        assert any(f.type == FEATURE_TYPE_SEQUENCE for f in rasa_message.features)  # skipped

    for text, (theirs_new, mine_new) in zip(NEW, new_messages_featurized(rasas, ours)):
        assert len(mine_new) == (0 if text is None else 1) and mine_new == theirs_new


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c["analyzer"])
def test_a_new_message_counts_as_scikit_learns_transform(config: Dict[str, Any],
                                                         tmp_path: Path) -> None:
    ours = trained(SentenceCountVectorsFeaturizer, config, tmp_path / "ours", "counts")
    vectorizer = ours.vectorizers[TEXT]
    for text in ["where is my order order order", "Whereis MY refnd!!", "zzz qqq", "a"]:
        message = tokenized([text], [None])[0]
        ours.process([message])
        (features,) = [f.features for f in message.features if f.type == FEATURE_TYPE_SENTENCE]
        words = ours._get_processed_message_tokens_by_attribute(message, TEXT)
        expected = vectorizer.transform([" ".join(words)])
        assert features.format == "coo" and features.shape == expected.shape
        assert features.dtype == expected.dtype
        assert list(features.col) == sorted(features.col)
        np.testing.assert_array_equal(features.toarray(), expected.toarray())
        if text.startswith("where is"):
            assert features.toarray().max() >= 3  # "order" three times: counted, not marked


def test_a_reloaded_featurizer_gives_the_same_features(tmp_path: Path) -> None:
    config = {**CountVectorsFeaturizer.get_default_config(), **CONFIGS[1]}
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    featurizer = SentenceCountVectorsFeaturizer.create(config, storage, Resource("counts"), context)
    featurizer.train(training_data())
    loaded = SentenceCountVectorsFeaturizer.load(config, storage, Resource("counts"), context)
    assert isinstance(loaded, SentenceCountVectorsFeaturizer)
    pairs = new_messages_featurized(featurizer, loaded)
    assert all(before == after for before, after in pairs)
    assert pairs[0][1] and any(pairs[0][1][0][0])  # a misspelt message still has n-grams


def test_an_untrained_featurizer_leaves_messages_as_rasas_does(tmp_path: Path) -> None:
    featurizer = SentenceCountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), LocalModelStorage(tmp_path),
        Resource("counts"), ExecutionContext(GraphSchema({}), "test"))
    messages = tokenized(NEW, [None] * len(NEW))
    assert featurizer.process(messages) is messages
    assert all(not message.features for message in messages)
