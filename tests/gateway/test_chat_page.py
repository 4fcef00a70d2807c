"""The customer chat page in a real browser: Debian's chromium, driven by Playwright."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.gateway.stub_rasa import SlowRasa, gateway_before
from tests.running import chat_page
from tests.product import RunningProcess

@pytest.fixture
def page(browser: Browser, product: RunningProcess) -> Iterator[Page]:
    with chat_page(browser, product, width=1280) as page:
        yield page


def ask(page: Page, text: str) -> None:
    page.locator("#text").fill(text)
    page.locator("#text").press("Enter")


def test_a_customer_asks_and_sees_the_answer(page: Page) -> None:
    ask(page, "what are your opening hours?")
    expect(page.locator(".msg--customer").last).to_contain_text("what are your opening hours?")
    expect(page.locator(".msg--bot").last).to_contain_text("Our support team is available", timeout=30_000)


def test_typed_markup_is_shown_as_text(page: Page) -> None:
    typed = "<script>window.__pwned=1</script><b>bold</b><img src=x onerror=window.__pwned=2>"
    ask(page, typed)
    expect(page.locator(".msg--customer").last).to_contain_text(typed)
    page.locator(".msg--bot").last.wait_for(timeout=30_000)
    assert page.locator(".chat__log b").count() == 0
    assert page.locator(".chat__log img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_buttons_reload_and_a_dropped_connection(page: Page, product: RunningProcess) -> None:
    ask(page, "HG-100001")
    track = page.get_by_role("button", name="Track it")
    expect(track).to_be_visible(timeout=30_000)
    track.click()
    expect(page.locator(".msg--bot").last).to_contain_text("email address", timeout=30_000)
    count = page.locator(".chat__log .msg").count()
    page.reload()
    expect(page.locator(".chat__log .msg")).to_have_count(count, timeout=20_000)
    # the socket drops; a message arrives meanwhile; the page catches up without duplicates
    stored = page.evaluate("JSON.parse(localStorage.getItem('caredesk.conversation'))")
    page.context.set_offline(True)
    page.evaluate("1")
    httpx.post(f"{product.gateway_url}/api/v1/conversations/{stored['id']}/messages",
               json={"text": "sent from my other tab"},
               headers={"Authorization": f"Bearer {stored['token']}"}, timeout=60).raise_for_status()
    page.context.set_offline(False)
    expect(page.locator(".msg--customer", has_text="sent from my other tab")).to_have_count(1, timeout=30_000)


def test_a_message_is_resent_until_the_gateway_is_back_and_stored_once(
        page: Page, product: RunningProcess) -> None:
    """The gateway stores the message and goes away for a few seconds (a restart, about
    5-10 s): the page keeps resending it with the same id, and it is shown and stored once."""
    attempts: List[Dict[str, Any]] = []
    outage_seconds = 5.0
    went_away: List[float] = []

    def gateway_restarting(route: Route) -> None:
        attempts.append(route.request.post_data_json)
        if len(attempts) == 1:
            route.fetch()  # stored ...
            route.abort("connectionreset")  # ... and the answer is lost
            went_away.append(time.monotonic())
        elif time.monotonic() - went_away[0] < outage_seconds:
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route("**/api/v1/conversations/*/messages", gateway_restarting)
    ask(page, "what are your opening hours?")
    deadline = time.monotonic() + 60
    while not went_away or time.monotonic() - went_away[0] < outage_seconds:
        assert time.monotonic() < deadline
        page.wait_for_timeout(100)  # lets the page resend (route handlers run meanwhile)
    expect(page.locator("#typing")).to_be_hidden(timeout=30_000)  # the resend went through
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator(".msg--bot").last).to_contain_text("Our support team is available", timeout=60_000)
    expect(page.locator(".msg--customer", has_text="what are your opening hours?")).to_have_count(1)
    assert len(attempts) >= 3 and len({a["client_message_id"] for a in attempts}) == 1
    stored = page.evaluate("JSON.parse(localStorage.getItem('caredesk.conversation'))")
    transcript = httpx.get(f"{product.gateway_url}/api/v1/conversations/{stored['id']}/messages",
                           headers={"Authorization": f"Bearer {stored['token']}"}).json()
    said = [m["text"] for m in transcript["messages"] if m["author"] == "customer"]
    assert said == ["what are your opening hours?"]


def test_keyboard_only_and_a_phone_screen(browser: Browser, product: RunningProcess) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(product.gateway_url + "/")
    expect(page.locator("#status")).to_have_text("Connected", timeout=20_000)
    page.keyboard.press("Tab")  # the "new conversation" control
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "text"
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    expect(page.locator(".msg--bot").last).to_contain_text("Harbor Goods", timeout=30_000)
    for selector in ("#text", "#send"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_the_widget_opens_the_chat_by_keyboard(browser: Browser, product: RunningProcess) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(product.gateway_url + "/static/widget-demo.html")
    launcher = page.get_by_role("button", name="Chat with Harbor Goods support")
    launcher.focus()
    page.keyboard.press("Enter")
    frame = page.frame_locator("iframe[title='Harbor Goods support chat']")
    expect(frame.locator("#status")).to_have_text("Connected", timeout=20_000)
    page.keyboard.press("Escape")
    expect(page.locator("iframe")).to_be_hidden()
    context.close()


def test_the_page_forbids_inline_script(product: RunningProcess) -> None:
    response = httpx.get(product.gateway_url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.text


def test_a_reloaded_page_shows_the_assistant_typing_until_its_slow_answer(
    browser: Browser, tmp_path: Path,
) -> None:
    """The indicator comes from the conversation's `typing` events, not only from the
    page's own request: a page loaded while the turn waits shows it too, and the turn goes
    on although the request that started it was dropped by the reload."""
    rasa = SlowRasa(delay=8.0)
    with gateway_before(tmp_path, rasa, RASA_TIMEOUT_SECONDS="1") as gateway, \
            chat_page(browser, gateway, width=1280) as page:
        ask(page, "where is my parcel?")
        rasa.wait_for_arrivals(1)
        page.reload()
        expect(page.locator("#status")).to_have_text("Connected", timeout=20_000)
        expect(page.locator("#typing")).to_be_visible(timeout=6_000)  # sent again every 4 s
        expect(page.locator(".msg--bot").last).to_contain_text(
            "answer to where is my parcel?", timeout=30_000)
        expect(page.locator("#typing")).to_be_hidden()
        expect(page.locator(".msg--system")).to_have_count(0)


def test_waiting_for_a_person_survives_a_reload_and_is_not_left_by_accident(page: Page) -> None:
    """A staff run: a reloaded page waiting for a person said "Connected", and "New conversation"
    left the queue without a word, the person's reply going to a chat the customer could no
    longer read."""
    ask(page, "can I talk to a person please")
    expect(page.locator("#status")).to_have_text("A person will take over shortly", timeout=30_000)
    page.reload()
    expect(page.locator(".chat__log .msg").first).to_be_visible(timeout=20_000)
    page.wait_for_timeout(1500)  # the socket's "ready" came after the catch-up and overwrote it
    expect(page.locator("#status")).to_have_text("A person will take over shortly")
    stored = page.evaluate("localStorage.getItem('caredesk.conversation')")
    asked: List[str] = []

    def decline(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_timeout(500)
    assert asked and "person from our team" in asked[0]
    assert page.evaluate("localStorage.getItem('caredesk.conversation')") == stored
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="New conversation").click()
    # (polled from here: the page's CSP refuses wait_for_function's evaluated predicate)
    deadline, now_stored = time.monotonic() + 20, stored
    while now_stored == stored and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        try:
            now_stored = page.evaluate("localStorage.getItem('caredesk.conversation')")
        except Exception:  # the page is reloading: read it again
            continue
    assert now_stored != stored
