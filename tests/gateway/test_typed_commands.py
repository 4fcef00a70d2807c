"""A customer who types a command (behind spaces or invisible characters) reaches the
assistant with words, never with an intent: on the web and on Telegram, against the
running product and its real Rasa server."""

from __future__ import annotations

from typing import Any, Dict, List

import httpx
import pytest

from conversations.store import TELEGRAM, ConversationStore
from ground.database import session_factory
from tests.gateway.fake_telegram import FakeTelegram
from tests.gateway.test_telegram import message_update, new_chat, post, to_chat
from tests.product import CustomerClient, RunningProcess, spare_orders

# typed text, what Rasa must have read, what must not have happened
WEB_CASES = [
    (" /EXTERNAL_aftercare_nps", "EXTERNAL_aftercare_nps", "utter_ask_nps"),
    ("\t/goodbye", "goodbye", None),
    ("\n/restart", "restart", None),
    ("\u00a0/restart", "restart", None),
    ("\u200b/EXTERNAL_aftercare_nps", "EXTERNAL_aftercare_nps", "utter_ask_nps"),
    ("\u2028//restart", "restart", None),
]


def tracker_events(product: RunningProcess, conversation_id: str) -> List[Dict[str, Any]]:
    response = httpx.get(f"{product.rasa_url}/conversations/{conversation_id}/tracker",
                         params={"token": product.env["RASA_TOKEN"]}, timeout=30)
    response.raise_for_status()
    return response.json()["events"]


def assert_read_as_words(events: List[Dict[str, Any]], read: str, forbidden: Any) -> None:
    users = [event for event in events if event["event"] == "user"]
    assert users, "the message never reached the assistant"
    assert users[-1]["text"] == read  # what Rasa read; a command would keep its "/"
    assert not [event for event in events if event["event"] == "restart"]
    if forbidden:
        said = [(event.get("metadata") or {}).get("utter_action") for event in events
                if event["event"] == "bot"]
        assert forbidden not in said


@pytest.mark.parametrize("typed,read,forbidden", WEB_CASES)
def test_web_typed_commands_are_words(product: RunningProcess, typed: str, read: str,
                                      forbidden: Any) -> None:
    customer = CustomerClient(product.gateway_url)
    response = customer.send(text=typed)
    assert response.status_code == 200 and response.json()["replies"]
    assert_read_as_words(tracker_events(product, customer.id), read, forbidden)


def test_a_locked_check_is_not_reset_by_a_typed_restart(product: RunningProcess) -> None:
    order = spare_orders(product.env["DATABASE_URL"])[0]
    customer = CustomerClient(product.gateway_url)
    customer.say(f"where is my order {order.number}?")
    for guess in [code for code in ("M3 4LQ", "NW1 6XE", "EH1 2NG", "LS6 2QT")
                  if code != order.postcode][:3]:
        customer.say(guess)
    customer.say(" /restart")
    customer.say(f"where is my order {order.number}?")
    answer = customer.say(order.postcode)  # the right postcode, now that the checks were used up
    assert order.tracking_number not in answer


@pytest.mark.parametrize("typed,read,forbidden", [
    ("\u00a0/EXTERNAL_aftercare_nps", "EXTERNAL_aftercare_nps", "utter_ask_nps"),
    ("\t/restart", "restart", None),
])
def test_telegram_typed_commands_are_words(product: RunningProcess, fake_telegram: FakeTelegram,
                                           typed: str, read: str, forbidden: Any) -> None:
    chat = new_chat()
    assert post(product, message_update(chat, text=typed)).status_code == 200
    fake_telegram.wait_for("sendMessage", to_chat(chat))  # the turn is over
    store = ConversationStore(session_factory(product.env["DATABASE_URL"]))
    conversation = store.conversation_for_address(TELEGRAM, str(chat), None)
    assert_read_as_words(tracker_events(product, conversation.id), read, forbidden)
