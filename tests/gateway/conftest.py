"""One running product for the gateway tests: action server, Rasa, gateway, and a local fake
of Telegram's Bot API that the gateway's Telegram channel talks to."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.gateway.fake_telegram import FakeTelegram
from tests.product import RunningProcess, start_product

TELEGRAM_TOKEN = "123456:TEST-token-for-the-fake-bot-api"


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TELEGRAM_TOKEN)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def product(tmp_path_factory: pytest.TempPathFactory,
            fake_telegram: FakeTelegram) -> Iterator[RunningProcess]:
    running = start_product(
        tmp_path_factory.mktemp("product"),
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_API_BASE_URL=fake_telegram.base_url,
    )
    yield running
    running.stop()
