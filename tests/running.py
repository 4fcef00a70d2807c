"""One running product for every test that needs it (one per test session, since starting
Rasa takes a while): action server, Rasa, gateway, and a local fake of Telegram's Bot API
that the gateway's Telegram channel talks to; and one real browser."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Dict, Iterator, List

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.gateway.fake_telegram import FakeTelegram
from tests.needs.receiver import Receiver
from tests.trainer.copies import copy_training_data
from tests.product import RunningProcess, start_product

TELEGRAM_TOKEN = "123456:TEST-token-for-the-fake-bot-api"
# Debian's package; scripts/check-system looks for it at the same place
CHROMIUM = os.environ.get("CAREDESK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TELEGRAM_TOKEN)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def requirements_receiver() -> Iterator[Receiver]:
    """The product and technical teams' webhook, as the running product posts to it."""
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="session")
def product(tmp_path_factory: pytest.TempPathFactory, fake_telegram: FakeTelegram,
            requirements_receiver: Receiver) -> Iterator[RunningProcess]:
    folder = tmp_path_factory.mktemp("product")
    running = start_product(
        folder,
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_API_BASE_URL=fake_telegram.base_url,
        REQUIREMENTS_WEBHOOK_URL=requirements_receiver.url,
        # aftercare tests make an aftercare message due in the database; the worker sends it at once
        AFTERCARE_POLL_SECONDS="0.5",
        AFTERCARE_QUIET_HOURS="off",
        # trainers' reviews are written into a copy of the training data, not this checkout
        TRAINING_DATA_DIR=str(copy_training_data(folder / "training-data")),
        # model versions trained and activated by tests stay out of this checkout
        MODEL_STORE_DIR=str(folder / "model-versions"),
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A real headless Chromium, driven by Playwright. Per module: while Playwright's sync
    API is open, no other asyncio loop may run in this thread (async tests, the model)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"],
                                             headless=True)
        yield browser
        browser.close()


@contextmanager
def page_without_errors(browser: Browser, viewport: Dict[str, int]) -> Iterator[Page]:
    """A fresh page in its own context; the test fails on any JavaScript error in it."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


@contextmanager
def chat_page(browser: Browser, product: RunningProcess, width: int) -> Iterator[Page]:
    """The customer chat page in its own browser context, once its WebSocket is connected."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(product.gateway_url + "/")
    expect(page.locator("#status")).to_have_text("Connected", timeout=20_000)
    try:
        yield page
    finally:
        context.close()
