"""A gateway whose assistant is slow but alive (Rasa under load): nobody is handed to a
person because of it. Turns wait for their place and for the reply, the customer sees the
assistant typing and is told a long wait; only an assistant that goes down is given up on.

The assistant is a stand-in HTTP server (tests/gateway/stub_rasa.py) answering after a
delay longer than RASA_TIMEOUT_SECONDS, in front of a real gateway process."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List

import httpx
import websockets
from sqlalchemy import select
from sqlalchemy.orm import Session

from conversations import notices
from conversations.models import Conversation
from ground.database import create_database_engine
from handoff.models import Ticket
from tests.gateway.fake_telegram import FakeTelegram
from tests.gateway.stub_rasa import SlowRasa, gateway_before
from tests.product import CustomerClient, RunningProcess

TELEGRAM_TOKEN = "654321:TEST-token-for-the-slow-assistant"
BUSY = "Lots of customers are writing right now"
_update_ids = itertools.count(int(time.time()) % 100000 * 1000)


def send_all_at_once(customers: List[CustomerClient]) -> List[List[Dict[str, Any]]]:
    """Each customer sends one message, all at the same time; the replies of each."""
    def one(customer: CustomerClient) -> List[Dict[str, Any]]:
        response = customer.send(text=f"where is my parcel {customer.id[:6]}")
        assert response.status_code == 200, response.text
        return response.json()["replies"]

    with ThreadPoolExecutor(len(customers)) as pool:
        return list(pool.map(one, customers))


def assert_nobody_handed_over(process: RunningProcess) -> None:
    with Session(create_database_engine(process.env["DATABASE_URL"]), future=True) as db:
        assert db.execute(select(Ticket)).scalars().all() == []
        flagged = db.execute(select(Conversation).where(
            Conversation.needs_human.is_(True) | Conversation.flag_reason.is_not(None))
        ).scalars().all()
        assert flagged == []


async def test_a_slow_assistant_under_load_answers_everyone_and_hands_nobody_over(
    tmp_path: Path,
) -> None:
    rasa = SlowRasa(delay=2.5)
    with gateway_before(tmp_path, rasa, RASA_TIMEOUT_SECONDS="1", RASA_MAX_IN_FLIGHT="4",
                        RASA_WAIT_NOTICE_SECONDS="60") as gateway:
        customers = [CustomerClient(gateway.gateway_url) for _ in range(12)]
        watched = customers[0]
        ws_url = (gateway.gateway_url.replace("http", "ws", 1)
                  + f"/api/v1/conversations/{watched.id}/ws?token={watched.token}")
        async with websockets.connect(ws_url) as socket:
            assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "ready"
            replies = await asyncio.get_running_loop().run_in_executor(
                None, send_all_at_once, customers)
            for customer, answer in zip(customers, replies):
                assert [(r["author"], r["text"]) for r in answer] == [
                    ("bot", f"answer to where is my parcel {customer.id[:6]}")]
            seen: List[Dict[str, Any]] = []
            while not any(e.get("message", {}).get("author") == "bot" for e in seen):
                seen.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))

    kinds = [event["type"] for event in seen]
    assert {"type": "typing", "active": True} in seen
    assert kinds.index("typing") < len(kinds) - 1  # shown before the answer came
    assert 2 <= rasa.most_held <= 4
    assert_nobody_handed_over(gateway)


def test_turns_wait_for_their_place_and_a_long_wait_is_told(tmp_path: Path) -> None:
    rasa = SlowRasa(delay=3.0)
    with gateway_before(tmp_path, rasa, RASA_MAX_IN_FLIGHT="2",
                        RASA_WAIT_NOTICE_SECONDS="1") as gateway:
        customers = [CustomerClient(gateway.gateway_url) for _ in range(6)]
        replies = send_all_at_once(customers)

    assert rasa.most_held == 2
    arrivals = rasa.arrivals()
    assert sorted(arrivals) == sorted(c.id for c in customers)
    told = {customer.id for customer, answer in zip(customers, replies)
            if any(r["author"] == "system" for r in answer)}
    # the two let in at once had nothing to wait for; the four behind them were told
    assert told == set(arrivals[2:])
    for customer, answer in zip(customers, replies):
        said = [(r["author"], r["text"]) for r in answer]
        assert said[-1] == ("bot", f"answer to where is my parcel {customer.id[:6]}")
        if customer.id in told:
            assert len(said) == 2 and said[0][1].startswith(BUSY)
    assert_nobody_handed_over(gateway)


def test_an_assistant_that_goes_down_while_slow_is_handed_over(tmp_path: Path) -> None:
    rasa = SlowRasa(delay=60.0)
    with gateway_before(tmp_path, rasa, RASA_TIMEOUT_SECONDS="1") as gateway:
        customer = CustomerClient(gateway.gateway_url)
        with ThreadPoolExecutor(1) as pool:
            sent = pool.submit(customer.send, text="hello?")
            rasa.wait_for_arrivals(1)
            rasa.alive = False  # its status fails now: Rasa is going down
            response = sent.result(timeout=30)
        assert [r["text"] for r in response.json()["replies"]] == [notices.ASSISTANT_UNAVAILABLE]
        with Session(create_database_engine(gateway.env["DATABASE_URL"]), future=True) as db:
            assert db.get(Conversation, customer.id).flag_reason == "assistant_timeout"
            ticket = db.execute(select(Ticket).where(Ticket.conversation_id == customer.id)
                                ).scalar_one()
            assert ticket.reasons == ["assistant_unavailable"]


def test_telegram_shows_typing_while_the_assistant_is_slow(tmp_path: Path) -> None:
    telegram = FakeTelegram(TELEGRAM_TOKEN)
    telegram.start()
    rasa = SlowRasa(delay=5.0)
    chat = 9100
    try:
        with gateway_before(tmp_path, rasa, RASA_TIMEOUT_SECONDS="1",
                            TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
                            TELEGRAM_API_BASE_URL=telegram.base_url) as gateway:
            update = {"update_id": next(_update_ids), "message": {
                "message_id": 1, "date": int(time.time()),
                "chat": {"id": chat, "type": "private", "first_name": "Tess"},
                "from": {"id": chat, "is_bot": False, "first_name": "Tess"}, "text": "hi"}}
            posted = httpx.post(f"{gateway.gateway_url}/telegram/webhook", json=update, timeout=30,
                                headers={"X-Telegram-Bot-Api-Secret-Token":
                                         gateway.env["TELEGRAM_WEBHOOK_SECRET"]})
            assert posted.status_code == 200
            answer = telegram.wait_for("sendMessage",
                                       lambda call: call.params.get("chat_id") == chat)
            assert answer.params["text"] == "answer to hi"
            assert_nobody_handed_over(gateway)
    finally:
        telegram.stop()
    typing = [call for call in telegram.calls("sendChatAction")
              if call.params.get("chat_id") == chat and call.at < answer.at]
    assert len(typing) >= 2  # repeated while the reply took longer than Telegram shows it
    assert {call.params["action"] for call in typing} == {"typing"}
