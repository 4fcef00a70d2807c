"""Intent classifier: multinomial logistic regression over sentence embeddings and n-grams.

The dense sentence embedding carries meaning ("my card hasn't come" ≈ "still waiting for
the card"); sublinear tf-idf over word and character n-grams carries the exact wording and
survives typos. Both blocks are L2-normalised and weighted, then one linear model reads
them. Its softmax probabilities are the confidences the FallbackClassifier thresholds.
The trained weights are stored as plain arrays (no pickle).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.source_fingerprint import SourceFingerprinted

logger = logging.getLogger(__name__)

_WEIGHTS_FILE = "weights.npz"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearIntentClassifier(SourceFingerprinted, IntentClassifier, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # inverse regularisation strength of the logistic regression
            "C": 20.0,
            # weight of the dense (embedding) block against the sparse (n-gram) block
            "dense_weight": 1.0,
            # tf-idf with log-scaled counts over the sparse n-gram block
            "sublinear_tf": True,
            "max_iter": 1000,
            "ranking_length": 10,
            "random_seed": 42,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: Optional[Dict[str, np.ndarray]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights
        self._scoring: Optional[np.ndarray] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT)]
        labels = sorted({m.get(INTENT) for m in examples})
        if len(labels) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; not trained")
            return self._resource
        sparse = _sparse_block(examples)
        weights: Dict[str, np.ndarray] = {"classes": np.array(labels)}
        if sparse is not None:
            document_frequency = np.bincount(sparse.indices, minlength=sparse.shape[1])
            weights["idf"] = np.log((1 + sparse.shape[0]) / (1 + document_frequency)) + 1.0
        self._weights = weights
        self._scoring = None
        features = self._features(examples)
        model = LogisticRegression(
            C=float(self._config["C"]),
            max_iter=int(self._config["max_iter"]),
            random_state=int(self._config["random_seed"]),
        )
        model.fit(features, [m.get(INTENT) for m in examples])
        order = [list(model.classes_).index(label) for label in labels]
        weights["coef"] = model.coef_[order].astype(np.float32)
        weights["intercept"] = model.intercept_[order].astype(np.float32)
        self.persist()
        return self._resource

    def _features(self, messages: List[Message]) -> sp.csr_matrix:
        assert self._weights is not None
        blocks = []
        dense = _dense_block(messages)
        if dense is not None:
            blocks.append(sp.csr_matrix(normalize(dense) * float(self._config["dense_weight"])))
        sparse = _sparse_block(messages)
        if sparse is not None and "idf" in self._weights:
            if self._config["sublinear_tf"]:
                sparse.data = np.log(sparse.data) + 1.0
            blocks.append(normalize(sparse.multiply(self._weights["idf"]).tocsr()))
        if not blocks:
            raise ValueError("LinearIntentClassifier found no features; check the pipeline")
        return sp.hstack(blocks, format="csr")

    def process(self, messages: List[Message]) -> List[Message]:
        if self._weights is None or "coef" not in self._weights:
            return messages
        scorable = []
        for message in messages:
            if (message.get(TEXT) or "").strip():
                scorable.append(message)
            else:
                # nothing to classify: no confidence, so the FallbackClassifier steps in
                message.set("intent", {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
        if not scorable:
            return messages
        scores = np.asarray(self._features(scorable) @ self._scoring_matrix())
        scores += self._weights["intercept"]
        scores -= scores.max(axis=1, keepdims=True)
        probabilities = np.exp(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        classes = self._weights["classes"]
        length = int(self._config["ranking_length"])
        for message, row in zip(scorable, probabilities):
            best = np.argsort(-row)[: length if length > 0 else len(row)]
            ranking = [{"name": str(classes[i]), "confidence": float(row[i])} for i in best]
            message.set("intent", ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def _scoring_matrix(self) -> np.ndarray:
        """The weights as (features x intents) float64 in C order, made once: the product
        with the sparse features then reads them in place. `features @ coef.T` copied and
        converted all of them (22,990 x 41 here, 7.5 MB) for every message, most of the
        classifier's 5 ms per message; the scores are the same to the bit."""
        assert self._weights is not None
        if self._scoring is None:
            self._scoring = np.ascontiguousarray(self._weights["coef"].T, dtype=np.float64)
        return self._scoring

    def persist(self) -> None:
        if self._weights is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / _WEIGHTS_FILE, **self._weights)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / _WEIGHTS_FILE, allow_pickle=False) as stored:
                    weights = {key: stored[key] for key in stored.files}
        except (ValueError, FileNotFoundError):
            logger.debug("no trained LinearIntentClassifier in %s", resource.name)
            weights = None
        return cls(config, model_storage, resource, weights)


def _dense_block(messages: List[Message]) -> Optional[np.ndarray]:
    rows = []
    for message in messages:
        _, sentence = message.get_dense_features(TEXT)
        if sentence is None:
            return None
        rows.append(np.asarray(sentence.features).reshape(-1))
    return np.vstack(rows).astype(np.float32) if rows else None


def _sparse_block(messages: List[Message]) -> Optional[sp.csr_matrix]:
    rows = []
    for message in messages:
        _, sentence = message.get_sparse_features(TEXT)
        if sentence is None:
            return None
        rows.append(sp.csr_matrix(sentence.features))
    return sp.vstack(rows, format="csr").astype(np.float64) if rows else None
