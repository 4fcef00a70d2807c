"""Runs the gateway: `python -m bot.gateway` (started by `make run` beside Rasa)."""

from __future__ import annotations

import logging
import sys

from bot.schema import upgrade
from ground.settings import Settings


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s gateway %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = Settings.from_env()
    upgrade(settings.database_url)
    from bot.gateway.app import create_app

    app = create_app(settings)
    app.run(host=settings.gateway_host, port=settings.gateway_port, access_log=False,
            workers=1, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
