"""The identity-guessing attack from outside, against the running product: wrong postcodes
for one order from conversation after conversation, on the web and on Telegram, then the
right one. The guesses add up, the lock hands the guesser to a person, and nothing about
the order is shown to anyone who asks without having proved it before."""

from __future__ import annotations

from typing import List

from sqlalchemy import select

from ground.database import session_factory
from handoff.models import Ticket
from tests.gateway.fake_telegram import FakeTelegram
from tests.gateway.test_telegram import message_update, new_chat, post, settled_turn
from tests.product import CustomerClient, RunningProcess, SpareOrder, spare_orders

POSTCODES = ["LS6 2QT", "M3 4LQ", "NW1 6XE", "EH1 2NG", "BS1 4DJ", "CF10 1EP"]


def wrong_postcodes(order: SpareOrder) -> List[str]:
    return [code for code in POSTCODES if code.replace(" ", "") != order.postcode.replace(" ", "")]


def telegram_says(product: RunningProcess, fake: FakeTelegram, chat: int, text: str,
                  timeout: float = 60.0) -> str:
    """Sends a Telegram message and returns every reply of its turn, once the gateway has
    routed it and delivered everything it owes the chat."""
    update = message_update(chat, text=text)
    assert post(product, update).status_code == 200
    replies = settled_turn(product, update, timeout)
    for reply in replies:  # and Telegram has each of them
        fake.wait_for("sendMessage", lambda call, r=reply: call.params.get("chat_id") == chat
                      and call.params.get("text") == r)
    return " ".join(reply or "" for reply in replies)


def test_guessing_across_conversations_and_channels_is_refused(
        product: RunningProcess, fake_telegram: FakeTelegram) -> None:
    order = spare_orders(product.env["DATABASE_URL"])[1]
    wrong = wrong_postcodes(order)
    answers: List[str] = []

    first = CustomerClient(product.gateway_url)  # web: three wrong postcodes
    answers.append(first.say(f"where is my order {order.number}?"))
    answers += [first.say(code) for code in wrong[:3]]
    assert "can't match" in answers[1]
    assert "couldn't confirm" in answers[-1]  # this conversation has used up its tries

    chat = new_chat()  # Telegram: two more, and the second locks the order
    answers.append(telegram_says(product, fake_telegram, chat, f"where is my order {order.number}"))
    answers.append(telegram_says(product, fake_telegram, chat, wrong[3]))
    locked = telegram_says(product, fake_telegram, chat, wrong[4])
    answers.append(locked)
    assert "passing you to a colleague" in locked

    third = CustomerClient(product.gateway_url)  # web: the right postcode, too late
    answers.append(third.say(f"where is my order {order.number}?"))
    assert "too many unsuccessful attempts" in answers[-1]
    answers.append(third.say(order.postcode))
    fourth = CustomerClient(product.gateway_url)  # identity given with the number
    answers.append(fourth.say("where is my order?"))
    answers.append(fourth.say(f"{order.number}, my postcode is {order.postcode}"))
    assert "too many unsuccessful attempts" in answers[-1]

    assert not [answer for answer in answers if order.tracking_number in answer]

    with session_factory(product.env["DATABASE_URL"])() as session:
        tickets = session.execute(select(Ticket).where(
            Ticket.reasons.contains("identity_lock"))).scalars().all()
        mine = [t for t in tickets if t.context.get("identity_lock", {}).get("target") == order.number]
        assert len(mine) == 1
        ticket = mine[0]
        assert ticket.tier == 2 and ticket.skill == "technical"
        lock = ticket.context["identity_lock"]
        assert lock["failures"] == 5 and lock["conversations"] == 2
        assert {attempt["channel"] for attempt in lock["attempts"]} == {"web", "telegram"}
