"""The Telegram channel end to end: the running product, its real Rasa, and a local fake of
the Bot API (python-telegram-bot's base_url points at it)."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any, Dict, List, Optional

import httpx
import pytest
from sqlalchemy import select

from bot.channels.telegram_poll import poll
from conversations import notices
from conversations.models import Delivery, DeliveryStatus, Message
from ground.settings import Settings
from ground.database import session_factory
from tests.gateway.fake_telegram import FakeTelegram
from tests.product import RunningProcess
from tests.waiting import wait_until

GREETING = "Harbor Goods' assistant"
# a question answered in one message that no other update of these tests gets
HOURS_QUESTION = "what are your opening hours?"
HOURS = "Our support team is available"
_ids = itertools.count(int(time.time()) % 100000 * 1000)
_chats = itertools.count(7000)


def new_chat() -> int:
    return next(_chats)


def message_update(chat: int, **content: Any) -> Dict[str, Any]:
    return {"update_id": next(_ids), "message": {
        "message_id": next(_ids), "date": int(time.time()),
        "chat": {"id": chat, "type": "private", "first_name": "Tess"},
        "from": {"id": chat, "is_bot": False, "first_name": "Tess"}, **content}}


def post(product: RunningProcess, update: Dict[str, Any], secret: Any = "right") -> httpx.Response:
    headers = {}
    if secret == "right":
        headers["X-Telegram-Bot-Api-Secret-Token"] = product.env["TELEGRAM_WEBHOOK_SECRET"]
    elif secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return httpx.post(f"{product.gateway_url}/telegram/webhook", json=update, headers=headers,
                      timeout=30)


def to_chat(chat: int, contains: str = "") -> Any:
    return lambda call: call.params.get("chat_id") == chat and contains in call.params.get("text", "")


def sent_to(fake_telegram: FakeTelegram, chat: int) -> List[str]:
    """The texts of every sendMessage to `chat` so far, in the order they arrived."""
    return [call.params.get("text", "") for call in fake_telegram.calls("sendMessage")
            if call.params.get("chat_id") == chat]


def settled_turn(product: RunningProcess, update: Dict[str, Any],
                 timeout: float = 60.0) -> List[Optional[str]]:
    """Waits until the gateway has routed the message of `update` and has no delivery left
    pending in its conversation; returns the texts of the replies stored after it."""
    sessions = session_factory(product.env["DATABASE_URL"])

    def replies() -> Optional[List[Optional[str]]]:
        with sessions() as session:
            message = session.execute(select(Message).where(
                Message.client_message_id == f"tg:{update['update_id']}")).scalar_one_or_none()
            if message is None or message.handled_at is None or session.execute(
                    select(Delivery.id).join(Message).where(
                        Message.conversation_id == message.conversation_id,
                        Delivery.status == DeliveryStatus.PENDING)).first():
                return None
            return list(session.execute(select(Message.text).where(
                Message.conversation_id == message.conversation_id,
                Message.id > message.id).order_by(Message.id)).scalars().all())

    return wait_until(lambda: replies(), timeout,
                      f"the turn of update {update['update_id']} did not finish")


def answered_after(product: RunningProcess, fake_telegram: FakeTelegram, chat: int) -> str:
    """Sends the chat a question that must be answered and waits for its answer: updates the
    chat sent before are handled by then (a conversation's turns go in order), so what they
    did or did not send can be asserted afterwards. Returns the answer's text."""
    assert post(product, message_update(chat, text=HOURS_QUESTION)).status_code == 200
    return fake_telegram.wait_for("sendMessage", to_chat(chat, HOURS)).params["text"]


def test_a_text_message_gets_the_bot_reply(product: RunningProcess, fake_telegram: FakeTelegram) -> None:
    chat = new_chat()
    response = post(product, message_update(chat, text="hi"))
    assert response.status_code == 200
    sent = fake_telegram.wait_for("sendMessage", to_chat(chat, GREETING))
    assert "parse_mode" not in sent.params  # plain text, never HTML


@pytest.mark.parametrize("secret", [None, "wrong", ""])
def test_the_webhook_refuses_a_missing_or_wrong_secret(
    product: RunningProcess, fake_telegram: FakeTelegram, secret: Any
) -> None:
    chat = new_chat()
    assert post(product, message_update(chat, text="hi"), secret=secret).status_code == 403
    answer = answered_after(product, fake_telegram, chat)
    assert sent_to(fake_telegram, chat) == [answer]  # no greeting: the "hi" was never taken


def test_bad_updates_get_a_clear_error(product: RunningProcess) -> None:
    url = f"{product.gateway_url}/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": product.env["TELEGRAM_WEBHOOK_SECRET"]}
    assert httpx.post(url, content=b"{oops", headers=headers).status_code == 400
    assert httpx.post(url, json={"message": {}}, headers=headers).status_code == 422


def test_start_gets_the_greeting(product: RunningProcess, fake_telegram: FakeTelegram) -> None:
    chat = new_chat()
    post(product, message_update(chat, text="/start"))
    fake_telegram.wait_for("sendMessage", to_chat(chat, GREETING))


@pytest.mark.parametrize(("content", "kind"), [
    ({"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]}, "photo"),
    ({"sticker": {"file_id": "s1", "file_unique_id": "u2", "type": "regular", "width": 512,
                  "height": 512, "is_animated": False, "is_video": False}}, "sticker"),
    ({"location": {"latitude": 51.5, "longitude": -0.12}}, "location"),
])
def test_non_text_messages_get_a_sensible_answer(
    product: RunningProcess, fake_telegram: FakeTelegram, content: Dict[str, Any], kind: str
) -> None:
    chat = new_chat()
    post(product, message_update(chat, **content))
    sent = fake_telegram.wait_for("sendMessage", to_chat(chat))
    assert sent.params["text"] == notices.non_text_notice(kind)


def test_buttons_become_an_inline_keyboard_and_a_press_continues(
    product: RunningProcess, fake_telegram: FakeTelegram
) -> None:
    chat = new_chat()
    post(product, message_update(chat, text="HG-100001"))
    offer = fake_telegram.wait_for("sendMessage", lambda c: to_chat(chat)(c) and "reply_markup" in c.params)
    rows = offer.params["reply_markup"]["inline_keyboard"]
    track = next(row[0] for row in rows if row[0]["text"] == "Track it")
    assert len(track["callback_data"].encode()) <= 64
    query_id = f"q{next(_ids)}"
    press = {"update_id": next(_ids), "callback_query": {
        "id": query_id, "chat_instance": "ci", "data": track["callback_data"],
        "from": {"id": chat, "is_bot": False, "first_name": "Tess"},
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"},
                    "text": offer.params["text"]}}}
    assert post(product, press).status_code == 200
    fake_telegram.wait_for("answerCallbackQuery", lambda c: c.params.get("callback_query_id") == query_id)
    fake_telegram.wait_for("sendMessage", to_chat(chat, "email address"))


def test_a_button_of_an_old_message_is_ignored(product: RunningProcess,
                                               fake_telegram: FakeTelegram) -> None:
    """Telegram keeps old keyboards: a press on one that is no longer among the last
    messages' buttons is not routed (the web accepts only those as well)."""
    chat = new_chat()
    post(product, message_update(chat, text="HG-100001"))
    offer = fake_telegram.wait_for("sendMessage", lambda c: to_chat(chat)(c) and "reply_markup" in c.params)
    track = next(row[0] for row in offer.params["reply_markup"]["inline_keyboard"] if row[0]["text"] == "Track it")
    for question in ("how much is delivery to france?", "what payment methods do you take?",
                     "do you have a free trial?", "what plans do you have?",
                     "do you deliver to ireland?", "thanks"):
        update = message_update(chat, text=question)
        assert post(product, update).status_code == 200
        assert settled_turn(product, update), question
    before = len(sent_to(fake_telegram, chat))
    press = {"update_id": next(_ids), "callback_query": {
        "id": "old", "chat_instance": "ci", "data": track["callback_data"],
        "from": {"id": chat, "is_bot": False, "first_name": "Tess"},
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"}}}}
    assert post(product, press).status_code == 200
    fake_telegram.wait_for("answerCallbackQuery", lambda c: c.params.get("callback_query_id") == "old")
    answer = answered_after(product, fake_telegram, chat)
    assert sent_to(fake_telegram, chat)[before:] == [answer]  # nothing for the press


def test_a_forged_button_press_is_ignored(product: RunningProcess, fake_telegram: FakeTelegram) -> None:
    chat = new_chat()
    press = {"update_id": next(_ids), "callback_query": {
        "id": "forged", "chat_instance": "ci", "data": "b:1:0",
        "from": {"id": chat, "is_bot": False, "first_name": "Eve"},
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"}}}}
    assert post(product, press).status_code == 200
    fake_telegram.wait_for("answerCallbackQuery", lambda c: c.params.get("callback_query_id") == "forged")
    answer = answered_after(product, fake_telegram, chat)
    assert sent_to(fake_telegram, chat) == [answer]  # nothing for the press


def test_a_repeated_update_is_answered_once(product: RunningProcess, fake_telegram: FakeTelegram) -> None:
    chat = new_chat()
    update = message_update(chat, text=HOURS_QUESTION)
    assert post(product, update).status_code == 200
    assert post(product, update).status_code == 200
    # a different update after both: once its turn is over, the repeat was handled too
    marker = message_update(chat, text="hi")
    assert post(product, marker).status_code == 200
    settled_turn(product, marker)
    sent = sent_to(fake_telegram, chat)
    assert len(sent) == 2 and HOURS in sent[0] and GREETING in sent[1], sent


def test_a_failed_send_is_retried_and_delivered_once(product: RunningProcess, fake_telegram: FakeTelegram) -> None:
    chat = new_chat()
    fake_telegram.fail_next_sends(1)
    update = message_update(chat, text="hello")
    post(product, update)
    settled_turn(product, update)  # nothing left pending that could be sent again
    greetings = [c for c in fake_telegram.calls("sendMessage") if to_chat(chat, GREETING)(c)]
    # the Bot API refused the first attempt, and the retry went through, once
    assert [c.refused for c in greetings] == [True, False], greetings


def test_long_polling_hands_updates_to_the_gateway(product: RunningProcess, fake_telegram: FakeTelegram) -> None:
    chat = new_chat()
    fake_telegram.queue_update(message_update(chat, text="hi there"))
    settings = Settings.from_env(product.env)
    asyncio.run(poll(settings, rounds=2))
    assert fake_telegram.calls("deleteWebhook")
    fake_telegram.wait_for("sendMessage", to_chat(chat, GREETING))


def test_a_help_article_link_is_absolute_and_opens(product: RunningProcess,
                                                   fake_telegram: FakeTelegram) -> None:
    """The web chat turns "/help/<slug>" into a link on its own page; Telegram shows plain
    text, where a bare path is no link (and reads as a bot command): it gets the gateway's
    public address (PUBLIC_URL, else the gateway's own)."""
    chat = new_chat()
    assert post(product, message_update(chat, text="my desk chair keeps sinking down")).status_code == 200
    sent = fake_telegram.wait_for("sendMessage", to_chat(chat, "/help/office-chair-assembly"))
    link = next(word for word in sent.params["text"].split() if "/help/" in word)
    assert link.startswith("http://localhost:") and link.endswith("/help/office-chair-assembly")
    page = httpx.get(link, timeout=30)
    assert page.status_code == 200 and "Atlas Office Chair" in page.text
