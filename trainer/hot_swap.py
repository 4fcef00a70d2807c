"""Loads a model into the running Rasa server through its HTTP API (`PUT /model`), which
replaces the model only once the new one is loaded: conversations go on meanwhile, with the
old model, and no message is lost."""

from __future__ import annotations

from pathlib import Path

import httpx

LOAD_TIMEOUT_SECONDS = 300.0


class RasaUnreachable(Exception):
    """The Rasa server is not running (or not answering); nothing was changed."""


class RasaRefused(Exception):
    """The Rasa server answered but did not load the model."""


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
                if response.status_code != 204:
                    raise RasaRefused(f"Rasa answered {response.status_code}: "
                                      f"{response.text[:500]}")
                status = await http.get(f"{self._url}/status", params={"token": self._token})
            except httpx.TransportError as error:
                raise RasaUnreachable(f"the Rasa server at {self._url} is not answering "
                                      f"({error.__class__.__name__})") from error
        served = status.json().get("model_file", "")
        if Path(served).name != model.name:
            raise RasaRefused(f"Rasa serves {served!r} instead of {model.name}")
