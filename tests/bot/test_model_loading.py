"""Rasa loads a model from disk off its event loop: while the model loads, the loop keeps
running (conversation turns keep being answered by the model already loaded)."""

from __future__ import annotations

import asyncio

from rasa.core.agent import Agent

from rasa.utils.tensorflow.models import RasaModel

from ground.envfile import PROJECT_ROOT
from bot.runtime import model_loading, ted_loading

MODEL = PROJECT_ROOT / "models" / "caredesk.tar.gz"


def test_the_event_loop_keeps_running_while_a_model_loads(monkeypatch) -> None:
    # as the Rasa server loads it (bot.runtime.rasa_server.install)
    monkeypatch.setattr(RasaModel, "load", classmethod(ted_loading.load_for_prediction))

    async def load_while_ticking() -> tuple:
        ticks = 0
        loading = asyncio.create_task(model_loading.load_agent(model_path=str(MODEL)))
        while not loading.done():
            ticks += 1
            await asyncio.sleep(0.05)
        return await loading, ticks

    agent, ticks = asyncio.run(load_while_ticking())
    assert isinstance(agent, Agent) and agent.is_ready()
    assert ticks >= 10  # Rasa's own load_agent blocks the loop: one tick before, none during


def test_other_sources_load_as_rasa_does() -> None:
    agent = asyncio.run(model_loading.load_agent(model_path=str(PROJECT_ROOT / "no-such-model")))
    assert isinstance(agent, Agent) and not agent.is_ready()
