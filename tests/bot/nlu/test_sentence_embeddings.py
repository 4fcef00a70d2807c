"""The encoder's onnxruntime graph computes what the original model computes.

The reference is the model as transformers runs it (TFBertModel on the same weights),
mean-pooled over the attention mask as sentence-transformers does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.nlu.sentence_embeddings import SentenceEncoder, resolve_model_dir

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
