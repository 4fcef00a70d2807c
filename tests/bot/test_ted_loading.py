"""A TEDPolicy loaded for prediction without Rasa's training step (bot/runtime/ted_loading.py)
has the stored weights and predicts exactly what the model Rasa builds predicts: every
action of the test and training stories and of a conversation opened with each intent."""

from __future__ import annotations

from typing import Any, Dict, Iterator

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.utils.tensorflow.models import RasaModel

from bot.runtime import ted_loading
from tests.conftest import MODEL_PATH
from tests.nlu.test_rasa_server_fixes import predictions, story_trackers  # noqa: F401


def ted_model(loaded: Agent) -> Any:
    runner = loaded.processor.graph_runner
    policy = next(node._component for node in runner._instantiated_nodes.values()
                  if isinstance(node._component, TEDPolicy))
    return policy.model


@pytest.fixture(scope="module")
def rasa_built() -> Agent:
    """The model file loaded Rasa's way, just before `quick_agent`: the weights are compared
    by their names, which Keras numbers by how many layers the process built before, so the
    session's shared model (loaded earlier, other models since) would not line up."""
    return Agent.load(str(MODEL_PATH))


@pytest.fixture(scope="module")
def quick_agent(rasa_built: Agent) -> Iterator[Agent]:
    """The same model file loaded with the fix, and no training step allowed meanwhile."""
    import keras

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RasaModel, "load", classmethod(ted_loading.load_for_prediction))

        def no_training(*args: Any, **kwargs: Any) -> None:
            raise AssertionError("a training step ran while loading for prediction")

        patch.setattr(keras.Model, "fit", no_training)
        loaded = Agent.load(str(MODEL_PATH))
    yield loaded


def test_the_loaded_weights_are_the_stored_ones(rasa_built: Agent, quick_agent: Agent) -> None:
    built: Dict[str, np.ndarray] = {v.name: v.numpy() for v in ted_model(rasa_built).variables}
    quick = {v.name: v.numpy() for v in ted_model(quick_agent).variables}
    assert len(quick) >= 20
    assert set(quick) <= set(built)
    for name, value in quick.items():
        np.testing.assert_array_equal(value, built[name], err_msg=name)


def test_it_predicts_what_the_model_rasa_builds_predicts(rasa_built: Agent, quick_agent: Agent,
                                                         story_trackers) -> None:
    rasa_made = predictions(rasa_built, story_trackers)
    quick_made = predictions(quick_agent, story_trackers)

    assert quick_made == rasa_made
    assert any("TEDPolicy" in prediction for prediction in quick_made), "TED never decided"
