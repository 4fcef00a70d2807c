"""Loads a model into the running Rasa server through its HTTP API (`PUT /model`). The
Rasa server (started through bot.runtime.rasa_server) loads it in a worker thread while the
old model keeps answering, then swaps them; nothing is lost."""

from __future__ import annotations

from pathlib import Path

import httpx

LOAD_TIMEOUT_SECONDS = 300.0


class RasaUnreachable(Exception):
    """The Rasa server is not running (or not answering); nothing was changed."""


class RasaRefused(Exception):
    """The Rasa server did not (or not visibly) load the model; the store keeps what it had
    recorded, and a retry or a restart (which serves the recorded version) settles it."""


class RasaModelServer:
    def __init__(self, rasa_url: str, token: str) -> None:
        self._url = rasa_url
        self._token = token

    async def load(self, model: Path) -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(LOAD_TIMEOUT_SECONDS,
                                                           connect=3.0)) as http:
            try:
                response = await http.put(f"{self._url}/model", params={"token": self._token},
                                          json={"model_file": str(model.resolve())})
            except httpx.ConnectError as error:
                raise RasaUnreachable(f"the Rasa server at {self._url} is not answering "
                                      "(connection refused)") from error
            except httpx.TransportError as error:
                raise RasaRefused(f"the Rasa server did not answer the load of {model.name} "
                                  f"({error.__class__.__name__})") from error
            if response.status_code != 204:
                raise RasaRefused(f"Rasa answered {response.status_code}: {response.text[:500]}")
            served = await self.served(http)
        if served != model.name:
            raise RasaRefused(f"Rasa serves {served!r} instead of {model.name}")

    async def served(self, http: httpx.AsyncClient) -> str:
        """The file name of the model the Rasa server answers with."""
        try:
            status = await http.get(f"{self._url}/status", params={"token": self._token})
            status.raise_for_status()
            return Path(status.json().get("model_file") or "").name
        except (httpx.HTTPError, ValueError) as error:
            raise RasaRefused(f"the Rasa server's status is unreadable ({error})") from error
