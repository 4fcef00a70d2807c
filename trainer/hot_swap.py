"""Loads a model into the running Rasa servers through their HTTP API (`PUT /model`), each
one (the scaled profile runs several). A Rasa server (started through bot.runtime.rasa_server)
loads it in a worker thread while the old model keeps answering, then swaps them; nothing
is lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Sequence

import httpx

LOAD_TIMEOUT_SECONDS = 300.0


class RasaUnreachable(Exception):
    """The Rasa server is not running (or not answering); nothing was changed."""


class RasaRefused(Exception):
    """The Rasa server did not (or not visibly) load the model; the store keeps what it had
    recorded, and a retry or a restart (which serves the recorded version) settles it."""


class RasaModelServer:
    """Every Rasa server of the deployment, each by its own address (RASA_SERVER_URLS; one
    server: RASA_URL), since a load balancer in front would pass a load to only one."""

    def __init__(self, rasa_urls: Sequence[str], token: str) -> None:
        self._urls = tuple(rasa_urls)
        self._token = token

    async def load(self, model: Path) -> None:
        """Loads `model` into every Rasa server that answers. None answering: RasaUnreachable
        (nothing changed). One that answers but does not serve it: RasaRefused. A server that
        is down meanwhile serves the active version when it starts again."""
        async with httpx.AsyncClient(timeout=httpx.Timeout(LOAD_TIMEOUT_SECONDS,
                                                           connect=3.0)) as http:
            outcomes = await asyncio.gather(*(self._load_one(http, url, model)
                                              for url in self._urls), return_exceptions=True)
        refused = [outcome for outcome in outcomes if isinstance(outcome, RasaRefused)]
        if refused:
            raise refused[0]
        unexpected = [o for o in outcomes if isinstance(o, BaseException)
                      and not isinstance(o, RasaUnreachable)]
        if unexpected:
            raise unexpected[0]
        if all(isinstance(outcome, RasaUnreachable) for outcome in outcomes):
            raise outcomes[0]  # type: ignore[misc]

    async def _load_one(self, http: httpx.AsyncClient, url: str, model: Path) -> None:
        try:
            response = await http.put(f"{url}/model", params={"token": self._token},
                                      json={"model_file": str(model.resolve())})
        except httpx.ConnectError as error:
            raise RasaUnreachable(f"the Rasa server at {url} is not answering "
                                  "(connection refused)") from error
        except httpx.TransportError as error:
            raise RasaRefused(f"the Rasa server at {url} did not answer the load of "
                              f"{model.name} ({error.__class__.__name__})") from error
        if response.status_code != 204:
            raise RasaRefused(f"Rasa at {url} answered {response.status_code}: "
                              f"{response.text[:500]}")
        served = await self.served(http, url)
        if served != model.name:
            raise RasaRefused(f"Rasa at {url} serves {served!r} instead of {model.name}")

    async def served(self, http: httpx.AsyncClient, url: str) -> str:
        """The file name of the model the Rasa server at `url` answers with."""
        try:
            status = await http.get(f"{url}/status", params={"token": self._token})
            status.raise_for_status()
            return Path(status.json().get("model_file") or "").name
        except (httpx.HTTPError, ValueError) as error:
            raise RasaRefused(f"the Rasa server's status at {url} is unreadable ({error})") from error
