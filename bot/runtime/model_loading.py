"""Rasa 3.6 loads a model (`PUT /model`, and at start) inside its event loop, so every
conversation turn waits while a new model loads. `install` makes Rasa load a model from
disk in a worker thread: the old model keeps answering until the new one is ready, then
Rasa swaps them as before. Other sources (a model server, remote storage) load as before.
"""

from __future__ import annotations

import asyncio
import os
import warnings
from typing import Any, Optional

import rasa.core.agent
from rasa.core.agent import Agent

_rasa_load_agent = rasa.core.agent.load_agent


async def load_agent(model_path: Optional[str] = None, model_server: Any = None,
                     remote_storage: Optional[str] = None, endpoints: Any = None,
                     loop: Any = None) -> Agent:
    """rasa.core.agent.load_agent, with a model file on disk loaded off the event loop."""
    from_disk = (model_path is not None and os.path.exists(model_path) and model_server is None
                 and remote_storage is None and not (endpoints and endpoints.model))
    if not from_disk:
        return await _rasa_load_agent(model_path, model_server, remote_storage, endpoints, loop)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Agent loaded with no model": it is loaded next
        agent = await _rasa_load_agent(None, None, None, endpoints, loop)
    await asyncio.to_thread(agent.load_model, model_path)
    return agent


def install() -> None:
    rasa.core.agent.load_agent = load_agent  # type: ignore[assignment]
