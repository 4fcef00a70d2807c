"""SentenceEmbeddingFeaturizer instances on a test's model storage, as Rasa's graph makes
them: `featurizer` for training (`create`), `loaded` from what training stored (`load`)."""

from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource

from bot.nlu.sentence_embeddings import SentenceEmbeddingFeaturizer


def featurizer(storage: LocalModelStorage, **config: object) -> SentenceEmbeddingFeaturizer:
    """A featurizer to train, with the defaults and `config`."""
    return SentenceEmbeddingFeaturizer.create(
        {**SentenceEmbeddingFeaturizer.get_default_config(), **config}, storage,
        Resource("embedding"), ExecutionContext(GraphSchema({}), "embedding"))


def loaded(storage: LocalModelStorage, **config: object) -> SentenceEmbeddingFeaturizer:
    """The featurizer loaded from what training stored in `storage`."""
    return SentenceEmbeddingFeaturizer.load(
        {**SentenceEmbeddingFeaturizer.get_default_config(), **config}, storage,
        Resource("embedding"), ExecutionContext(GraphSchema({}), "embedding"))
