"""`make bench`'s figures: the targets of issue 17 judged on a run's figures, written as
results/bench/figures.json and as a Markdown page (docs/bench-figures.md) that the README
quotes.

The figures document is a plain dict, so the JSON is exactly what the page shows:
{"date", "machine": {"nproc", "load_average"}, "load": {...}, "profiles": {name:
{"measured": true, "runs": [...], "agent_reply": {...}} or {"measured": false, "why"}},
"targets": [...]}. Targets are judged on `make run`'s default profile ("single").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

TURNS_PER_SECOND = 25.0  # the whole product on 2 cores, no pause
PAUSED_P95_MS = 1000.0  # at 50 concurrent conversations with a realistic pause
PAUSED_P95_CONCURRENCY = 50
RATIO = 1.2  # gateway p95 / plain Rasa p95, on the same run
AGENT_REPLY_P95_MS = 1000.0
JUDGED_PROFILE = "single"

Run = Mapping[str, Any]


def _target(name: str, value: Optional[float], limit: float, at_most: bool,
            unit: str = "") -> Dict[str, Any]:
    met = None if value is None else (value <= limit if at_most else value >= limit)
    comparison = ("=" if limit == 0 else "<=") if at_most else ">="
    return {"name": name, "value": value, "limit": limit, "comparison": comparison,
            "unit": unit, "met": met}


def targets(runs: Sequence[Run], agent_p95_ms: Optional[float]) -> List[Dict[str, Any]]:
    """Issue 17's targets on one profile's runs; `met` is None when the runs do not
    measure a target (a quick run without 50 concurrent conversations, say)."""
    found: List[Dict[str, Any]] = []
    busy = [run for run in runs if run["target"] == "gateway" and not run["paused"]]
    found.append(_target(
        "turns per second through the gateway, no pause (the lowest over the concurrencies)",
        min((run["turns_per_second"] for run in busy), default=None), TURNS_PER_SECOND,
        at_most=False, unit="turns/s"))
    calm = [run for run in runs if run["target"] == "gateway" and run["paused"]
            and run["concurrency"] == PAUSED_P95_CONCURRENCY]
    found.append(_target(
        f"gateway p95 at {PAUSED_P95_CONCURRENCY} concurrent conversations with a pause",
        calm[0]["p95_ms"] if calm else None, PAUSED_P95_MS, at_most=True, unit="ms"))
    found.append(_target(
        "turns handed to a person because of load (tickets opened by load, every run)",
        sum(run["tickets_opened_by_load"] for run in runs) if runs else None, 0,
        at_most=True))
    for run in busy:
        plain = [other for other in runs if other["target"] == "plain Rasa"
                 and other["concurrency"] == run["concurrency"] and not other["paused"]]
        if plain:
            found.append(_target(
                f"gateway p95 / plain Rasa p95 at {run['concurrency']} concurrent, no pause",
                round(run["p95_ms"] / max(plain[0]["p95_ms"], 1), 2), RATIO, at_most=True))
    found.append(_target("agent reply reaching the customer's web chat, p95", agent_p95_ms,
                         AGENT_REPLY_P95_MS, at_most=True, unit="ms"))
    return found


def verdict(target: Mapping[str, Any]) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[target["met"]]


def write_json(path: Path, figures: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def _number(value: Optional[float], unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:.2f}"
    return f"{text} {unit}".strip()


def _runs_table(runs: Sequence[Run]) -> List[str]:
    processes: List[str] = []
    for run in runs:
        processes += [name for name in run["cpu_ms_per_turn"] if name not in processes]
    head = (["target", "conversations", "pauses", "turns", "turns/s", "p50 ms", "p95 ms",
             "p99 ms"] + [f"{name} CPU ms/turn" for name in processes]
            + ["CareDesk CPU ms/turn", "tickets opened by load", "tickets (any reason)",
               "wait notices"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for run in runs:
        cells = ([run["target"], str(run["concurrency"]), run["pauses"],
                  f"{run['turns']:,} ({run['rounds']} round{'s' if run['rounds'] != 1 else ''})",
                  f"{run['turns_per_second']:.1f}", f"{run['p50_ms']:,}", f"{run['p95_ms']:,}",
                  f"{run['p99_ms']:,}"]
                 + [f"{run['cpu_ms_per_turn'].get(name, 0.0):.1f}" for name in processes]
                 + [f"{run['caredesk_cpu_ms_per_turn']:.1f}", str(run["tickets_opened_by_load"]),
                    str(run["tickets_opened"]), str(run["wait_notices"])])
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def markdown(figures: Mapping[str, Any], chart_name: str) -> str:
    """The figures page: targets met or not, a table per profile, the chart."""
    machine = figures["machine"]
    load = figures["load"]
    lines = [
        "# Load benchmark figures (`make bench`)",
        "",
        f"Measured on {figures['date']} on a machine with {machine['nproc']} CPU cores"
        f" (load average before the runs {machine['load_average'][0]:.2f},"
        f" after {machine['load_average_after'][0]:.2f}; the machine is shared, so other"
        " work may be in these figures). Written by `bot.benchmarks.replies`; the same"
        " figures are in `results/bench/figures.json`.",
        "",
        f"Each conversation sends the same {load['messages']} messages (none asks for a"
        " person); a run starts N conversations together, round after round. Without a"
        " pause, a customer sends the next message as soon as the answer arrives (the"
        " most a deployment can be asked); with one, each message comes after"
        f" {load['pause']} of reading and typing (seeded: seed {load['seed']}), the first"
        " one too. Latency is from sending a message to its answer; CPU is read from /proc"
        " per process and divided by the run's turns. Turns per second with a pause is the"
        " load the customers offered (at 50 conversations well under what the machine can"
        " do); without one it is the most the deployment answers. Tickets opened by load are handovers"
        " with the reason `assistant_unavailable`; the benchmark client's own CPU is not"
        " counted in CareDesk's.",
        "",
        "## Targets (issue 17, judged on `make run`'s default profile)",
        "",
        "| target | limit | measured | |",
        "|---|---|---|---|",
    ]
    for target in figures["targets"]:
        lines.append(f"| {target['name']} | {target['comparison']} "
                     f"{_number(target['limit'], target['unit'])} | "
                     f"{_number(target['value'], target['unit'])} | {verdict(target)} |")
    lines += ["", f"![p95 latency and turns per second against concurrent conversations]"
                  f"({chart_name})", ""]
    for name, profile in figures["profiles"].items():
        lines += [f"## Profile `{name}`", ""]
        if not profile["measured"]:
            lines += [f"{name} profile: not measured ({profile['why']}).", ""]
            continue
        lines += [profile["description"], ""] + _runs_table(profile["runs"]) + [""]
        agent = profile.get("agent_reply")
        if agent:
            lines += [f"An agent's reply reaching the customer's web chat (staff API to the"
                      f" customer's WebSocket): p50 {agent['p50_ms']:,} ms, p95"
                      f" {agent['p95_ms']:,} ms over {agent['replies']} replies.", ""]
    return "\n".join(lines)


def write_markdown(path: Path, figures: Mapping[str, Any], chart_name: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(figures, chart_name), encoding="utf-8")
