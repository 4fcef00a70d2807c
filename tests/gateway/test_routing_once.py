"""A message a stopped gateway stored but never routed is routed exactly once by the next
one: by the customer's resend (same client_message_id), which then gets the replies, or by
the start-up recovery, whichever comes first, never by both."""

from __future__ import annotations

from typing import Any, Dict, List

from sqlalchemy.orm import sessionmaker

from conversations.assistant import Reply
from conversations.service import ConversationService
from ground.events import InProcessEventBus
from conversations.store import ConversationStore
from tests.databases import Clock


class CountingAssistant:
    """Answers every message and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: List[str] = []

    async def send(self, conversation_id: str, text: str, metadata: Dict[str, Any],
                   command: bool = False) -> List[Reply]:
        self.asked.append(text)
        return [Reply(text=f"answer to {text}")]

    async def action_server_health(self) -> Dict[str, Any]:
        return {"ok": True}


def service(sessions: sessionmaker, clock: Clock) -> tuple:
    store = ConversationStore(sessions, clock)
    assistant = CountingAssistant()
    return store, assistant, ConversationService(store, assistant, InProcessEventBus())  # type: ignore[arg-type]


async def test_the_resend_routes_it_and_the_recovery_leaves_it(sessions: sessionmaker,
                                                               clock: Clock) -> None:
    store, assistant, conversations = service(sessions, clock)
    conversation = store.create_web_conversation()
    # the last process stored it and stopped before routing it
    stored, _ = store.add_inbound(conversation, text="where is my parcel", client_message_id="c1")

    resent = await conversations.handle(conversation, text="where is my parcel",
                                        client_message_id="c1")
    assert resent.message.id == stored.id
    assert [r.text for r in resent.replies] == ["answer to where is my parcel"]
    assert await conversations.route_stored(stored) is None  # the recovery comes second
    again = await conversations.handle(conversation, text="where is my parcel",
                                       client_message_id="c1")
    assert again.duplicate and [r.text for r in again.replies] == ["answer to where is my parcel"]
    assert assistant.asked == ["where is my parcel"]
    assert store.unhandled_inbound() == []


async def test_the_recovery_routes_it_and_the_resend_gets_the_replies(sessions: sessionmaker,
                                                                      clock: Clock) -> None:
    store, assistant, conversations = service(sessions, clock)
    conversation = store.create_web_conversation()
    stored, _ = store.add_inbound(conversation, text="hello", client_message_id="c1")

    recovered = await conversations.route_stored(stored)
    assert recovered is not None and [r.text for r in recovered.replies] == ["answer to hello"]
    resent = await conversations.handle(conversation, text="hello", client_message_id="c1")
    assert resent.duplicate and [r.text for r in resent.replies] == ["answer to hello"]
    assert assistant.asked == ["hello"]
