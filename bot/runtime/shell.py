"""`make shell`: talk to the running assistant in the terminal, as a web-chat customer of
the gateway (its customer API), so every message is stored and handled like a customer's.

Buttons are numbered; typing a number presses one. Needs `make run` in another terminal.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List

import httpx

from ground.settings import Settings


class GatewayChat:
    """One web conversation on the gateway's customer API."""

    def __init__(self, gateway_url: str, http: httpx.Client) -> None:
        self._http = http
        created = http.post(f"{gateway_url}/api/v1/conversations")
        created.raise_for_status()
        body = created.json()
        self.id: str = body["id"]
        self._url = f"{gateway_url}/api/v1/conversations/{self.id}/messages"
        self._headers = {"Authorization": f"Bearer {body['token']}"}

    def send(self, **message: str) -> List[Dict[str, Any]]:
        response = self._http.post(self._url, json=message, headers=self._headers)
        if response.status_code >= 400:
            error = response.json().get("error", {})
            raise ValueError(error.get("message") or f"HTTP {response.status_code}")
        return response.json()["replies"]


def main() -> int:
    settings = Settings.from_env()
    with httpx.Client(timeout=60) as http:
        try:
            chat = GatewayChat(settings.gateway_url, http)
        except httpx.HTTPError as error:
            print(f"The gateway is not reachable at {settings.gateway_url} ({error}); "
                  "is `make run` running?", file=sys.stderr)
            return 1
        print(f"Talking to {settings.gateway_url} (conversation {chat.id}). Ctrl-D or /quit ends.")
        buttons: List[Dict[str, str]] = []
        while True:
            try:
                line = input("you> ").strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if line == "/quit":
                return 0
            if not line:
                continue
            pressed = line.isdigit() and 0 < int(line) <= len(buttons)
            try:
                replies = (chat.send(payload=buttons[int(line) - 1]["payload"]) if pressed
                           else chat.send(text=line))
            except ValueError as error:
                print(f"(refused: {error})", file=sys.stderr)
                continue
            except httpx.HTTPError as error:
                print(f"The gateway is not reachable ({error}); is `make run` running?",
                      file=sys.stderr)
                return 1
            buttons = []
            for reply in replies:
                if reply.get("text"):
                    print(f"{reply.get('author', 'bot')}> {reply['text']}")
                for button in reply.get("buttons") or []:
                    buttons.append(button)
                    print(f"     [{len(buttons)}] {button['title']}")


if __name__ == "__main__":
    raise SystemExit(main())
