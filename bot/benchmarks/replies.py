"""What a deployment can carry: `make bench` (after bot.benchmarks.turn_profile).

Starts each profile the checkout can start (bot.benchmarks.profiles: `make run`'s default,
"single"; the scaled profile is reported as not measured until `make run-scaled` exists)
and runs the benchmark's conversation script (bot.benchmarks.load) at 50 and 200
concurrent conversations:

- without a pause, straight to Rasa's REST channel and through the gateway's customer API,
  round by round in turn: the most the machine can be asked, and the ratio of the
  gateway's p95 to plain Rasa's on the same run (target <= 1.2);
- through the gateway with a customer's seeded 2-6 s of reading and typing before each
  message (bot.benchmarks.pauses): a support desk's real load (target: p95 < 1 s at 50).

Each run reports turns per second, p50/p95/p99, CPU ms per turn by process (/proc), and
tickets opened by load, counted in the benchmark's own database before and after each
round (bot.benchmarks.desk_counts; target 0 at every concurrency). Then 20 conversations
are handed to a person and each agent reply is timed from the staff API call to the
customer's WebSocket (target: p95 under a second).

Writes results/bench/figures.json, docs/bench-figures.md and docs/bench-chart.svg
(bot.benchmarks.figures, bot.benchmarks.chart); `--quick` runs a small load in about a
minute and writes its files under results/bench/ only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Sequence

import aiohttp
import httpx

from bot.benchmarks import figures as figures_file
from bot.benchmarks.chart import write_chart
from bot.benchmarks.desk_counts import count_desk
from bot.benchmarks.load import (Load, Phase, compare, cost_report, latency_line, paused,
                                 percentile, rounds_for, warm_up)
from bot.benchmarks.pauses import HIGH_SECONDS, LOW_SECONDS, PauseSchedule
from bot.benchmarks.profiles import NOT_AVAILABLE, PROFILES, Product
from bot.benchmarks.script import SCRIPT
from ground.database import session_factory
from ground.envfile import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "results" / "bench"
DOCS = PROJECT_ROOT / "docs"
FIGURES_PAGE = "bench-figures.md"
CHART = "bench-chart.svg"


async def agent_reply_latency(http: httpx.AsyncClient, gateway_url: str, admin_password: str,
                              conversations: int = 20, replies: int = 5) -> List[float]:
    """Milliseconds from an agent sending a reply (staff API) to the customer's web chat
    WebSocket receiving it, over handed-over conversations."""
    import websockets

    login = await http.post(f"{gateway_url}/api/v1/auth/login",
                            json={"username": "admin", "password": admin_password})
    login.raise_for_status()
    staff = {"Authorization": f"Bearer {login.json()['token']}"}
    timings: List[float] = []
    for _ in range(conversations):
        conversation = (await http.post(f"{gateway_url}/api/v1/conversations")).json()
        customer = {"Authorization": f"Bearer {conversation['token']}"}
        handed = await http.post(f"{gateway_url}/api/v1/conversations/{conversation['id']}/messages",
                                 json={"text": "I want to talk to a person"}, headers=customer)
        if handed.json()["state"] != "queued":
            raise RuntimeError("the benchmark's request for a person was not handed over")
        ticket = (await http.get(f"{gateway_url}/api/v1/tickets", headers=staff,
                                 params={"conversation_id": conversation["id"]})).json()["tickets"][0]
        (await http.post(f"{gateway_url}/api/v1/tickets/{ticket['id']}/claim", headers=staff)).raise_for_status()
        ws_url = gateway_url.replace("http", "ws") + f"/api/v1/conversations/{conversation['id']}/ws"
        async with websockets.connect(f"{ws_url}?token={conversation['token']}") as socket:
            while json.loads(await socket.recv())["type"] != "ready":
                pass
            for n in range(replies):
                text = f"reply {n} to {conversation['id'][:6]}"
                started = time.perf_counter()
                sent = await http.post(f"{gateway_url}/api/v1/tickets/{ticket['id']}/messages",
                                       json={"text": text}, headers=staff)
                sent.raise_for_status()
                while True:
                    event = json.loads(await asyncio.wait_for(socket.recv(), 10))
                    if event.get("type") == "message" and event["message"]["text"] == text:
                        break
                timings.append((time.perf_counter() - started) * 1000)
        (await http.post(f"{gateway_url}/api/v1/tickets/{ticket['id']}/resolve", headers=staff,
                         json={"outcome": "solved", "note": "benchmark"})).raise_for_status()
    return timings


async def measure(product: Product, concurrencies: Sequence[int], min_turns: int,
                  paused_min_turns: int, schedule: PauseSchedule) -> Dict[str, Any]:
    """Every load run on one running product, printed as it goes; the profile's figures."""
    sessions = session_factory(product.database_url)
    phases: List[Phase] = []
    # the load's client is aiohttp: it shares the machine with what it measures, and
    # httpx's connection pool cost it 5-8 ms of CPU per turn at 50 concurrent conversations
    async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=300),
            connector=aiohttp.TCPConnector(limit=max(concurrencies) * 2)) as http:
        load = Load(http, product.rasa_url, product.gateway_url, product.cpu,
                    lambda: count_desk(sessions))
        await warm_up(load)
        for concurrency in concurrencies:
            rounds = rounds_for(concurrency, min_turns)
            print(f"\n{concurrency} concurrent conversations x {len(SCRIPT)} messages, no pause,"
                  f" {rounds} round(s) each way...", flush=True)
            for phase in await compare(load, concurrency, rounds, "bench"):
                phases.append(phase)
                print(latency_line(phase), flush=True)
            rounds = rounds_for(concurrency, paused_min_turns)
            print(f"{concurrency} concurrent conversations, {schedule.label()},"
                  f" {rounds} round(s) through the gateway...", flush=True)
            phases.append(await paused(load, concurrency, rounds, schedule))
            print(latency_line(phases[-1]), flush=True)
    print(f"\nWhat a turn costs ({os.cpu_count()} CPUs):")
    print(cost_report(phases))
    async with httpx.AsyncClient(timeout=120) as http:
        agent = await agent_reply_latency(http, product.gateway_url, product.admin_password)
    print("\nAgent reply to the customer's web chat (staff API -> customer WebSocket):")
    print(f"  {len(agent)} replies  p50 {statistics.median(agent):.1f} ms"
          f"  p95 {percentile(agent, 0.95):.1f} ms  p99 {percentile(agent, 0.99):.1f} ms")
    return {"measured": True, "runs": [phase.figures() for phase in phases],
            "agent_reply": {"replies": len(agent), "p50_ms": round(statistics.median(agent)),
                            "p95_ms": round(percentile(agent, 0.95))}}


DESCRIPTIONS = {
    "single": "`make run`'s default: the supervisor with one gateway, one Rasa server and one"
              " action server, on SQLite.",
    "scaled": "`make run-scaled`: two gateways, two Rasa servers and two action servers behind"
              " nginx, on PostgreSQL (company data, conversations, Rasa's trackers) and Redis"
              " (event bus, rate limits, Rasa's lock store), on the same two cores.",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="append", choices=sorted({*PROFILES, *NOT_AVAILABLE}),
                        help="the deployment to measure (repeatable; default: all of them)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[50, 200],
                        help="concurrent conversations of each run (default 50 200)")
    parser.add_argument("--turns", type=int, default=900,
                        help="turns at least, each way, of a run without pauses (default 900:"
                             " 3 rounds at 50, 1 at 200)")
    parser.add_argument("--paused-turns", type=int, default=600,
                        help="turns at least of a run with pauses (default 600)")
    parser.add_argument("--pause", type=float, nargs=2, default=[LOW_SECONDS, HIGH_SECONDS],
                        metavar=("LOW", "HIGH"), help="seconds of a customer's pause")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--quick", action="store_true",
                        help="10 and 40 conversations, one round each, 0.5-1.5 s pauses;"
                             " writes under results/bench/ only, not docs/")
    parser.add_argument("--docs", type=Path, default=None,
                        help=f"where {FIGURES_PAGE} and {CHART} go (default docs/,"
                             " results/bench/ with --quick)")
    args = parser.parse_args()
    if args.quick:
        args.concurrency, args.turns, args.paused_turns, args.pause = [10, 40], 1, 1, [0.5, 1.5]
    docs = args.docs or (RESULTS if args.quick else DOCS)
    schedule = PauseSchedule(args.seed, *args.pause)
    profiles = args.profile or [*PROFILES, *NOT_AVAILABLE]

    load_before = os.getloadavg()
    results: Dict[str, Any] = {}
    for name in profiles:
        if name not in PROFILES:
            print(f"{name} profile: not measured ({NOT_AVAILABLE[name]})", flush=True)
            results[name] = {"measured": False, "why": NOT_AVAILABLE[name]}
            continue
        folder = Path(tempfile.mkdtemp(prefix=f"caredesk-bench-{name}-"))
        print(f"Starting CareDesk, {name} profile, for the benchmark (logs in {folder})...",
              flush=True)
        with PROFILES[name](folder) as product:
            results[name] = {"description": DESCRIPTIONS.get(name, ""),
                             **asyncio.run(measure(product, args.concurrency, args.turns,
                                                   args.paused_turns, schedule))}
    judged = results.get(figures_file.JUDGED_PROFILE, {})
    figures: Dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": {"nproc": os.cpu_count(), "load_average": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "load": {"messages": len(SCRIPT), "concurrency": args.concurrency,
                 "pause": f"{schedule.low:g}-{schedule.high:g} s", "seed": schedule.seed,
                 "min_turns": args.turns, "paused_min_turns": args.paused_turns},
        "profiles": results,
        "targets": figures_file.targets(judged.get("runs", []),
                                        (judged.get("agent_reply") or {}).get("p95_ms")),
    }
    figures_file.write_json(RESULTS / "figures.json", figures)
    figures_file.write_markdown(docs / FIGURES_PAGE, figures, CHART)
    if judged.get("measured"):
        write_chart(docs / CHART, judged["runs"], figures["load"]["pause"],
                    figures_file.PAUSED_P95_MS, figures_file.TURNS_PER_SECOND,
                    scaled_runs=results.get("scaled", {}).get("runs", []))
    print(f"\nTargets ({figures_file.JUDGED_PROFILE} profile, {os.cpu_count()} CPUs):")
    for target in figures["targets"]:
        value = "-" if target["value"] is None else f"{target['value']:g}"
        print(f"  {target['name']}: {value} {target['unit']} (target {target['comparison']}"
              f" {target['limit']:g}): {figures_file.verdict(target).strip('*')}")
    print(f"\nWrote {RESULTS / 'figures.json'}, {docs / FIGURES_PAGE}, {docs / CHART}")
    return 0 if all(target["met"] is not False for target in figures["targets"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
