"""The gateway's client of the Rasa assistant (its gateway channel) and of the action server.

Rasa's sender id is the gateway's conversation id; the customer's channel and ids travel
in the metadata. Any failure (refused connection, timeout, server error, a reply that is
not what Rasa sends) raises AssistantUnavailable, and the caller decides what the customer
hears. Because Rasa answers even when the action server is down (it only logs the failed
action), the action server is checked separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import httpx

from conversations.channel_protocol import COMMAND_KEY, SECRET_HEADER

MAX_BUTTONS = 10


class AssistantUnavailable(Exception):
    """The assistant could not answer; `reason` says which part failed."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Reply:
    text: Optional[str]
    buttons: List[Dict[str, str]] = field(default_factory=list)


def parse_replies(body: Any) -> List[Reply]:
    """Rasa's collected bot messages → replies; images and custom payloads become text
    only when they carry some, and buttons keep just a title and a payload."""
    if not isinstance(body, list):
        raise AssistantUnavailable("assistant_error", "unexpected reply from Rasa")
    replies = []
    for item in body:
        if not isinstance(item, dict):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else None
        buttons = [
            {"title": str(button.get("title", ""))[:200], "payload": str(button.get("payload", ""))[:400]}
            for button in (item.get("buttons") or [])[:MAX_BUTTONS]
            if isinstance(button, dict) and button.get("payload")
        ]
        if text or buttons:
            replies.append(Reply(text=text, buttons=buttons))
    return replies


class AssistantClient:
    """Sends one customer message to Rasa and returns the bot's replies."""

    def __init__(
        self,
        rasa_url: str,
        channel_secret: str,
        action_health_url: str,
        timeout_seconds: float,
        rasa_token: str = "",
    ) -> None:
        self._webhook = f"{rasa_url}/webhooks/gateway/webhook"
        self._status = f"{rasa_url}/status"
        self._rasa_token = rasa_token
        self._action_health = action_health_url
        self._secret = channel_secret
        self._timeout = timeout_seconds
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds, connect=min(2.0, timeout_seconds)),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def send(
        self, conversation_id: str, text: str, metadata: Dict[str, Any], command: bool = False
    ) -> List[Reply]:
        """The assistant's replies to `text`; `command` marks the gateway's own payloads (a
        button the assistant offered, a follow-up trigger), the only text Rasa may read as
        an intent (conversations.typed_text)."""
        try:
            response = await self._http.post(
                self._webhook,
                json={
                    "sender": conversation_id,
                    "message": text,
                    "input_channel": metadata.get("channel", "gateway"),
                    "metadata": {**metadata, COMMAND_KEY: command},
                },
                headers={SECRET_HEADER: self._secret},
            )
        except httpx.TimeoutException as error:
            raise AssistantUnavailable("assistant_timeout", str(error)) from error
        except httpx.HTTPError as error:
            raise AssistantUnavailable("assistant_unreachable", str(error)) from error
        if response.status_code != 200:
            raise AssistantUnavailable("assistant_error", f"HTTP {response.status_code}")
        try:
            return parse_replies(response.json())
        except ValueError as error:
            raise AssistantUnavailable("assistant_error", "reply is not JSON") from error

    async def rasa_health(self) -> Dict[str, Any]:
        """Rasa's status: reachable, and whether a model is loaded."""
        try:
            response = await self._http.get(
                self._status, params={"token": self._rasa_token}, timeout=2.0
            )
            body = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, ValueError) as error:
            return {"ok": False, "error": type(error).__name__}
        if response.status_code != 200:
            return {"ok": False, "error": f"HTTP {response.status_code}"}
        return {"ok": bool(body.get("model_id")), "model": body.get("model_id")}

    async def action_server_health(self) -> Dict[str, Any]:
        try:
            response = await self._http.get(self._action_health, timeout=2.0)
        except httpx.HTTPError as error:
            return {"ok": False, "error": type(error).__name__}
        return {"ok": response.status_code == 200}
