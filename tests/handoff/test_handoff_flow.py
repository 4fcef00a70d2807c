"""The handoff end to end: a customer gets upset, a person takes over on the customer's own
channel, resolves, and the bot asks for a rating. In a real browser for the web chat and
the agent console, against the fake Bot API for Telegram, and across a gateway restart."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import create_engine, text

from tests.gateway.fake_telegram import FakeTelegram
from tests.gateway.test_telegram import _ids, message_update, new_chat, post, to_chat
from tests.running import chat_page
from tests.product import (
    CustomerClient,
    RunningProcess,
    StaffClient,
    product_environment,
    start_gateway,
)

ANGRY = "This is absolutely ridiculous <b>third time</b> I'm asking, I hate this!!!"
RATING_QUESTION = "How would you rate the help"


@pytest.fixture
def agent(product: RunningProcess) -> StaffClient:
    return StaffClient.admin(product.gateway_url).add(f"sam-{uuid.uuid4().hex[:6]}", "agent")


@pytest.fixture
def customer_page(browser: Browser, product: RunningProcess) -> Iterator[Page]:
    with chat_page(browser, product, width=390) as page:
        yield page


@pytest.fixture
def console(browser: Browser, product: RunningProcess) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def log_in(console: Page, product: RunningProcess, agent: StaffClient) -> None:
    console.goto(product.gateway_url + "/agent")
    console.get_by_label("User name").fill(agent.user["username"])
    console.get_by_label("Password").fill(f"{agent.user['username']}-password-0123")
    console.get_by_role("button", name="Log in").click()
    expect(console.locator("#live")).to_have_text("live", timeout=10_000)


def test_web_customer_to_agent_and_back(customer_page: Page, console: Page, product: RunningProcess,
                                        agent: StaffClient) -> None:
    log_in(console, product, agent)
    conversation_id = json.loads(customer_page.evaluate("localStorage.getItem('caredesk.conversation')"))["id"]

    # the customer gets angry: the feeling is acknowledged first, then a person takes over
    customer_page.locator("#text").fill(ANGRY)
    customer_page.locator("#text").press("Enter")
    expect(customer_page.locator(".msg--bot").last).to_contain_text("passing you to a person", timeout=30_000)
    expect(customer_page.locator(".msg--bot").nth(-2)).to_contain_text("I'm really sorry")

    # the ticket appears in the console live, without a reload
    ticket_id = agent.ticket_of(conversation_id)["id"]
    item = console.locator(f"#tickets li[data-ticket-id='{ticket_id}']")
    expect(item).to_be_visible(timeout=5_000)
    expect(item).to_contain_text("negative emotion")
    item.click()
    expect(console.locator(".t-summary")).to_contain_text("very upset")
    expect(console.locator(".t-facts")).to_contain_text("Sentiment")
    transcript = console.locator(".transcript")
    expect(transcript).to_contain_text(ANGRY)  # the customer's markup, shown as text
    assert console.locator(".transcript b").count() == 0

    # claim and reply: the customer sees it in the web chat
    console.get_by_role("button", name="Claim").click()
    expect(customer_page.locator(".msg--system").last).to_contain_text("has joined the conversation",
                                                                       timeout=5_000)
    expect(console.get_by_label("Reply text")).to_be_visible()
    console.get_by_label("Reply text").fill("Hi, I'm so sorry. I'm on it right now.")
    console.get_by_role("button", name="Send reply").click()
    expect(customer_page.locator(".msg--agent").last).to_contain_text("I'm on it right now", timeout=5_000)
    expect(customer_page.locator("#status")).to_have_text("A person has joined the conversation")

    # the customer answers; the agent sees it live
    customer_page.locator("#text").fill("thank you, order HG-100002")
    customer_page.locator("#text").press("Enter")
    expect(transcript).to_contain_text("thank you, order HG-100002", timeout=5_000)

    # resolve: the bot is back and asks for a rating
    console.get_by_label("Resolution note").fill("apologised; re-sent the parcel")
    console.get_by_role("button", name="Resolve").click()
    expect(customer_page.locator(".msg--bot").last).to_contain_text(RATING_QUESTION, timeout=30_000)
    detail = agent.http.get(f"/api/v1/tickets/{ticket_id}").json()
    assert detail["status"] == "resolved" and detail["sla"]["first_response_at"]
    # a good rating is stored and a comment invited; the conversation stays with the bot
    customer_page.get_by_role("button", name="5").click()
    expect(customer_page.locator(".msg--bot").last).to_contain_text("anything you'd like to add", timeout=30_000)
    assert agent.tickets(conversation_id=conversation_id)[0]["status"] == "resolved"


def test_an_agent_ends_a_customers_web_session(customer_page: Page, console: Page,
                                               product: RunningProcess, agent: StaffClient) -> None:
    """A shared computer: the agent ends the customer's web session from the console and
    the customer's page loses the conversation at once."""
    log_in(console, product, agent)
    stored = json.loads(customer_page.evaluate("localStorage.getItem('caredesk.conversation')"))
    customer_page.locator("#text").fill("I want to talk to a person")
    customer_page.locator("#text").press("Enter")
    expect(customer_page.locator(".msg--bot").last).to_contain_text("passing you to a person",
                                                                    timeout=30_000)
    ticket_id = agent.ticket_of(stored["id"])["id"]
    console.locator(f"#tickets li[data-ticket-id='{ticket_id}']").click()
    console.get_by_role("button", name="Claim").click()
    console.get_by_role("button", name="End the customer's web session").click()
    expect(console.locator(".t-history")).to_contain_text("Ended the customer's web chat session")
    expect(customer_page.locator("#status")).to_have_text(
        "This conversation has ended. Press New conversation to start again.", timeout=15_000)
    refused = httpx.post(f"{product.gateway_url}/api/v1/conversations/{stored['id']}/messages",
                         json={"text": "still here?"}, timeout=30,
                         headers={"Authorization": f"Bearer {stored['token']}"})
    assert refused.status_code == 401


def test_a_customer_who_is_sorted_leaves_the_queue(customer_page: Page, console: Page,
                                                   product: RunningProcess, agent: StaffClient) -> None:
    """"Never mind, sorted it" while waiting: the customer is asked, and the "yes" button takes
    the ticket out of the agents' queue (live) and gives the conversation back to the bot."""
    log_in(console, product, agent)
    conversation_id = json.loads(customer_page.evaluate("localStorage.getItem('caredesk.conversation')"))["id"]
    customer_page.locator("#text").fill("can I talk to a real person please")
    customer_page.locator("#text").press("Enter")
    expect(customer_page.locator(".msg--bot").last).to_contain_text("passing you to a person", timeout=30_000)
    ticket_id = agent.ticket_of(conversation_id)["id"]
    item = console.locator(f"#tickets li[data-ticket-id='{ticket_id}']")
    expect(item).to_be_visible(timeout=5_000)

    customer_page.locator("#text").fill("actually never mind, I sorted it myself")
    customer_page.locator("#text").press("Enter")
    expect(customer_page.locator(".msg--system").last).to_contain_text("are you sorted, so that I can take you out of the queue",
                                                                       timeout=10_000)
    assert agent.ticket_of(conversation_id)["status"] == "queued"  # words alone withdraw nothing
    customer_page.get_by_role("button", name="Yes, I'm sorted").click()
    expect(customer_page.locator(".msg--bot").last).to_contain_text("taken you out of the queue",
                                                                    timeout=30_000)
    expect(item).to_have_count(0, timeout=5_000)  # gone from the open queue, without a reload
    detail = agent.http.get(f"/api/v1/tickets/{ticket_id}").json()
    assert detail["status"] == "resolved" and detail["outcome"]["outcome"] == "withdrawn"

    # the assistant answers again
    customer_page.locator("#text").fill("what are your opening hours?")
    customer_page.locator("#text").press("Enter")
    expect(customer_page.locator(".msg--bot").last).to_contain_text("Our support team is available", timeout=30_000)
    assert agent.ticket_of(conversation_id)["status"] == "resolved"  # no new ticket


def test_asking_how_long_in_the_queue_gets_the_wait(product: RunningProcess, agent: StaffClient) -> None:
    """"how long will i be waiting" in the queue was told only that it was added; the answer
    is the expected wait (this product's team is at work around the clock: SUPPORT_HOURS)."""
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="can I talk to a person please").json()["state"] == "queued"
    said = customer.say("how long will i be waiting")
    assert "added this to your conversation" in said and "the expected wait is" in said, said
    assert "expected wait" not in customer.say("my order HG-100002 never came")
    assert agent.ticket_of(customer.id)["status"] == "queued"


def test_asking_where_the_reply_comes_in_the_queue_is_told_here(product: RunningProcess,
                                                                 agent: StaffClient) -> None:
    """"will they reply by email or here? i'm going to close the browser" in the queue got the
    shop's phone number and email address (a customer run): the reply comes here, and waits
    in this browser; the customer keeps their place."""
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="can I talk to a person please").json()["state"] == "queued"
    said = customer.say("will they reply by email or here? i'm going to close the browser")
    assert "reply here, in this conversation, not by email" in said and "0117" not in said, said
    assert agent.ticket_of(customer.id)["status"] == "queued"


def test_leaving_the_queue_asks_first_and_loses_to_a_claim(product: RunningProcess,
                                                          agent: StaffClient) -> None:
    """Only the "yes" button withdraws; "no" keeps the place; and once a person has claimed
    the ticket, the "yes" reaches that person instead of closing their ticket."""
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="I want to speak to a human").json()["state"] == "queued"
    assert "added this to your conversation" in customer.say("hello? anyone there")
    asked = customer.send(text="forget it, all sorted now").json()
    assert [b["payload"] for b in asked["replies"][-1]["buttons"]] == ["/withdraw_handoff", "/keep_waiting"]
    kept = customer.send(payload="/keep_waiting").json()
    assert kept["state"] == "queued" and "keep your place" in kept["replies"][0]["text"]
    assert agent.ticket_of(customer.id)["status"] == "queued"
    # a second run: an "ok" to "you keep your place" took the customer out of the queue
    assert customer.send(text="ok").json()["state"] == "queued"
    assert agent.ticket_of(customer.id)["status"] == "queued"

    customer.send(text="never mind")
    ticket_id = agent.ticket_of(customer.id)["id"]
    assert agent.http.post(f"/api/v1/tickets/{ticket_id}/claim").status_code == 200
    pressed = customer.send(payload="/withdraw_handoff").json()
    assert pressed["state"] == "agent" and pressed["replies"] == []
    detail = agent.http.get(f"/api/v1/tickets/{ticket_id}").json()
    assert detail["status"] == "claimed"
    assert "Yes, I'm sorted" in [m["text"] for m in detail["transcript"]]

    # a danger is closed by a person, whatever the customer says: nothing to press
    burnt = CustomerClient(product.gateway_url)
    assert burnt.send(text="the kettle caught fire and burned my hand").json()["state"] == "queued"
    kept = burnt.send(text="never mind, it's fine now").json()
    assert kept["state"] == "queued" and kept["replies"][-1]["buttons"] == []
    assert "added this to your conversation" in kept["replies"][-1]["text"]
    # ... and told the person closes it, with no need to wait (a later run: only "added", 5 of 5)
    assert "You don't need to wait here" in kept["replies"][-1]["text"]
    assert burnt.send(payload="/withdraw_handoff").status_code == 422  # never offered
    assert StaffClient.admin(product.gateway_url).ticket_of(burnt.id)["status"] == "queued"

    # the question answered by typing, while its buttons are on the screen
    typed = CustomerClient(product.gateway_url)
    assert typed.send(text="can I talk to a person").json()["state"] == "queued"
    assert typed.send(text="all good now, found it").json()["replies"][-1]["buttons"]
    assert typed.send(text="yes im sorted thanks").json()["state"] == "bot"
    assert agent.ticket_of(typed.id)["status"] == "resolved"


def test_a_customer_who_would_rather_carry_on_here_leaves_the_queue(product: RunningProcess,
                                                                    agent: StaffClient) -> None:
    """"forget it then, I'll just do it with you. what are your opening hours?" in the queue
    (the team away till Monday) was only added to the conversation for the person: the
    customer is asked whether to carry on here, and the "yes" answers what they asked."""
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="can I talk to a person please").json()["state"] == "queued"
    asked = customer.send(text="oh the team is away? forget it then, I'll just do it with you. "
                               "what are your opening hours?").json()
    assert "shall I take you out of the queue" in asked["replies"][-1]["text"]
    assert [b["title"] for b in asked["replies"][-1]["buttons"]] == [
        "Yes, let's carry on here", "No, I'll wait for a person"]
    assert agent.ticket_of(customer.id)["status"] == "queued"  # words alone withdraw nothing
    pressed = customer.send(payload="/withdraw_handoff").json()
    texts = [reply["text"] for reply in pressed["replies"]]
    assert pressed["state"] == "bot" and "you're out of the queue" in texts[0], texts
    assert any("Our support team is available" in text for text in texts[1:]), texts
    detail = agent.http.get(f"/api/v1/tickets/{agent.ticket_of(customer.id)['id']}").json()
    assert detail["status"] == "resolved" and detail["outcome"]["outcome"] == "withdrawn"

    # nothing asked beside: a typed "yes" takes them out and the assistant asks what to do
    waiting = CustomerClient(product.gateway_url)
    assert waiting.send(text="I want a human").json()["state"] == "queued"
    asked = waiting.send(text="no wait, I don't want to wait till monday. cancel the handoff").json()
    assert asked["replies"][-1]["buttons"][0]["title"] == "Yes, let's carry on here"
    typed = waiting.send(text="yes").json()
    assert typed["state"] == "bot" and typed["replies"][-1]["text"].endswith("What can I do for you?")
    assert "Our support team is available" in waiting.say("what are your opening hours?")

    # a second run: the question was in an earlier message than the one the "yes" answered
    # (here a typed wish to carry on, with the question on the screen, is that yes)
    earlier = CustomerClient(product.gateway_url)
    assert earlier.send(text="human").json()["state"] == "queued"
    assert earlier.send(text="actually the bot is fine, what are your opening hours?").json()["replies"][-1]["buttons"]
    left = earlier.send(text="i dont want to wait till monday").json()
    answered = " ".join(r["text"] for r in left["replies"])
    assert left["state"] == "bot" and "Our support team is available" in answered, answered

    # a question answered in the queue, then "sorted": thanked, the question not answered again
    sorted_out = CustomerClient(product.gateway_url)
    assert sorted_out.send(text="I want a human").json()["state"] == "queued"
    assert "Our support team is available" in sorted_out.say("what are your opening hours on saturday")
    assert sorted_out.send(text="all sorted now thanks").json()["replies"][-1]["buttons"]
    thanked = " ".join(r["text"] for r in sorted_out.send(payload="/withdraw_handoff").json()["replies"])
    assert "Glad you're sorted" in thanked and "Our support team is available" not in thanked, thanked


def test_the_console_resends_a_reply_whose_answer_was_lost(console: Page, product: RunningProcess,
                                                          agent: StaffClient) -> None:
    """The gateway stored the reply, then the connection dropped (a restart): the console
    sends it again with the same client_message_id, and the customer gets it once."""
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="can I speak to a human please").json()["state"] == "queued"
    ticket_id = agent.ticket_of(customer.id)["id"]
    assert agent.http.post(f"/api/v1/tickets/{ticket_id}/claim").status_code == 200
    bodies: List[Dict[str, Any]] = []

    def lose_the_first_answer(route: Route) -> None:
        bodies.append(route.request.post_data_json)
        if len(bodies) == 1:
            route.fetch()  # the gateway stores the reply ...
            route.abort("connectionreset")  # ... and its answer never arrives
        else:
            route.continue_()

    console.route("**/api/v1/tickets/*/messages", lose_the_first_answer)
    log_in(console, product, agent)
    console.locator(f"#tickets li[data-ticket-id='{ticket_id}']").click()
    console.get_by_label("Reply text").fill("One moment, checking it now")
    console.get_by_role("button", name="Send reply").click()
    expect(console.get_by_label("Reply text")).to_have_value("", timeout=30_000)  # sent
    expect(console.locator(".transcript")).to_contain_text("One moment, checking it now")
    assert len(bodies) == 2 and bodies[0] == bodies[1] and bodies[0]["client_message_id"]
    texts = [m["text"] for m in customer.transcript()["messages"]]
    assert texts.count("One moment, checking it now") == 1


def test_telegram_customer_to_agent_and_back(product: RunningProcess, fake_telegram: FakeTelegram,
                                             agent: StaffClient) -> None:
    chat = new_chat()
    assert post(product, message_update(chat, text="I want to talk to a person")).status_code == 200
    fake_telegram.wait_for("sendMessage", to_chat(chat, "passing you to a person"))
    ticket = agent.ticket_of(telegram_conversation(product, chat))
    assert ticket["channel"] == "telegram" and ticket["reasons"] == ["requested_human"]
    assert agent.http.post(f"/api/v1/tickets/{ticket['id']}/claim").status_code == 200
    fake_telegram.wait_for("sendMessage", to_chat(chat, "has joined the conversation"))
    assert agent.http.post(f"/api/v1/tickets/{ticket['id']}/messages",
                           json={"text": "Hello from a real person"}).status_code == 201
    fake_telegram.wait_for("sendMessage", to_chat(chat, "Hello from a real person"))
    # what the customer writes now reaches the agent, not the bot
    post(product, message_update(chat, text="great, my order is late"))
    detail = agent.http.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert detail["transcript"][-1]["text"] == "great, my order is late"
    resolved = agent.http.post(f"/api/v1/tickets/{ticket['id']}/resolve",
                               json={"outcome": "solved", "note": "explained the delay"})
    assert resolved.status_code == 200
    rating = fake_telegram.wait_for("sendMessage", to_chat(chat, RATING_QUESTION))
    markup = rating.params["reply_markup"]
    keyboard = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
    buttons = [b for row in keyboard for b in row]
    assert [b["text"] for b in buttons] == ["1", "2", "3", "4", "5"]

    # a 1 closes the loop: a follow-up ticket, back to the same agent, linked to the first
    press = {"update_id": next(_ids), "callback_query": {
        "id": f"q{next(_ids)}", "chat_instance": "ci", "data": buttons[0]["callback_data"],
        "from": {"id": chat, "is_bot": False, "first_name": "Tess"},
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"},
                    "text": rating.params["text"]}}}
    assert post(product, press).status_code == 200
    fake_telegram.wait_for("sendMessage", to_chat(chat, "get back in touch personally"))
    follow_up = agent.tickets(conversation_id=telegram_conversation(product, chat), status="queued")
    assert len(follow_up) == 1 and follow_up[0]["follow_up_of"] == ticket["id"]
    assert follow_up[0]["assignee"]["id"] == agent.user["id"] and follow_up[0]["reasons"] == ["low_rating"]


def telegram_conversation(product: RunningProcess, chat: int) -> str:
    """The gateway's conversation id for a Telegram chat, read from its database."""
    engine = create_engine(product.env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT c.id FROM conversations c JOIN channel_identities i ON i.id = c.identity_id "
                "WHERE i.channel = 'telegram' AND i.external_id = :chat"), {"chat": str(chat)}).scalar_one()
    finally:
        engine.dispose()


def test_a_gateway_restart_mid_handoff_loses_nothing(product: RunningProcess, tmp_path: Path,
                                                      agent: StaffClient) -> None:
    """A second gateway on the product's database and assistant: stopped mid-handoff and
    started again, the ticket, its transcript and SLA clock are intact, and it goes on."""
    env = product_environment(tmp_path, DATABASE_URL=product.env["DATABASE_URL"],
                              RASA_PORT=product.env["RASA_PORT"], ACTION_PORT=product.env["ACTION_PORT"])
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    first = start_gateway(tmp_path / "first", env)
    try:
        customer = CustomerClient(first.gateway_url)
        assert customer.send(text="can I speak to a human agent please").json()["state"] == "queued"
        customer.send(text="it's about my order HG-100003")
        before = StaffClient.admin(first.gateway_url)
        ticket = before.ticket_of(customer.id)
        kept = before.http.get(f"/api/v1/tickets/{ticket['id']}").json()
    finally:
        first.stop()

    second = start_gateway(tmp_path / "second", env)
    try:
        admin = StaffClient.admin(second.gateway_url)
        after = admin.http.get(f"/api/v1/tickets/{ticket['id']}").json()
        for field in ("status", "reasons", "priority", "tier", "sla", "context", "transcript"):
            assert after[field] == kept[field], field
        staffer = StaffClient(second.gateway_url, agent.user["username"], f"{agent.user['username']}-password-0123")
        assert staffer.http.post(f"/api/v1/tickets/{ticket['id']}/claim").status_code == 200
        assert staffer.http.post(f"/api/v1/tickets/{ticket['id']}/messages",
                                 json={"text": "Sorry for the wait, checking HG-100003 now"}).status_code == 201
        customer.base_url = second.gateway_url
        texts = [m["text"] for m in customer.transcript()["messages"]]
        assert texts[-1] == "Sorry for the wait, checking HG-100003 now"
        assert "it's about my order HG-100003" in texts
        assert customer.send(text="thanks!").json()["state"] == "agent"
    finally:
        second.stop()
