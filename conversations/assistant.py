"""The gateway's client of the Rasa assistant (its gateway channel) and of the action server.

Rasa's sender id is the gateway's conversation id; the customer's channel and ids travel
in the metadata. A slow Rasa is told from a down one: a reply that takes longer than the
timeout is waited for (up to the slow deadline) as long as Rasa's status endpoint still
answers, because a busy Rasa finishes the turn. Any failure (refused connection, a Rasa
whose status does not answer either, the slow deadline passed, a server error, a reply
that is not what Rasa sends) raises AssistantUnavailable, and the caller decides what the
customer hears. Because Rasa answers even when the action server is down (it only logs
the failed action), the action server is checked separately.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import aiohttp

from conversations.channel_protocol import COMMAND_KEY, SECRET_HEADER

MAX_BUTTONS = 10
# how long Rasa's status endpoint may take to prove that Rasa is alive
PROBE_SECONDS = 2.0


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
        slow_deadline_seconds: Optional[float] = None,
    ) -> None:
        """`timeout_seconds`: how long a reply may take before Rasa is checked for life;
        `slow_deadline_seconds`: how long a living Rasa is waited for in all (at least
        the timeout)."""
        self._webhook = f"{rasa_url}/webhooks/gateway/webhook"
        self._status = f"{rasa_url}/status"
        self._rasa_token = rasa_token
        self._action_health = action_health_url
        self._secret = channel_secret
        self._timeout = timeout_seconds
        self._deadline = max(timeout_seconds, slow_deadline_seconds or timeout_seconds)
        # aiohttp rather than httpx: the same requests for less CPU (the gateway's CPU per
        # turn under `make bench` from about 14 ms to 11)
        self._session: Optional[aiohttp.ClientSession] = None
        # the read timeout is the slow deadline's; `send` watches the shorter timeout
        self._turn_timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=min(2.0, timeout_seconds), sock_read=self._deadline + 1.0)

    def _http(self) -> aiohttp.ClientSession:
        """The kept session (made on first use, inside the event loop that uses it)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=200), timeout=self._turn_timeout,
                json_serialize=json.dumps)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _post_turn(self, body: Dict[str, Any]) -> Tuple[int, bytes]:
        async with self._http().post(self._webhook, json=body,
                                     headers={SECRET_HEADER: self._secret}) as response:
            return response.status, await response.read()

    async def send(
        self, conversation_id: str, text: str, metadata: Dict[str, Any], command: bool = False
    ) -> List[Reply]:
        """The assistant's replies to `text`; `command` marks the gateway's own payloads (a
        button the assistant offered, an aftercare trigger), the only text Rasa may read as
        an intent (conversations.typed_text)."""
        request = asyncio.ensure_future(self._post_turn({
            "sender": conversation_id,
            "message": text,
            "input_channel": metadata.get("channel", "gateway"),
            "metadata": {**metadata, COMMAND_KEY: command},
        }))
        try:
            status, body = await self._while_alive(request)
        except asyncio.TimeoutError as error:
            raise AssistantUnavailable("assistant_timeout", str(error) or "read timeout") from error
        except aiohttp.ClientError as error:
            raise AssistantUnavailable("assistant_unreachable", str(error)) from error
        finally:
            request.cancel()
        if status != 200:
            raise AssistantUnavailable("assistant_error", f"HTTP {status}")
        try:
            return parse_replies(json.loads(body))
        except ValueError as error:
            raise AssistantUnavailable("assistant_error", "reply is not JSON") from error

    async def _while_alive(self, request: "asyncio.Future[Tuple[int, bytes]]"
                           ) -> Tuple[int, bytes]:
        """The response to `request`, waited for while Rasa is alive: after each timeout
        Rasa's status is asked; a Rasa that does not answer it, or a reply later than the
        slow deadline, is given up on."""
        started = time.monotonic()
        while True:
            left = self._deadline - (time.monotonic() - started)
            if left <= 0:
                raise AssistantUnavailable("assistant_timeout",
                                           f"no reply within {self._deadline:g} s (slow deadline)")
            done, _ = await asyncio.wait({request}, timeout=min(self._timeout, left))
            if done:
                return request.result()
            probe = asyncio.ensure_future(self.rasa_alive())
            done, _ = await asyncio.wait({request, probe}, return_when=asyncio.FIRST_COMPLETED)
            if request in done:
                probe.cancel()
                return request.result()
            if not probe.result():
                raise AssistantUnavailable("assistant_timeout",
                                           f"no reply within {self._timeout:g} s, nor a status")

    async def rasa_alive(self) -> bool:
        """Whether Rasa's status endpoint answers within PROBE_SECONDS (a Rasa busy with
        other turns still does; a hung or stopped one does not)."""
        return bool((await self.rasa_health())["ok"])

    async def rasa_health(self) -> Dict[str, Any]:
        """Rasa's status: reachable, and whether a model is loaded."""
        try:
            async with self._http().get(
                self._status, params={"token": self._rasa_token},
                timeout=aiohttp.ClientTimeout(total=PROBE_SECONDS),
            ) as response:
                status = response.status
                body = json.loads(await response.read()) if status == 200 else {}
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            return {"ok": False, "error": type(error).__name__}
        if status != 200:
            return {"ok": False, "error": f"HTTP {status}"}
        if not isinstance(body, dict):
            return {"ok": False, "error": "status is not a JSON object"}
        return {"ok": bool(body.get("model_id")), "model": body.get("model_id")}

    async def action_server_health(self) -> Dict[str, Any]:
        try:
            async with self._http().get(self._action_health,
                                        timeout=aiohttp.ClientTimeout(total=2.0)) as response:
                return {"ok": response.status == 200}
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return {"ok": False, "error": type(error).__name__}
