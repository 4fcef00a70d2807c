"""`make shell`: talk to the running assistant in the terminal through Rasa's REST channel.

Buttons are numbered; typing a number presses one. Needs `make run` in another terminal.
"""

from __future__ import annotations

import json
import secrets
import sys
import urllib.error
import urllib.request
from typing import Any, Dict, List

from bot.settings import Settings


def send(url: str, sender: str, text: str) -> List[Dict[str, Any]]:
    request = urllib.request.Request(
        url, data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main() -> int:
    settings = Settings.from_env()
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    sender = f"shell-{secrets.token_hex(4)}"
    buttons: List[Dict[str, str]] = []
    print(f"Talking to {url} as {sender}. Ctrl-D or /quit ends.")
    while True:
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line == "/quit":
            return 0
        if line.isdigit() and 0 < int(line) <= len(buttons):
            line = buttons[int(line) - 1]["payload"]
        try:
            replies = send(url, sender, line)
        except (urllib.error.URLError, OSError) as error:
            print(f"The assistant is not reachable ({error}); is `make run` running?", file=sys.stderr)
            return 1
        buttons = []
        for reply in replies:
            if reply.get("text"):
                print(f"bot> {reply['text']}")
            for button in reply.get("buttons") or []:
                buttons.append(button)
                print(f"     [{len(buttons)}] {button['title']}")


if __name__ == "__main__":
    raise SystemExit(main())
