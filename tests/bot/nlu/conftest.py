"""The trained model, loaded once for all NLU tests (`make test` trains it first)."""

import asyncio

import pytest

from tests.conftest import MODEL_PATH


@pytest.fixture(scope="session")
def agent():
    from rasa.core.agent import Agent

    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}; run `make test`, which trains it first")
    return Agent.load(str(MODEL_PATH))


@pytest.fixture(scope="session")
def parse(agent):
    loop = asyncio.new_event_loop()

    def run(text):
        return loop.run_until_complete(agent.parse_message(text))

    yield run
    loop.close()
