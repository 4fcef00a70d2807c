"""The help centre through the running product: a long-tail question answered from an
article with its link, "did that help?" answered yes and no, a second failure handed to a
person, the trainers' unanswered and unhelpful filters, and the link opened from the chat
page in a real browser."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import httpx
from playwright.sync_api import Browser, expect

from tests.product import CustomerClient, RunningProcess, StaffClient
from tests.running import chat_page

QUESTION = "my desk chair keeps sinking down"  # not an intent; the office chair article knows


def replies(response: Any) -> List[Dict[str, Any]]:
    response.raise_for_status()
    return response.json()["replies"]


def ask(customer: CustomerClient, text: str) -> List[Dict[str, Any]]:
    return replies(customer.send(text=text))


def inbox(trainer: StaffClient, wanted: str) -> List[Dict[str, Any]]:
    response = trainer.http.get("/api/v1/trainer/inbox", params={"filter": wanted, "limit": 200})
    response.raise_for_status()
    return response.json()["items"]


def test_answered_from_an_article_then_yes_or_no(product: RunningProcess) -> None:
    url = product.gateway_url
    helped = CustomerClient(url)
    answer = ask(helped, QUESTION)
    assert len(answer) == 2, answer
    assert "Assembling and adjusting the Atlas Office Chair" in answer[0]["text"]
    assert "gas lift" in answer[0]["text"] and "/help/office-chair-assembly" in answer[0]["text"]
    assert [b["payload"] for b in answer[1]["buttons"]] == ["/affirm", "/deny"]
    assert "Glad that helped" in " ".join(r["text"] for r in replies(helped.send(payload="/affirm")))

    unhelped = CustomerClient(url)
    ask(unhelped, QUESTION)
    topics = replies(unhelped.send(payload="/deny"))
    assert "didn't answer it" in topics[0]["text"] and topics[0]["buttons"][-1]["payload"] == "/deny"
    # "something else": the second failure in a row goes to a person
    handed = " ".join(r["text"] for r in replies(unhelped.send(payload="/deny")))
    assert "passing you to a person" in handed

    puzzled = CustomerClient(url)
    nonsense = "zxqv blorp frimble wozzle"  # no digits: those would read as an order number
    assert not any("help centre" in r["text"] for r in ask(puzzled, nonsense))

    trainer = StaffClient.admin(url).add(f"hana-{uuid.uuid4().hex[:6]}", "trainer")
    unhelpful = [item for item in inbox(trainer, "unhelpful") if item["conversation_id"] == unhelped.id]
    assert [item["text"] for item in unhelpful] == [QUESTION]
    assert unhelpful[0]["help_article"]["slug"] == "office-chair-assembly"
    assert unhelpful[0]["help_article"]["confident"] is True
    assert not [item for item in inbox(trainer, "unhelpful") if item["conversation_id"] == helped.id]
    unanswered = {item["conversation_id"]: item["text"] for item in inbox(trainer, "unanswered")}
    assert unanswered.get(puzzled.id) == nonsense
    assert helped.id not in unanswered and unhelped.id not in unanswered
    # customers cannot read the inbox
    refused = httpx.get(url + "/api/v1/trainer/inbox", params={"filter": "unhelpful"},
                        headers=helped.headers)
    assert refused.status_code == 401


def test_the_article_link_opens_from_the_chat_page(browser: Browser, product: RunningProcess) -> None:
    with chat_page(browser, product, width=1000) as page:
        page.locator("#text").fill("how do I descale the kettle in a hard water area")
        page.locator("#text").press("Enter")
        link = page.locator(".msg--bot a[href='/help/kitchen-appliance-care']")
        expect(link).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name="Yes, thanks")).to_be_visible()
        with page.context.expect_page() as opened:
            link.click()
        article = opened.value
        expect(article.get_by_role("heading", level=1)).to_have_text(
            "Caring for your kettle, toaster and grinder")
