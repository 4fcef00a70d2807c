"""The classifier scores a message from its own features exactly as training built them, and
averages in the tuned encoder's intent probabilities when a message has them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.encoder_tuning import ENCODER_PROBABILITIES
from bot.nlu.intent_classifier import LinearIntentClassifier, _sparse_block

INTENTS = ["order_status", "refund_status", "cancel_order"]
WORDS, CHARACTERS, DIMENSION = 30, 50, 8


def featurised(rng: np.random.Generator, text: str, intent: str | None = None) -> Message:
    """A message with the features the pipeline gives it: a dense sentence vector from the
    embedding step and two sparse sentence rows of counts (words, characters), plus the
    sequence features the classifier must not read."""
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    centre = INTENTS.index(intent) if intent else rng.integers(len(INTENTS))
    dense = rng.normal(size=(1, DIMENSION)).astype(np.float32)
    dense[0, centre] += 3.0
    message.add_features(Features(dense, FEATURE_TYPE_SENTENCE, TEXT, "embedding"))
    for origin, width in (("words", WORDS), ("characters", CHARACTERS)):
        counts = np.zeros((1, width))
        chosen = rng.choice(width, size=5, replace=False)
        counts[0, chosen] = rng.integers(1, 4, size=5)
        counts[0, centre] += 2
        message.add_features(Features(sp.coo_matrix(counts), FEATURE_TYPE_SENTENCE, TEXT, origin))
        message.add_features(Features(sp.coo_matrix(np.ones((3, width))), FEATURE_TYPE_SEQUENCE,
                                      TEXT, origin))
    return message


@pytest.fixture
def classifier(tmp_path: Path) -> LinearIntentClassifier:
    rng = np.random.default_rng(7)
    examples = [featurised(rng, f"example {n}", INTENTS[n % 3]) for n in range(60)]
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), "C": 5.0}, storage,
        Resource("classifier"), context)
    component.train(TrainingData(examples))
    return component


def test_scores_match_the_features_training_used(classifier: LinearIntentClassifier) -> None:
    rng = np.random.default_rng(11)
    messages = [featurised(rng, f"message {n}") for n in range(25)]
    weights = classifier._weights
    assert weights is not None
    logits = classifier._features(messages) @ weights["coef"].T.astype(np.float64)
    logits = np.asarray(logits) + weights["intercept"]
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)

    classifier.process(messages)

    for message, row in zip(messages, expected):
        ranking = {r["name"]: r["confidence"] for r in message.get("intent_ranking")}
        assert ranking == pytest.approx(
            {str(name): float(p) for name, p in zip(weights["classes"], row)}, abs=1e-7)
        assert message.get("intent")["name"] == str(weights["classes"][row.argmax()])


def test_the_features_are_read_side_by_side_as_rasa_combines_them() -> None:
    """Training reads each message's sparse sentence rows itself (Rasa's own combination cost
    a millisecond a message); the matrix is the one Rasa's combination gives."""
    rng = np.random.default_rng(13)
    messages = [featurised(rng, f"message {n}") for n in range(20)]
    expected = sp.vstack([sp.csr_matrix(m.get_sparse_features(TEXT)[1].features)
                          for m in messages])
    assert (_sparse_block(messages) != expected).nnz == 0
    assert _sparse_block(messages).shape == (20, WORDS + CHARACTERS)


def test_a_message_without_text_gets_no_intent(classifier: LinearIntentClassifier) -> None:
    message = Message(data={TEXT: "  "})
    classifier.process([message])
    assert message.get("intent") == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []


def test_two_intents_are_learned_as_two_ranked_intents(tmp_path: Path) -> None:
    """Two intents are the smallest problem: both are ranked, with probabilities that sum
    to one."""
    rng = np.random.default_rng(3)
    two = INTENTS[:2]
    examples = [featurised(rng, f"example {n}", two[n % 2]) for n in range(40)]
    component = LinearIntentClassifier.create(
        LinearIntentClassifier.get_default_config(), LocalModelStorage(tmp_path),
        Resource("classifier"), ExecutionContext(GraphSchema({}), "test"))
    component.train(TrainingData(examples))

    expected = [two[n % 2] for n in range(10)]
    messages = [featurised(rng, f"message {n}", intent) for n, intent in enumerate(expected)]
    component.process(messages)

    for message in messages:
        ranking = message.get("intent_ranking")
        assert sorted(r["name"] for r in ranking) == sorted(two)
        assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    right = sum(m.get("intent")["name"] == intent for m, intent in zip(messages, expected))
    assert right >= 9, f"{right} of 10 separable messages right"


def test_the_tuned_encoders_probabilities_are_averaged_in(
        classifier: LinearIntentClassifier) -> None:
    rng = np.random.default_rng(13)
    plain = featurised(rng, "where is my refund")
    blended = Message(data=dict(plain.data), features=list(plain.features))
    # the encoder was not tuned on cancel_order: it counts as 0 there
    blended.set(ENCODER_PROBABILITIES, {"order_status": 0.1, "refund_status": 0.9})

    classifier.process([plain, blended])

    alone = {r["name"]: r["confidence"] for r in plain.get("intent_ranking")}
    mixed = {r["name"]: r["confidence"] for r in blended.get("intent_ranking")}
    assert mixed == pytest.approx({"order_status": 0.5 * alone["order_status"] + 0.05,
                                   "refund_status": 0.5 * alone["refund_status"] + 0.45,
                                   "cancel_order": 0.5 * alone["cancel_order"]}, abs=1e-7)
    assert blended.get("intent")["name"] == max(mixed, key=mixed.get)
    assert sum(mixed.values()) == pytest.approx(1.0)


def test_an_encoder_weight_of_zero_leaves_the_linear_models_confidences(
        classifier: LinearIntentClassifier) -> None:
    rng = np.random.default_rng(17)
    plain = featurised(rng, "where is my refund")
    ignored = Message(data=dict(plain.data), features=list(plain.features))
    ignored.set(ENCODER_PROBABILITIES, {"refund_status": 1.0})
    classifier._config["encoder_weight"] = 0.0

    classifier.process([plain, ignored])

    assert ignored.get("intent_ranking") == plain.get("intent_ranking")


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_an_encoder_weight_outside_zero_to_one_is_refused(weight: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        LinearIntentClassifier.validate_config(
            {**LinearIntentClassifier.get_default_config(), "encoder_weight": weight})
