"""Long polling for local development: `make telegram-poll` (needs `make run` going).

Without a public address Telegram cannot call the webhook, so this process asks the Bot
API for updates (getUpdates) and hands each one to the local gateway's webhook with the
secret header: both modes run through the same code. It removes any webhook first,
because Telegram serves getUpdates only while none is set.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Optional

import httpx
from telegram import Bot
from telegram.error import NetworkError, TelegramError

from bot.gateway.routes.telegram import SECRET_HEADER
from ground.settings import Settings

logger = logging.getLogger(__name__)

LONG_POLL_SECONDS = 25


async def forward(http: httpx.AsyncClient, url: str, secret: str, update: dict) -> None:
    """Hands one update to the gateway, retrying until the gateway has stored it."""
    while True:
        try:
            response = await http.post(url, json=update, headers={SECRET_HEADER: secret})
            if response.status_code < 500 and response.status_code != 429:
                if response.status_code != 200:
                    logger.warning("gateway refused update %s: %s", update.get("update_id"),
                                   response.text)
                return
        except httpx.HTTPError as error:
            logger.warning("gateway not reachable (%s); retrying", error)
        await asyncio.sleep(2)


async def poll(settings: Settings, rounds: Optional[int] = None) -> None:
    """Polls until stopped (or for `rounds` getUpdates calls, for tests)."""
    url = f"http://127.0.0.1:{settings.gateway_port}/telegram/webhook"
    async with Bot(settings.telegram_bot_token, base_url=settings.telegram_api_base_url) as bot, \
            httpx.AsyncClient(timeout=30) as http:
        await bot.delete_webhook()
        offset = 0
        done = 0
        while rounds is None or done < rounds:
            done += 1
            try:
                updates = await bot.get_updates(offset=offset, timeout=LONG_POLL_SECONDS,
                                                read_timeout=LONG_POLL_SECONDS + 10)
            except NetworkError as error:
                logger.warning("getUpdates failed (%s); retrying", error)
                await asyncio.sleep(2)
                continue
            for update in updates:
                await forward(http, url, settings.telegram_webhook_secret, update.to_dict())
                offset = update.update_id + 1


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s telegram-poll %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = Settings.from_env()
    if not settings.telegram_enabled:
        print("TELEGRAM_BOT_TOKEN is empty: put your bot's token (from @BotFather) in .env "
              "and restart `make run`", file=sys.stderr)
        return 2
    print(f"Polling Telegram for updates and handing them to the gateway on port "
          f"{settings.gateway_port}. Ctrl-C stops.", flush=True)
    try:
        asyncio.run(poll(settings))
    except KeyboardInterrupt:
        return 0
    except TelegramError as error:
        print(f"Telegram refused: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
