"""Tuning the encoder's top layers: the tuned weights learn the intents, and onnxruntime's
graph runs them as BERT does.

The reference for the tuned branch is transformers' TFBertModel loaded from a copy of the
model files whose top layers are the tuned ones, so the check does not go through this
project's own layer code.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
import pytest

from bot.nlu.bert_onnx import TunedTop
from bot.nlu.encoder_files import encoder_shape, model_weights, resolve_model_dir
from bot.nlu.encoder_tuning import TuningSettings, layer_keys, tune_top_layers
from bot.nlu.sentence_embeddings import SentenceEncoder
from tests.bot.nlu.test_sentence_embeddings import reference_vectors

EXAMPLES = {
    "order_status": ["where is my parcel", "my order has not arrived yet",
                     "has my package shipped", "track my delivery please"],
    "refund_status": ["where is my refund", "I still have not got my money back",
                      "when will the refund reach my card", "refund not showing"],
    "reset_password": ["I forgot my password", "cannot log in, need a new password",
                       "reset my login please", "password reset link"],
}
START = 4


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return resolve_model_dir(None)


@pytest.fixture(scope="module")
def tuned(model_dir: Path) -> Tuple[Dict[str, np.ndarray], np.ndarray, List[str], np.ndarray]:
    """The top two layers tuned on EXAMPLES: weights, head, texts, labels."""
    texts = [text for examples in EXAMPLES.values() for text in examples]
    labels = np.array([label for label, examples in enumerate(EXAMPLES.values())
                       for _ in examples])
    states = SentenceEncoder(model_dir, 64, [-1]).hidden_states(texts, START)
    weights, head = tune_top_layers(states, labels, len(EXAMPLES), model_weights(model_dir),
                                    START, encoder_shape(model_dir),
                                    TuningSettings(epochs=4, learning_rate=3e-4, batch_size=4))
    return weights, head, texts, labels


def test_hidden_states_are_per_text_and_unpadded(model_dir: Path) -> None:
    from transformers import AutoTokenizer

    texts = ["refund", "where is the refund for my order from last week"]
    states = SentenceEncoder(model_dir, 64, [-1]).hidden_states(texts, START)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    assert [state.shape for state in states] == [
        (len(tokenizer(text)["input_ids"]), 384) for text in texts]
    assert states[0].shape[0] < states[1].shape[0]


def test_an_untuned_copy_of_the_top_gives_the_frozen_vectors(model_dir: Path) -> None:
    weights = model_weights(model_dir)
    top = TunedTop(START, {key: weights[key] for index in (4, 5) for key in layer_keys(index)})
    texts = ["where is my order", "", "wheres my refnd?? been waiting 3 wks lol"]
    frozen, branch = SentenceEncoder(model_dir, 64, [-1], top).encode_with_tuned(texts)
    assert branch is not None
    assert np.abs(frozen - branch).max() < 1e-5


def test_tuning_changes_the_top_layers_only(
        model_dir: Path, tuned: Tuple[Dict[str, np.ndarray], np.ndarray, List[str], np.ndarray]
) -> None:
    weights, head, _, _ = tuned
    base = model_weights(model_dir)
    assert sorted(weights) == sorted(layer_keys(4) + layer_keys(5))
    assert all(weights[key].shape == base[key].shape for key in weights)
    assert max(np.abs(weights[key] - base[key]).max() for key in weights) > 1e-4
    assert head.shape == (384, len(EXAMPLES))
    assert np.allclose(np.linalg.norm(head, axis=0), 1.0, atol=1e-5)


def test_the_tuned_branch_runs_as_bert_with_those_weights(
        model_dir: Path, tmp_path: Path,
        tuned: Tuple[Dict[str, np.ndarray], np.ndarray, List[str], np.ndarray]) -> None:
    from safetensors.numpy import save_file

    weights, _, texts, _ = tuned
    copy = tmp_path / "tuned-model"
    shutil.copytree(model_dir, copy)
    stored = model_weights(model_dir)
    stored.update(weights)
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in stored else ""
    save_file({prefix + key: np.ascontiguousarray(value) for key, value in stored.items()},
              str(copy / "model.safetensors"), metadata={"format": "pt"})
    _, branch = SentenceEncoder(model_dir, 64, [-1], TunedTop(START, weights)).encode_with_tuned(
        texts)
    assert branch is not None
    reference = reference_vectors(copy, texts, [-1])
    assert np.abs(branch - reference).max() < 1e-4


def test_the_tuned_head_tells_the_intents_apart(
        model_dir: Path, tuned: Tuple[Dict[str, np.ndarray], np.ndarray, List[str], np.ndarray]
) -> None:
    weights, head, texts, labels = tuned
    encoder = SentenceEncoder(model_dir, 64, [-1], TunedTop(START, weights))
    _, branch = encoder.encode_with_tuned(texts)
    assert branch is not None
    assert list((branch @ head).argmax(axis=1)) == list(labels)


def test_tuning_needs_a_label_per_text(model_dir: Path) -> None:
    states = SentenceEncoder(model_dir, 64, [-1]).hidden_states(["a", "b"], START)
    with pytest.raises(ValueError, match="one label per text"):
        tune_top_layers(states, np.array([0]), 2, model_weights(model_dir), START,
                        encoder_shape(model_dir), TuningSettings())
