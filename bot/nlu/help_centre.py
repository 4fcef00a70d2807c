"""Finds the help-centre passage that best answers each message (`help_article` in the
parse data), for the turns no intent fits.

At training time it reads the articles (company/help_articles.py), embeds every passage
with the same sentence encoder as the SentenceEmbeddingFeaturizer (same model files and
layers; longer inputs) and builds the BM25 index (bot/nlu/help_index.py); both are stored
in the trained model as arrays and JSON. At parse time it scores the message's own
sentence feature, already computed by the featurizer, against every passage (one
matrix-vector product) plus the lexical score, and adds the best passage with its score
and whether it clears `threshold` (`confident`). `action_clarify` answers with a confident
one (actions/help_centre.py); the trainer's inbox lists the fallbacks that had none.

`semantic_weight` and `threshold` are calibrated on the labelled questions of
tests/nlu/help_questions.py (tests/nlu/test_help_centre.py measures them).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.bert_onnx import quantizer_versions
from bot.nlu.help_index import HelpIndex
from bot.nlu.encoder_files import resolve_model_dir
from bot.nlu.entity_values import canonical_text
from bot.nlu.sentence_embeddings import SentenceEncoder
from company.help_articles import ARTICLES_DIR, HELP_ARTICLE, OTHER_ARTICLES_KEY, load_articles
from bot.nlu.source_fingerprint import SourceFingerprinted

logger = logging.getLogger(__name__)

# how many next articles give their best passage, under OTHER_ARTICLES_KEY of the match (a
# question leaning on the article just shown is answered from it when it comes close:
# actions/help_centre.py)
OTHER_ARTICLES = 4
_VECTORS_FILE = "vectors.npz"
_INDEX_FILE = "index.json"
# the same encoder gives the same vector (cosine 1.000000); the float and the quantized
# encoder give 0.98-0.998 for the same message
_SAME_VECTOR = 0.9999


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class HelpCentreSearch(SourceFingerprinted, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [DenseFeaturizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "articles_dir": None,  # default: company/help_articles
            # the sentence encoder: the SentenceEmbeddingFeaturizer's model, layers and
            # precision
            "model_dir": None,
            "layers": [-1],
            "quantized": False,
            "passage_max_length": 256,
            # combined score = w * cosine + (1 - w) * normalised BM25
            "semantic_weight": 0.6,
            # at or above: confident enough to answer with the passage (config.yml's value,
            # calibrated there; README, "Help centre")
            "threshold": 0.32,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["transformers", "onnxruntime", "onnx"]

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, index: Optional[HelpIndex] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._index = index

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The articles are read from files, not the graph: a changed article retrains (as
        does a change to the code, and to the quantizer's versions when quantized)."""
        folder = Path(config.get("articles_dir") or ARTICLES_DIR)
        digest = hashlib.sha256(str(super().fingerprint_addon(config)).encode())
        if config.get("quantized"):
            digest.update(quantizer_versions().encode())
        for path in sorted(folder.glob("*.md")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "HelpCentreSearch":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        folder = Path(self._config["articles_dir"] or ARTICLES_DIR)
        passages = [p for article in load_articles(folder) for p in article.passages]
        if not passages:
            logger.warning("no help articles in %s; the help centre answers nothing", folder)
        encoder = SentenceEncoder(resolve_model_dir(self._config["model_dir"]),
                                  int(self._config["passage_max_length"]), self._config["layers"],
                                  quantized=bool(self._config["quantized"]))
        texts = [text for passage in passages for text in HelpIndex.passage_texts(passage)]
        self._index = HelpIndex.build(passages, encoder.encode(texts),
                                      float(self._config["semantic_weight"]))
        self._check_same_space(encoder, training_data)
        self.persist()
        return self._resource

    def _check_same_space(self, encoder: SentenceEncoder, training_data: TrainingData) -> None:
        """The passages must be embedded as the messages are: same model, layers and
        precision. The shortest training message (within both encoders' token limits) is
        encoded again here and compared with its sentence feature."""
        assert self._index is not None
        featurized = [(message, vector) for message in training_data.training_examples
                      if (vector := _sentence_vector(message)) is not None]
        if not featurized:
            return
        message, vector = min(featurized, key=lambda pair: len(pair[0].get(TEXT) or ""))
        if vector.shape[0] != self._index.vectors.shape[1]:
            problem = (f"embeds passages in {self._index.vectors.shape[1]} dimensions but "
                       f"the messages' sentence features have {vector.shape[0]}")
        elif _cosine(encoder.encode([canonical_text(message)])[0], vector) < _SAME_VECTOR:
            problem = "embeds passages differently from the messages' sentence features"
        else:
            return
        raise ValueError(f"HelpCentreSearch {problem}: give it the "
                         "SentenceEmbeddingFeaturizer's model_dir, layers and quantized")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self._index is None:
            return messages
        threshold = float(self._config["threshold"])
        for message in messages:
            text = message.get(TEXT) or ""
            # (a clause's own article too: "cost to ireland. also do you do gift wrapping" read
            # whole is a delivery question, and its gift-wrapping clause is answered by one,
            # bot/nlu/clauses.py's `help_question_beside`)
            if not text.strip():
                continue
            ranked = self._index.best_per_article(_sentence_vector(message), text, 1 + OTHER_ARTICLES)
            if ranked:
                found = ranked[0].to_json(ranked[0].score >= threshold)
                found[OTHER_ARTICLES_KEY] = [{"slug": m.passage.slug, "section": m.passage.heading,
                                              "score": round(m.score, 4)} for m in ranked[1:]]
                message.set(HELP_ARTICLE, found, add_to_output=True)
        return messages

    def persist(self) -> None:
        if self._index is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / _VECTORS_FILE, vectors=self._index.vectors)
            (directory / _INDEX_FILE).write_text(json.dumps(self._index.to_json()),
                                                 encoding="utf-8")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "HelpCentreSearch":
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / _VECTORS_FILE, allow_pickle=False) as stored:
                    vectors = stored["vectors"]
                index = HelpIndex.from_stored(
                    json.loads((directory / _INDEX_FILE).read_text(encoding="utf-8")), vectors)
        except (ValueError, FileNotFoundError):
            logger.debug("no trained HelpCentreSearch in %s", resource.name)
            index = None
        return cls(config, model_storage, resource, index)


def _sentence_vector(message: Message) -> Optional[np.ndarray]:
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None:
        return None
    return np.asarray(sentence.features, dtype=np.float32).reshape(-1)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine of two vectors (0 for a zero vector)."""
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))
