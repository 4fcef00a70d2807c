"""Sentence embeddings from all-MiniLM-L6-v2, run in onnxruntime (no PyTorch, no download).

Rasa's own LanguageModelFeaturizer takes the [CLS] vector of BERT models, but this model
was trained to be read by mean pooling over its tokens, which is what this featurizer does
(optionally over several of its last layers, each L2-normalised and concatenated). The
model files are installed by `scripts/fetch_embedding_model.py` into the virtual
environment; the trained Rasa model records which files it was trained with. The encoder
runs them as a graph of onnxruntime's fused BERT operators (`bot.nlu.bert_onnx`): a third
of TensorFlow's time per message, with the same vectors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Type

import numpy as np

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.bert_onnx import INPUT_NAMES, open_session
from bot.nlu.entity_values import canonical_text
from bot.nlu.source_fingerprint import SourceFingerprinted

DEFAULT_MODEL_DIR = Path(sys.prefix) / "share" / "caredesk" / "all-MiniLM-L6-v2"
MODEL_DIR_ENV = "CAREDESK_EMBEDDING_MODEL_DIR"


def resolve_model_dir(configured: Optional[str]) -> Path:
    """The model folder: the component setting, else the environment, else the venv's."""
    path = Path(configured or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR)
    if not (path / "config.json").exists():
        raise FileNotFoundError(
            f"sentence-embedding model not found in {path}; run `make install` "
            f"(scripts/fetch_embedding_model.py) or set {MODEL_DIR_ENV}"
        )
    return path


class SentenceEncoder:
    """Mean-pooled sentence vectors from a BERT-style encoder, batch or one by one."""

    def __init__(self, model_dir: Path, max_length: int, layers: Sequence[int]) -> None:
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        self._tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        if self._tokenizer.padding_side != "right":
            raise ValueError(f"the encoder needs right padding; {model_dir}'s tokenizer pads "
                             f"on the {self._tokenizer.padding_side}")
        self._max_length = max_length
        self._layers = list(layers)
        self._session = open_session(model_dir, self._layers)
        self._hidden_size = int(self._session.get_outputs()[0].shape[-1])

    @property
    def dimension(self) -> int:
        return self._hidden_size * len(self._layers)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """One row per text; texts of similar length are batched together for speed."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            encoded = self._tokenizer(
                [texts[index] or " " for index in chunk], padding=True, truncation=True,
                max_length=self._max_length, return_tensors="np",
            )
            inputs = {name: encoded[name].astype(np.int32) for name in INPUT_NAMES}
            mask = inputs["attention_mask"].astype(np.float32)[:, :, None]
            count = np.maximum(mask.sum(axis=1), 1e-9)
            pooled = []
            for hidden in self._session.run(None, inputs):
                mean = (hidden * mask).sum(axis=1) / count
                pooled.append(mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12))
            result[chunk] = np.concatenate(pooled, axis=1)
        return result


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEmbeddingFeaturizer(SourceFingerprinted, DenseFeaturizer, GraphComponent):
    """Adds a mean-pooled sentence embedding as the dense sentence feature of each text."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_dir": None,
            "max_length": 64,
            "layers": [-1],
            "batch_size": 64,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["transformers", "onnxruntime", "onnx"]

    def __init__(self, config: Dict[Text, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self._encoder = SentenceEncoder(
            resolve_model_dir(self._config["model_dir"]),
            int(self._config["max_length"]),
            self._config["layers"],
        )
        # onnxruntime prepares its kernels on the first call: here, while the model loads,
        # not in the first customer's turn
        self._encoder.encode(["hello"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEmbeddingFeaturizer":
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not config.get("layers"):
            raise ValueError("SentenceEmbeddingFeaturizer needs at least one layer to pool")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize([m for m in messages if m.get(TEXT)])
        return messages

    def _featurize(self, messages: List[Message]) -> None:
        vectors = self._encoder.encode(
            [canonical_text(m) for m in messages], batch_size=int(self._config["batch_size"])
        )
        for message, vector in zip(messages, vectors):
            self.add_features_to_message(
                sequence=None, sentence=vector[None, :], attribute=TEXT, message=message
            )

