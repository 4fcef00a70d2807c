"""Intent classifier: multinomial logistic regression over sentence embeddings and n-grams.

The dense sentence embedding carries meaning ("my card hasn't come" ≈ "still waiting for
the card"); sublinear tf-idf over word and character n-grams carries the exact wording and
survives typos. Both blocks are L2-normalised and weighted, then one linear model reads
them. Its softmax probabilities are the confidences the FallbackClassifier thresholds.
The trained weights are stored as plain arrays (no pickle).

When the sentence featurizer carries an encoder top tuned on the intents, each message also
has that branch's probabilities (`ENCODER_PROBABILITIES`); the confidences are then
their weighted average with the linear model's (`encoder_weight`): the two err on different
messages (README, "NLU quality").
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple, Type

import numpy as np
import scipy.sparse as sp
from scipy.special import softmax
from sklearn.preprocessing import normalize

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.encoder_tuning import ENCODER_PROBABILITIES
from bot.nlu.softmax_regression import fit_softmax_regression
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
            # share of the tuned encoder's intent probabilities in the confidences, for
            # messages that have them
            "encoder_weight": 0.5,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        weight = float(config.get("encoder_weight", 0.0))
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"LinearIntentClassifier's encoder_weight is a share between 0 "
                             f"and 1, not {weight}")

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
        dense, sparse = _dense_block(examples), _sparse_block(examples)
        weights: Dict[str, np.ndarray] = {"classes": np.array(labels)}
        if sparse is not None:
            document_frequency = np.bincount(sparse.indices, minlength=sparse.shape[1])
            weights["idf"] = np.log((1 + sparse.shape[0]) / (1 + document_frequency)) + 1.0
        self._weights = weights
        self._scoring = None
        dense, sparse = self._weighted_blocks(dense, sparse)
        index = {label: position for position, label in enumerate(labels)}
        model = fit_softmax_regression(
            dense, sparse, np.array([index[m.get(INTENT)] for m in examples]), len(labels),
            C=float(self._config["C"]), max_iter=int(self._config["max_iter"]),
        )
        if not model.converged:
            logger.warning("LinearIntentClassifier: the fit stopped after %d iterations "
                           "without converging", model.iterations)
        weights["coef"] = model.coef.astype(np.float32)
        weights["intercept"] = model.intercept.astype(np.float32)
        self.persist()
        return self._resource

    def _features(self, messages: List[Message]) -> sp.csr_matrix:
        """The features training fits on, as one matrix (dense columns first)."""
        dense, sparse = self._weighted_blocks(_dense_block(messages), _sparse_block(messages))
        blocks = [block for block in (dense, sparse) if block is not None]
        return sp.hstack([sp.csr_matrix(block) for block in blocks], format="csr")

    def _weighted_blocks(self, dense: Optional[np.ndarray], sparse: Optional[sp.csr_matrix]
                         ) -> Tuple[Optional[np.ndarray], Optional[sp.csr_matrix]]:
        """The dense block L2-normalised and weighted; the sparse counts as L2-normalised
        (sublinear) tf-idf."""
        assert self._weights is not None
        if dense is not None:
            dense = normalize(dense) * float(self._config["dense_weight"])
        if sparse is not None and "idf" in self._weights:
            sparse = sparse.copy()
            if self._config["sublinear_tf"]:
                sparse.data = np.log(sparse.data) + 1.0
            sparse = normalize(sparse.multiply(self._weights["idf"]).tocsr())
        else:
            sparse = None
        if dense is None and sparse is None:
            raise ValueError("LinearIntentClassifier found no features; check the pipeline")
        return dense, sparse

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
        probabilities = softmax(np.vstack([self._scores(message) for message in scorable]),
                                axis=1)
        classes = self._weights["classes"]
        self._blend_encoder_probabilities(scorable, probabilities, classes)
        length = int(self._config["ranking_length"])
        for message, row in zip(scorable, probabilities):
            best = np.argsort(-row)[: length if length > 0 else len(row)]
            ranking = [{"name": str(classes[i]), "confidence": float(row[i])} for i in best]
            message.set("intent", ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def _blend_encoder_probabilities(self, messages: List[Message], probabilities: np.ndarray,
                                     classes: np.ndarray) -> None:
        """Averages, in place, each row with the message's tuned-encoder probabilities, if
        it has them; an intent the encoder was not tuned on counts as 0 there."""
        weight = float(self._config["encoder_weight"])
        if weight <= 0:
            return
        for row, message in enumerate(messages):
            encoder = message.get(ENCODER_PROBABILITIES)
            if encoder:
                tuned = np.array([encoder.get(str(name), 0.0) for name in classes])
                probabilities[row] = (1.0 - weight) * probabilities[row] + weight * tuned

    def _scores(self, message: Message) -> np.ndarray:
        """One message's score per intent: the features of `_features`, read straight from
        the message's sentence features. Building them as sparse matrices, the way training
        does, took 2 of the classifier's 2.5 ms per message in SciPy's bookkeeping for a
        row of a few dozen numbers; the scores are the same to within float rounding."""
        assert self._weights is not None
        scoring = self._scoring_matrix()
        scores = self._weights["intercept"].astype(np.float64)
        offset = 0
        dense = [f.features for f in message.features
                 if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and not f.is_sparse()]
        if dense:
            vector = np.concatenate([np.asarray(d, dtype=np.float32).reshape(-1) for d in dense])
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                weight = float(self._config["dense_weight"]) / norm
                scores = scores + (vector * weight) @ scoring[: vector.shape[0]]
            offset = vector.shape[0]
        if "idf" not in self._weights:
            return scores
        columns, counts, width = _sparse_counts(message)
        if not width:
            return scores
        found, where = np.unique(columns, return_inverse=True)
        values = np.bincount(where, weights=counts)
        keep = values != 0
        found, values = found[keep], values[keep]
        if self._config["sublinear_tf"]:
            values = np.log(values) + 1.0
        values = values * self._weights["idf"][found]
        norm = float(np.linalg.norm(values))
        if norm > 0:
            scores = scores + (values / norm) @ scoring[offset + found]
        return scores

    def _scoring_matrix(self) -> np.ndarray:
        """The weights as (features x intents) float64 in C order, made once: reading the
        rows of a message's features then needs no copy of the rest."""
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


def _sparse_counts(message: Message) -> Tuple[np.ndarray, np.ndarray, int]:
    """The message's sparse sentence features side by side (word n-grams, then characters):
    the column and count of each stored entry, and the width of all of them together."""
    columns, counts, width = [], [], 0
    for feature in message.features:
        if (feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE
                and feature.is_sparse()):
            matrix = feature.features.tocoo()
            columns.append(matrix.col + width)
            counts.append(matrix.data)
            width += matrix.shape[1]
    if not columns:
        return np.zeros(0, dtype=np.int64), np.zeros(0), 0
    return (np.concatenate(columns).astype(np.int64),
            np.concatenate(counts).astype(np.float64), width)


def _sparse_block(messages: List[Message]) -> Optional[sp.csr_matrix]:
    """The messages' sparse sentence features as rows of one matrix, repeated columns summed;
    None if a message has none."""
    rows, columns, counts, widths = [], [], [], set()
    for row, message in enumerate(messages):
        found, values, width = _sparse_counts(message)
        if not width:
            return None
        rows.append(np.full(len(found), row))
        columns.append(found)
        counts.append(values)
        widths.add(width)
    if not rows:
        return None
    if len(widths) > 1:
        raise ValueError(f"the messages' sparse features differ in width: {sorted(widths)}")
    entries = (np.concatenate(counts), (np.concatenate(rows), np.concatenate(columns)))
    return sp.coo_matrix(entries, shape=(len(messages), widths.pop())).tocsr()
