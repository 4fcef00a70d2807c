"""The call Rasa makes to the action server at every customer message, before it chooses
the answer (bot.runtime.extraction_calls): an action server that hangs costs the turn a
few seconds, not the turn itself; one that answers is heard as before. Real Rasa code
(ActionExtractSlots) against real sockets."""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator, Iterator, List

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import extraction_calls

DOMAIN = Domain.from_dict({
    "intents": ["greet"],
    "actions": ["action_validate_slot_mappings"],
    "responses": {"utter_acknowledge_feeling": [{"text": "I'm sorry this has been frustrating."}]},
})
BOUND = 0.5


@pytest.fixture
def bounded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    original = ActionExtractSlots._run_custom_action
    monkeypatch.setattr(extraction_calls, "EXTRACTION_CALL_SECONDS", BOUND)
    extraction_calls.install()
    yield
    ActionExtractSlots._run_custom_action = original  # type: ignore[method-assign]


async def extract_slots(url: str) -> List[Event]:
    tracker = DialogueStateTracker.from_events("c", [
        ActionExecuted("action_listen"),
        UserUttered("hello", {"name": "greet", "confidence": 1.0})], slots=DOMAIN.slots)
    action = ActionExtractSlots(EndpointConfig(url))
    return await action.run(CollectingOutputChannel(),
                            TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN)


@pytest.fixture
async def hung_action_server() -> AsyncIterator[str]:
    """Accepts connections and reads the request, and never answers."""
    stop = asyncio.Event()

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1 << 20)
        await stop.wait()
        writer.close()

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/webhook"
    stop.set()
    server.close()
    await server.wait_closed()


@pytest.fixture
async def answering_action_server() -> AsyncIterator[str]:
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        assert body["next_action"] == "action_validate_slot_mappings"
        return web.json_response({"events": [], "responses": [{"response": "utter_acknowledge_feeling"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/webhook"
    await runner.cleanup()


async def test_a_hung_action_server_is_given_up_and_the_turn_goes_on(
        bounded: None, hung_action_server: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=extraction_calls.__name__)
    # Rasa's own wait is five minutes; the test gives it thirty seconds
    events = await asyncio.wait_for(extract_slots(hung_action_server), 30)
    assert events == []
    assert "did not run 'action_validate_slot_mappings' within" in caplog.text


async def test_an_action_server_that_answers_is_heard(
        bounded: None, answering_action_server: str) -> None:
    events = await extract_slots(answering_action_server)
    assert [e.text for e in events if isinstance(e, BotUttered)] == ["I'm sorry this has been frustrating."]
