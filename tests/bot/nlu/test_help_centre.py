"""The help centre embeds its passages as the featurizer embeds messages, or refuses to
train: passages in another space would be matched by scores that mean nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.help_centre import HelpCentreSearch
from company.help_articles import ARTICLES_DIR
from tests.bot.nlu.embedding_featurizers import featurizer, loaded


def featurized(storage: LocalModelStorage, **config: Any) -> TrainingData:
    """Two training examples with the featurizer's sentence features."""
    data = TrainingData([Message(data={TEXT: "where is my parcel", INTENT: "order_status"}),
                         Message(data={TEXT: "I forgot my password", INTENT: "reset_password"})])
    return featurizer(storage, **config).process_training_data(data)


def help_centre(storage: LocalModelStorage, articles: Path, **config: Any) -> HelpCentreSearch:
    """An untrained help centre over the articles in `articles`."""
    return HelpCentreSearch.create(
        {**HelpCentreSearch.get_default_config(), "articles_dir": str(articles), **config},
        storage, Resource("help"), ExecutionContext(GraphSchema({}), "help"))


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Two of the demo shop's articles."""
    folder = tmp_path / "articles-source"
    folder.mkdir()
    for name in ("accessibility.md", "delivery-areas.md"):
        shutil.copy(ARTICLES_DIR / name, folder)
    return folder


@pytest.mark.parametrize("quantized", [False, True])
def test_passages_are_embedded_as_the_messages_are(tmp_path: Path, articles: Path,
                                                   quantized: bool) -> None:
    storage = LocalModelStorage(tmp_path)
    data = featurized(storage, quantized=quantized)
    component = help_centre(storage, articles, quantized=quantized)
    component.train(data)
    message = Message(data={TEXT: "do you accept calls through relay uk"})
    loaded(storage, quantized=quantized).process([message])
    component.process([message])
    found = message.get("help_article")
    assert found["slug"] == "accessibility" and found["confident"], found


@pytest.mark.parametrize("featurizer_quantized", [False, True])
def test_another_precision_than_the_featurizer_s_is_refused(
        tmp_path: Path, articles: Path, featurizer_quantized: bool) -> None:
    storage = LocalModelStorage(tmp_path)
    data = featurized(storage, quantized=featurizer_quantized)
    component = help_centre(storage, articles, quantized=not featurizer_quantized)
    with pytest.raises(ValueError, match="embeds passages differently.*quantized"):
        component.train(data)


def test_another_layer_count_than_the_featurizer_s_is_refused(tmp_path: Path,
                                                              articles: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    data = featurized(storage, layers=[-2, -1])
    with pytest.raises(ValueError, match="384 dimensions but .* have 768"):
        help_centre(storage, articles).train(data)


def test_the_training_cache_retrains_after_a_quantizer_upgrade(
        articles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import onnxruntime

    config = {"articles_dir": str(articles), "quantized": True}
    before = HelpCentreSearch.fingerprint_addon(config)
    assert HelpCentreSearch.fingerprint_addon({**config, "quantized": False}) != before
    monkeypatch.setattr(onnxruntime, "__version__", "99.0.0")
    assert HelpCentreSearch.fingerprint_addon(config) != before
