"""Reply latency through the gateway against plain Rasa REST: `make bench`.

Starts the whole product on free ports with its own databases, then runs the same
conversation script for N concurrent conversations twice: straight to Rasa's REST
channel, and through the gateway's customer API (which also stores every message and
publishes it). Reports p50/p95/p99 per message and the ratio of the p95s; the target is
a gateway p95 of at most 1.2x plain Rasa's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import tempfile
import time
from pathlib import Path
from typing import Awaitable, Callable, Dict, List

import httpx

from bot.runtime.launch import free_port, launch

TARGET_RATIO = 1.2
SCRIPT = [
    "hello",
    "what are your opening hours?",
    "where is my order {order}?",
    "how much is delivery to france?",
    "which payment methods do you take?",
    "thanks, bye",
]


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def _conversation(send: Callable[[str], Awaitable[None]], n: int,
                        timings: List[float]) -> None:
    for line in SCRIPT:
        started = time.perf_counter()
        await send(line.format(order=f"HG-9{n:05d}"))
        timings.append((time.perf_counter() - started) * 1000)


async def run_rasa(http: httpx.AsyncClient, rasa_url: str, conversations: int,
                   tag: str) -> List[float]:
    timings: List[float] = []

    def sender(n: int) -> Callable[[str], Awaitable[None]]:
        async def send(text: str) -> None:
            response = await http.post(f"{rasa_url}/webhooks/rest/webhook",
                                       json={"sender": f"{tag}-{n}", "message": text})
            response.raise_for_status()
        return send

    await asyncio.gather(*(_conversation(sender(n), n, timings) for n in range(conversations)))
    return timings


async def run_gateway(http: httpx.AsyncClient, gateway_url: str, conversations: int) -> List[float]:
    timings: List[float] = []
    created = [
        (await http.post(f"{gateway_url}/api/v1/conversations")).json()
        for _ in range(conversations)
    ]

    def sender(conversation: Dict[str, str]) -> Callable[[str], Awaitable[None]]:
        async def send(text: str) -> None:
            response = await http.post(
                f"{gateway_url}/api/v1/conversations/{conversation['id']}/messages",
                json={"text": text}, headers={"Authorization": f"Bearer {conversation['token']}"},
            )
            response.raise_for_status()
        return send

    await asyncio.gather(*(_conversation(sender(c), n, timings) for n, c in enumerate(created)))
    return timings


def summary(name: str, timings: List[float]) -> str:
    return (f"  {name:<12} {len(timings):>5} messages  p50 {statistics.median(timings):7.1f} ms"
            f"  p95 {percentile(timings, 0.95):7.1f} ms  p99 {percentile(timings, 0.99):7.1f} ms")


async def measure(rasa_url: str, gateway_url: str, conversations: int, rounds: int) -> int:
    limits = httpx.Limits(max_connections=conversations * 2)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        await run_rasa(http, rasa_url, 5, "warmup")
        await run_gateway(http, gateway_url, 5)
        rasa: List[float] = []
        gateway: List[float] = []
        for round_number in range(rounds):  # interleaved, so both see the same machine
            rasa += await run_rasa(http, rasa_url, conversations, f"r{round_number}")
            gateway += await run_gateway(http, gateway_url, conversations)
    ratio = percentile(gateway, 0.95) / percentile(rasa, 0.95)
    print(f"\nReply latency, {conversations} concurrent conversations x {len(SCRIPT)} messages"
          f" x {rounds} rounds:")
    print(summary("plain Rasa", rasa))
    print(summary("gateway", gateway))
    met = ratio <= TARGET_RATIO
    print(f"  gateway p95 / Rasa p95 = {ratio:.2f}  (target <= {TARGET_RATIO}: "
          f"{'met' if met else 'NOT met'})")
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="caredesk-bench-"))
    env = {
        **os.environ,
        "RASA_TOKEN": secrets.token_urlsafe(32),
        "GATEWAY_SECRET": secrets.token_urlsafe(32),
        "RASA_CHANNEL_SECRET": secrets.token_urlsafe(32),
        "TELEGRAM_BOT_TOKEN": "",
        "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()),
        "GATEWAY_PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{folder / 'caredesk.db'}",
        "TRACKER_DB_PATH": str(folder / "tracker.db"),
        # a benchmark client is one address sending many messages
        "MESSAGE_RATE_PER_MINUTE": "100000", "CONVERSATION_RATE_PER_MINUTE": "100000",
    }
    print(f"Starting CareDesk for the benchmark (logs in {folder})...", flush=True)
    process = launch("bot.runtime", env, folder / "product.log", "CareDesk is running.")
    try:
        return asyncio.run(measure(f"http://127.0.0.1:{env['RASA_PORT']}",
                                   f"http://127.0.0.1:{env['GATEWAY_PORT']}",
                                   args.conversations, args.rounds))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


if __name__ == "__main__":
    raise SystemExit(main())
