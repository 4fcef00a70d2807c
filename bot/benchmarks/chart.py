"""The chart of `make bench`: p95 latency and turns per second against concurrent
conversations, one line per load (the gateway without a pause, the gateway with one, and
plain Rasa without a pause for comparison; the scaled profile's gateway lines beside), with
the targets as dotted lines.

An SVG that diffs: its text stays text, matplotlib's ids come from a fixed salt, and no
date is written, so the same figures give the same file byte for byte. Each line is an
SVG group whose id names its series (`series-gateway-no-pause`, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Mapping, Optional, Sequence, Tuple

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

Run = Mapping[str, Any]
# (series id, label, which runs, line style)
SERIES: Tuple[Tuple[str, str, str, bool, str], ...] = (
    ("series-gateway-no-pause", "gateway, no pause", "gateway", False, "-"),
    ("series-gateway-pause", "gateway, with pause", "gateway", True, "-"),
    ("series-plain-rasa-no-pause", "plain Rasa, no pause", "plain Rasa", False, "--"),
)
# the scaled profile's gateway lines, beside the single profile's (its plain Rasa is not drawn)
SCALED_SERIES: Tuple[Tuple[str, str, str, bool, str], ...] = (
    ("series-scaled-gateway-no-pause", "scaled: gateway, no pause", "gateway", False, "-."),
    ("series-scaled-gateway-pause", "scaled: gateway, with pause", "gateway", True, "-."),
)
RC = {"svg.hashsalt": "caredesk-bench", "svg.fonttype": "none", "font.size": 9.0}


def _points(runs: Sequence[Run], target: str, paused: bool, figure: str
            ) -> Tuple[List[int], List[float]]:
    chosen = sorted((run for run in runs if run["target"] == target and run["paused"] == paused),
                    key=lambda run: run["concurrency"])
    return [run["concurrency"] for run in chosen], [float(run[figure]) for run in chosen]


def write_chart(path: Path, runs: Sequence[Run], pause_label: str,
                p95_target_ms: Optional[float] = None,
                turns_target: Optional[float] = None,
                scaled_runs: Sequence[Run] = ()) -> None:
    """Draws p95 (seconds) and turns per second against concurrency into `path` (SVG, or
    a PNG when the name ends in .png); `scaled_runs`, the scaled profile's, beside."""
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(9.0, 3.6))
        FigureCanvasSVG(figure)
        latency, throughput = figure.subplots(1, 2)
        drawn = [(series, runs) for series in SERIES]
        drawn += [(series, scaled_runs) for series in SCALED_SERIES]
        for (gid, label, target, paused, style), runs_of in drawn:
            if paused:
                label = f"{label} ({pause_label})"
            x, p95 = _points(runs_of, target, paused, "p95_ms")
            if not x:
                continue
            line, = latency.plot(x, [ms / 1000 for ms in p95], style, marker="o", label=label)
            line.set_gid(gid)
            x, rate = _points(runs_of, target, paused, "turns_per_second")
            line, = throughput.plot(x, rate, style, marker="o", label=label,
                                    color=line.get_color())
            line.set_gid(f"{gid}-rate")
        if p95_target_ms is not None:
            latency.axhline(p95_target_ms / 1000, color="grey", linestyle=":", linewidth=1,
                            label=f"target with pause: p95 < {p95_target_ms / 1000:g} s")
        if turns_target is not None:
            throughput.axhline(turns_target, color="grey", linestyle=":", linewidth=1,
                               label=f"target: >= {turns_target:g} turns/s")
        concurrencies = sorted({run["concurrency"] for run in [*runs, *scaled_runs]})
        for axes, title, unit in ((latency, "p95 reply latency", "seconds"),
                                  (throughput, "throughput", "turns per second")):
            axes.set_title(title)
            axes.set_xlabel("concurrent conversations")
            axes.set_ylabel(unit)
            axes.set_xticks(concurrencies)
            axes.set_ylim(bottom=0)
            axes.grid(True, linewidth=0.3)
            axes.legend(fontsize=7, loc="best")
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".svg":
            figure.savefig(path, format="svg", metadata={"Date": None})
        else:  # a picture to look at (PNG), not committed
            figure.savefig(path, dpi=110)
