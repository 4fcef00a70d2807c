"""The encoder's onnxruntime graph computes what the original model computes (in 8 bits,
nearly); the featurizer tunes, stores and runs a copy of its top layers when asked to.

The reference is the model as transformers runs it (TFBertModel on the same weights),
mean-pooled over the attention mask as sentence-transformers does.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.bert_onnx import (
    _quantized_frozen_graph, _WithoutAdvice, build_bert_graph, encoder_graph, quantized_graph)
from bot.nlu.encoder_tuning import ENCODER_PROBABILITIES
from bot.nlu.register_augmenter import AUGMENTED
from bot.nlu.encoder_files import resolve_model_dir
from bot.nlu.sentence_embeddings import SentenceEmbeddingFeaturizer, SentenceEncoder
from tests.bot.nlu.embedding_featurizers import featurizer, loaded

TEXTS = [
    "where is my order",
    "I was charged twice for HG-100000 and nobody has answered my emails for a week",
    "",
    "cancel",
    "wheres my refnd?? been waiting 3 wks lol",
    " ".join(["please help me with my delivery"] * 20),
]


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return resolve_model_dir(None)


def reference_vectors(model_dir: Path, texts: list[str], layers: list[int]) -> np.ndarray:
    """The mean-pooled, L2-normalised hidden states, one text at a time (no padding)."""
    from transformers import AutoTokenizer, TFBertModel

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = TFBertModel.from_pretrained(str(model_dir), local_files_only=True)
    rows = []
    for text in texts:
        encoded = tokenizer([text or " "], truncation=True, max_length=64, return_tensors="np")
        hidden_states = model(**encoded, output_hidden_states=True).hidden_states
        parts = []
        for layer in layers:
            mean = hidden_states[layer].numpy()[0].mean(axis=0)
            parts.append(mean / np.linalg.norm(mean))
        rows.append(np.concatenate(parts))
    return np.vstack(rows)


def test_padded_batches_give_the_reference_vectors(model_dir: Path) -> None:
    layers = [-2, -1]
    encoder = SentenceEncoder(model_dir, 64, layers)
    expected = reference_vectors(model_dir, TEXTS, layers)

    in_one_batch = encoder.encode(TEXTS)
    one_by_one = np.vstack([encoder.encode([text]) for text in TEXTS])

    assert in_one_batch.shape == (len(TEXTS), 768) == (len(TEXTS), encoder.dimension)
    np.testing.assert_allclose(in_one_batch, expected, atol=2e-5)
    np.testing.assert_allclose(one_by_one, expected, atol=2e-5)


def test_each_layer_is_normalised_on_its_own(model_dir: Path) -> None:
    vectors = SentenceEncoder(model_dir, 64, [-3, -1]).encode(["my parcel never arrived"])
    assert np.linalg.norm(vectors[0, :384]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(vectors[0, 384:]) == pytest.approx(1.0, abs=1e-5)
    assert not np.allclose(vectors[0, :384], vectors[0, 384:], atol=1e-2)


def test_no_texts_give_no_rows(model_dir: Path) -> None:
    assert SentenceEncoder(model_dir, 64, [-1]).encode([]).shape == (0, 384)


@pytest.mark.parametrize("layer", [7, -8])
def test_a_layer_the_model_does_not_have_is_refused(model_dir: Path, layer: int) -> None:
    with pytest.raises(ValueError, match=f"no layer {layer}"):
        SentenceEncoder(model_dir, 64, [layer])


def test_the_quantized_encoder_stays_close_to_the_original(model_dir: Path) -> None:
    expected = reference_vectors(model_dir, TEXTS, [-1])
    vectors = SentenceEncoder(model_dir, 64, [-1], quantized=True).encode(TEXTS)
    cosines = (vectors * expected).sum(axis=1)
    assert cosines.min() >= 0.97 and cosines.mean() >= 0.985, cosines
    assert np.abs(vectors - expected).max() > 1e-3  # another computation, not the float one


def test_a_quantized_text_gets_the_same_vector_alone_or_among_others(model_dir: Path) -> None:
    # the activations' 8-bit scale is the whole batch's: in one batch, a text's vector would
    # depend on the other texts and the padding, and differ from the one a parse gives it
    encoder = SentenceEncoder(model_dir, 64, [-1], quantized=True)
    alone = np.vstack([encoder.encode([text]) for text in TEXTS])
    np.testing.assert_allclose(encoder.encode(TEXTS, batch_size=64), alone, atol=1e-6)


def test_the_quantized_graph_multiplies_8_bit_weights_and_is_made_the_same_each_time(
        model_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    import onnx

    graph = build_bert_graph(model_dir, [-1])
    with caplog.at_level(logging.INFO):
        quantized = quantized_graph(graph)
    # the quantizer's advice and per-tensor notes would fill every model load's log
    assert not [record for record in caplog.records if record.name == "root"], caplog.text
    assert quantized_graph(graph) == quantized
    model = onnx.load_from_string(quantized)
    operators = {node.op_type for node in model.graph.node}
    assert not operators & {"MatMul", "Attention"}, operators
    int8 = sum(int(np.prod(t.dims)) for t in model.graph.initializer
               if t.data_type == onnx.TensorProto.INT8 and len(t.dims) == 2)  # not zero points
    # six layers: the query, key and value, the attention's output, the two feed-forward
    assert int8 == 6 * (3 * 384 * 384 + 384 * 384 + 2 * 384 * 1536)


def test_the_frozen_8_bit_graph_is_quantized_once_for_the_same_files_and_layers(
        model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a training run asks for it twice (the featurizer, the help centre): 4.4 s each time
    made: list[int] = []

    def counted(graph: bytes) -> bytes:
        made.append(len(graph))
        return f"int8 graph {len(made)}".encode()

    monkeypatch.setattr("bot.nlu.bert_onnx.quantized_graph", counted)
    _quantized_frozen_graph.cache_clear()
    try:
        first = encoder_graph(model_dir, [-1], quantized=True)
        assert encoder_graph(model_dir, [-1], quantized=True) == first
        assert len(made) == 1
        assert encoder_graph(model_dir, [-2], quantized=True) != first
        assert len(made) == 2
        # a model whose weights were replaced in place is quantized again
        copy = tmp_path / "encoder"
        shutil.copytree(model_dir, copy)
        from_copy = encoder_graph(copy, [-1], quantized=True)
        assert encoder_graph(copy, [-1], quantized=True) == from_copy and len(made) == 3
        weights = copy / "model.safetensors"
        stamp = weights.stat().st_mtime_ns + 10**9
        os.utime(weights, ns=(stamp, stamp))
        assert encoder_graph(copy, [-1], quantized=True) != from_copy
        assert len(made) == 4
        # float graphs are not kept: building one takes a second and holds 90 MB
        assert encoder_graph(model_dir, [-1]) == build_bert_graph(model_dir, [-1])
        assert len(made) == 4
    finally:
        _quantized_frozen_graph.cache_clear()


def test_only_the_quantizer_s_notes_are_kept_out_of_the_log() -> None:
    def record(path: str, level: int) -> logging.LogRecord:
        return logging.LogRecord("root", level, path, 1, "a note", None, None)

    quantizer = "/venv/site-packages/onnxruntime/quantization/onnx_quantizer.py"
    assert not _WithoutAdvice().filter(record(quantizer, logging.INFO))
    assert not _WithoutAdvice().filter(record(quantizer, logging.WARNING))
    assert _WithoutAdvice().filter(record(quantizer, logging.ERROR))
    # another thread's records while a graph is quantized
    assert _WithoutAdvice().filter(record("/work/main/bot/runtime/training.py", logging.INFO))


def test_the_training_cache_retrains_after_a_quantizer_upgrade(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import onnxruntime

    before = SentenceEmbeddingFeaturizer.fingerprint_addon({"quantized": True})
    assert SentenceEmbeddingFeaturizer.fingerprint_addon({"quantized": False}) != before
    monkeypatch.setattr(onnxruntime, "__version__", "99.0.0")
    assert SentenceEmbeddingFeaturizer.fingerprint_addon({"quantized": True}) != before


TUNING = {"order_status": ["where is my parcel", "my order has not arrived yet",
                           "has my package shipped", "track my delivery please"],
          "refund_status": ["where is my refund", "I still have not got my money back",
                            "when will the refund reach my card", "refund not showing"],
          "reset_password": ["I forgot my password", "cannot log in, need a new password",
                             "reset my login please", "password reset link"]}


def training_data() -> TrainingData:
    examples = [Message(data={TEXT: text, INTENT: intent})
                for intent, texts in TUNING.items() for text in texts]
    # a noisy copy of an intent of its own: the tuning must leave copies out by default
    examples.append(Message(data={TEXT: "wher is my parcle", INTENT: "copied_only",
                                  AUGMENTED: True}))
    return TrainingData(examples)


def test_a_tuned_top_gives_each_message_its_intent_probabilities(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    settings = {"tuned_layers": 2, "tuning_epochs": 4, "tuning_learning_rate": 3e-4}
    featurizer(storage, **settings).train(training_data())
    component = loaded(storage, **settings)

    messages = [Message(data={TEXT: text}) for texts in TUNING.values() for text in texts]
    component.process(messages)

    for message, intent in zip(messages, [i for i, texts in TUNING.items() for _ in texts]):
        probabilities = message.get(ENCODER_PROBABILITIES)
        assert sorted(probabilities) == sorted(TUNING)  # not the copies' intent
        assert max(probabilities, key=probabilities.get) == intent
        assert sum(probabilities.values()) == pytest.approx(1.0, abs=1e-5)
        assert ENCODER_PROBABILITIES not in message.as_dict(only_output_properties=True)
    # the classifier's features are still the frozen encoder's
    frozen = SentenceEncoder(resolve_model_dir(None), 64, [-1]).encode(
        [m.get(TEXT) for m in messages])
    features = np.vstack([m.get_dense_features(TEXT)[1].features for m in messages])
    np.testing.assert_allclose(features, frozen, atol=1e-5)


def test_training_examples_get_features_but_no_intent_probabilities(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    settings = {"tuned_layers": 1, "tuning_epochs": 1}
    featurizer(storage, **settings).train(training_data())
    data = loaded(storage, **settings).process_training_data(training_data())
    assert all(m.get_dense_features(TEXT)[1] is not None for m in data.training_examples)
    assert not [m for m in data.training_examples if m.get(ENCODER_PROBABILITIES)]
    # read without the tuned branch: the frozen encoder's vectors
    frozen = SentenceEncoder(resolve_model_dir(None), 64, [-1]).encode(
        [m.get(TEXT) for m in data.training_examples])
    features = np.vstack([m.get_dense_features(TEXT)[1].features
                          for m in data.training_examples])
    np.testing.assert_allclose(features, frozen, atol=1e-5)


def test_without_tuned_layers_nothing_is_tuned_or_stored(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    featurizer(storage).train(training_data())
    assert not list(tmp_path.rglob("*.npz"))
    message = Message(data={TEXT: "where is my refund"})
    loaded(storage).process([message])
    assert message.get_dense_features(TEXT)[1] is not None
    assert message.get(ENCODER_PROBABILITIES) is None


def test_a_quantized_featurizer_gives_parses_the_features_of_training(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    storage = LocalModelStorage(tmp_path)
    featurizer(storage, quantized=True).train(training_data())
    assert [path.name for path in tmp_path.rglob("*.onnx")] == ["encoder.onnx"]
    # the model runs the graph it stored: none is built or quantized while it loads
    monkeypatch.setattr("bot.nlu.sentence_embeddings.encoder_graph", None)
    component = loaded(storage, quantized=True)
    monkeypatch.undo()
    data = component.process_training_data(training_data())
    messages = [Message(data={TEXT: m.get(TEXT)}) for m in data.training_examples]
    component.process(messages)

    trained = np.vstack([m.get_dense_features(TEXT)[1].features for m in data.training_examples])
    parsed = np.vstack([m.get_dense_features(TEXT)[1].features for m in messages])
    np.testing.assert_allclose(parsed, trained, atol=1e-6)
    float_vectors = SentenceEncoder(resolve_model_dir(None), 64, [-1]).encode(
        [m.get(TEXT) for m in messages])
    assert np.abs(parsed - float_vectors).max() > 1e-3


def test_a_quantized_tuned_top_is_stored_with_the_graph_and_answers(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    settings = {"tuned_layers": 1, "tuning_epochs": 4, "tuning_learning_rate": 3e-4,
                "quantized": True}
    featurizer(storage, **settings).train(training_data())
    assert sorted(path.name for path in tmp_path.rglob("*.*")) == ["encoder.onnx",
                                                                   "tuned_top.npz"]
    message = Message(data={TEXT: "where is my refund"})
    loaded(storage, **settings).process([message])
    probabilities = message.get(ENCODER_PROBABILITIES)
    assert max(probabilities, key=probabilities.get) == "refund_status"


def test_more_tuned_layers_than_the_encoder_has_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="has 6 layers"):
        featurizer(LocalModelStorage(tmp_path), tuned_layers=7).train(training_data())


def test_the_noisy_copies_are_tuned_on_only_when_asked(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    settings = {"tuned_layers": 1, "tuning_epochs": 1, "tune_on_copies": True}
    featurizer(storage, **settings).train(training_data())
    message = Message(data={TEXT: "where is my parcel"})
    loaded(storage, **settings).process([message])
    assert sorted(message.get(ENCODER_PROBABILITIES)) == sorted([*TUNING, "copied_only"])


def test_a_model_without_its_tuned_top_answers_with_the_classifier_alone(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    storage = LocalModelStorage(tmp_path)
    one_intent = TrainingData([Message(data={TEXT: text, INTENT: "order_status"})
                               for text in TUNING["order_status"]])
    featurizer(storage, tuned_layers=2).train(one_intent)  # nothing to tell apart: not tuned
    message = Message(data={TEXT: "where is my refund"})
    loaded(storage, tuned_layers=2).process([message])
    assert message.get_dense_features(TEXT)[1] is not None
    assert message.get(ENCODER_PROBABILITIES) is None
    assert "no usable tuned encoder top" in caplog.text
