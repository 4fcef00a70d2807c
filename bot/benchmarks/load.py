"""The load runs of `make bench`: N conversations at once, each sending the benchmark's
script to plain Rasa REST or through the gateway's customer API, with or without a
customer's pause between messages.

A run is one or more rounds of N conversations started together; plain Rasa and the
gateway alternate round by round, so both see the same machine. For each run: the reply
latency of every turn (from sending a message to its answer), turns per second over the
rounds' wall time, CPU milliseconds per turn of each process (/proc, before and after each
round), and what the run left on the desk (bot.benchmarks.desk_counts: tickets opened by
load). Gateway conversations are created before a round's clock starts: a round measures
turns only.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence

import aiohttp

from bot.benchmarks.desk_counts import DeskCount
from bot.benchmarks.pauses import NO_PAUSE, PauseSchedule
from bot.benchmarks.process_cpu import CLIENT, PROCESSES, SUPERVISOR
from bot.benchmarks.profiles import CpuSampler
from bot.benchmarks.script import SCRIPT, order_number

PLAIN_RASA = "plain Rasa"
GATEWAY = "gateway"

Send = Callable[[str], Awaitable[None]]
DeskCounter = Callable[[], DeskCount]


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` 0.95 for p95) of non-empty `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def rounds_for(concurrency: int, min_turns: int) -> int:
    """Rounds of `concurrency` conversations needed for at least `min_turns` turns."""
    return max(1, math.ceil(min_turns / (concurrency * len(SCRIPT))))


@dataclass
class Phase:
    """One kind of load (a target, a concurrency, pauses or none) over its rounds: turns,
    wall time, CPU seconds per process, every turn's latency and the desk's counts."""

    name: str
    target: str = GATEWAY
    concurrency: int = 0
    pauses: str = "no pause"
    rounds: int = 0
    turns: int = 0
    seconds: float = 0.0
    cpu: Dict[str, float] = field(default_factory=dict)
    timings: List[float] = field(default_factory=list)
    desk: DeskCount = field(default_factory=DeskCount)

    def add(self, turns: int, seconds: float, before: Dict[str, float],
            after: Dict[str, float]) -> None:
        self.turns += turns
        self.seconds += seconds
        for name, used in after.items():
            self.cpu[name] = self.cpu.get(name, 0.0) + used - before.get(name, 0.0)

    def ms_per_turn(self, name: str) -> float:
        return 1000 * self.cpu.get(name, 0.0) / max(self.turns, 1)

    @property
    def product_ms_per_turn(self) -> float:
        return sum(self.ms_per_turn(name) for name in self.cpu if name != CLIENT)

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def figures(self) -> Dict[str, Any]:
        """The run's figures, as figures.json holds them (times in ms, rounded)."""
        timings = self.timings or [0.0]
        return {
            "name": self.name, "target": self.target, "concurrency": self.concurrency,
            "pauses": self.pauses, "paused": self.pauses != "no pause", "rounds": self.rounds,
            "turns": self.turns, "seconds": round(self.seconds, 1),
            "turns_per_second": round(self.turns_per_second, 1),
            "p50_ms": round(statistics.median(timings)), "p95_ms": round(percentile(timings, 0.95)),
            "p99_ms": round(percentile(timings, 0.99)),
            "cpu_ms_per_turn": {name: round(self.ms_per_turn(name), 1)
                                for name in process_names([self]) if name in self.cpu},
            "caredesk_cpu_ms_per_turn": round(self.product_ms_per_turn, 1),
            "client_cpu_ms_per_turn": round(self.ms_per_turn(CLIENT), 1),
            "tickets_opened_by_load": self.desk.tickets_by_load,
            "tickets_opened": self.desk.tickets_opened,
            "wait_notices": self.desk.wait_notices,
        }


def process_names(phases: Sequence[Phase]) -> List[str]:
    """The product's processes measured in `phases`: make run's first, then any other."""
    names = [name for name, _ in PROCESSES] + [SUPERVISOR]
    for phase in phases:
        names += [name for name in phase.cpu if name not in names and name != CLIENT]
    return names


def cost_report(phases: Sequence[Phase]) -> str:
    """Turns per second and CPU ms per turn by process, one column per phase."""
    width = max([16] + [len(phase.name) + 2 for phase in phases])
    lines = [f"  {'':<28}" + "".join(f"{phase.name:>{width}}" for phase in phases)]
    lines.append(f"  {'turns per second':<28}" + "".join(
        f"{phase.turns_per_second:>{width}.1f}" for phase in phases))
    for name in process_names(phases):
        lines.append(f"  {name + ', CPU ms/turn':<28}" + "".join(
            f"{phase.ms_per_turn(name):>{width}.1f}" for phase in phases))
    lines.append(f"  {'= CareDesk, CPU ms/turn':<28}" + "".join(
        f"{phase.product_ms_per_turn:>{width}.1f}" for phase in phases))
    lines.append(f"  {'benchmark client (not in =)':<28}" + "".join(
        f"{phase.ms_per_turn(CLIENT):>{width}.1f}" for phase in phases))
    return "\n".join(lines)


def latency_line(phase: Phase) -> str:
    timings = phase.timings
    return (f"  {phase.name:<24} {len(timings):>5} turns  {phase.turns_per_second:5.1f} turns/s"
            f"  p50 {statistics.median(timings):7.0f} ms  p95 {percentile(timings, 0.95):7.0f} ms"
            f"  p99 {percentile(timings, 0.99):7.0f} ms  tickets by load {phase.desk.tickets_by_load}"
            f" (any reason {phase.desk.tickets_opened}), wait notices {phase.desk.wait_notices}")


async def converse(send: Send, order: str, pauses: Sequence[float],
                   timings: List[float]) -> None:
    """One customer: each message of the script after its pause, timed to its answer."""
    for line, pause in zip(SCRIPT, pauses):
        if pause > 0:
            await asyncio.sleep(pause)
        started = time.perf_counter()
        await send(line.format(order=order))
        timings.append((time.perf_counter() - started) * 1000)


async def rasa_senders(http: aiohttp.ClientSession, rasa_url: str, count: int,
                       tag: str) -> List[Send]:
    """Senders of `count` conversations on Rasa's REST channel (sender ids tag-n)."""

    def sender(n: int) -> Send:
        async def send(text: str) -> None:
            async with http.post(f"{rasa_url}/webhooks/rest/webhook",
                                 json={"sender": f"{tag}-{n}", "message": text}) as response:
                response.raise_for_status()
                await response.read()
        return send

    return [sender(n) for n in range(count)]


async def gateway_senders(http: aiohttp.ClientSession, gateway_url: str,
                          count: int) -> List[Send]:
    """Senders of `count` new web-chat conversations on the gateway's customer API."""
    created = []
    for _ in range(count):
        async with http.post(f"{gateway_url}/api/v1/conversations") as response:
            response.raise_for_status()
            created.append(await response.json())

    def sender(conversation: Dict[str, str]) -> Send:
        async def send(text: str) -> None:
            async with http.post(
                f"{gateway_url}/api/v1/conversations/{conversation['id']}/messages",
                json={"text": text}, headers={"Authorization": f"Bearer {conversation['token']}"},
            ) as response:
                response.raise_for_status()
                await response.read()
        return send

    return [sender(conversation) for conversation in created]


async def measured_round(phase: Phase, senders: Sequence[Send], first: int,
                         schedule: PauseSchedule, cpu: Optional[CpuSampler],
                         desk: Optional[DeskCounter]) -> None:
    """One round: every sender runs the script at once (conversation numbers from
    `first`, which also pick their pauses), added to `phase`."""
    desk_before = desk() if desk else DeskCount()
    before = cpu.sample() if cpu else {}
    timings: List[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(
        converse(send, order_number(n), schedule.pauses(first + n, len(SCRIPT)), timings)
        for n, send in enumerate(senders)))
    seconds = time.perf_counter() - started
    phase.add(len(timings), seconds, before, cpu.sample() if cpu else {})
    phase.timings += timings
    phase.rounds += 1
    if desk:
        phase.desk = phase.desk + desk().since(desk_before)


@dataclass(frozen=True)
class Load:
    """Where the load goes and what it reads between rounds."""

    http: aiohttp.ClientSession
    rasa_url: str
    gateway_url: str
    cpu: Optional[CpuSampler] = None
    desk: Optional[DeskCounter] = None


async def warm_up(load: Load) -> None:
    """A few conversations each way before measuring (first-call costs are not load)."""
    for senders in (await rasa_senders(load.http, load.rasa_url, 5, "warmup"),
                    await gateway_senders(load.http, load.gateway_url, 5)):
        await asyncio.gather(*(converse(send, order_number(n), NO_PAUSE.pauses(n, len(SCRIPT)), [])
                               for n, send in enumerate(senders)))


async def compare(load: Load, concurrency: int, rounds: int, tag: str) -> List[Phase]:
    """Plain Rasa and the gateway without pauses, round by round in turn: the ratio of
    their p95s is measured on the same machine at the same time."""
    schedule = NO_PAUSE
    rasa = Phase(f"{PLAIN_RASA}, {concurrency}", PLAIN_RASA, concurrency, schedule.label())
    gateway = Phase(f"{GATEWAY}, {concurrency}", GATEWAY, concurrency, schedule.label())
    for number in range(rounds):
        first = number * concurrency
        await measured_round(rasa, await rasa_senders(load.http, load.rasa_url, concurrency,
                                                      f"{tag}{concurrency}r{number}"),
                             first, schedule, load.cpu, load.desk)
        await measured_round(gateway, await gateway_senders(load.http, load.gateway_url,
                                                            concurrency),
                             first, schedule, load.cpu, load.desk)
    return [rasa, gateway]


async def paused(load: Load, concurrency: int, rounds: int, schedule: PauseSchedule) -> Phase:
    """The gateway with customers who read and type between messages."""
    phase = Phase(f"{GATEWAY}, {concurrency}, paused", GATEWAY, concurrency, schedule.label())
    for number in range(rounds):
        await measured_round(phase, await gateway_senders(load.http, load.gateway_url,
                                                          concurrency),
                             number * concurrency, schedule, load.cpu, load.desk)
    return phase
