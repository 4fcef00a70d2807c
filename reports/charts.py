"""The report's charts as standalone SVG, drawn on the server in pure Python.

Horizontal bars (long labels such as intent names fit), values printed beside each bar,
and where the service plan sets one, a dashed target mark on the bar's row. Every label is
XML-escaped; labels are intent names, reason labels and dates, never customer text. The
page shows each chart as an `<img>` from a data: URL, so no chart is ever parsed as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence
from xml.sax.saxutils import escape, quoteattr

from reports.figures import FIRST_RESPONSE_TARGET, NPS_TARGET, RESOLUTION_TARGET, ServiceReport

WIDTH = 600
LABEL_WIDTH = 200
PLOT_WIDTH = 320
ROW = 26
BAR = 16
TOP = 40
BOTTOM = 14
MAX_LABEL = 30
BAR_COLOUR = "#2f6db5"
TARGET_COLOUR = "#c0392b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: Optional[float] = None
    text: Optional[str] = None  # printed beside the bar; the value when None


def bar_chart(title: str, bars: Sequence[Bar], scale: Optional[float] = None) -> str:
    """An SVG document: one row per bar, lengths proportional to value / scale (the largest
    value when no scale is given); negative values draw no bar."""
    if not bars:
        return _document(title, 80, [_text(LABEL_WIDTH, TOP + 14, "No data in this range.",
                                           fill="#666")])
    top = scale or max([b.value for b in bars] + [b.target or 0 for b in bars]) or 1.0
    parts: List[str] = []
    for row, bar in enumerate(bars):
        y = TOP + row * ROW
        length = max(0.0, min(bar.value, top)) / top * PLOT_WIDTH
        label = bar.label if len(bar.label) <= MAX_LABEL else bar.label[:MAX_LABEL - 1] + "…"
        parts.append(_text(LABEL_WIDTH - 8, y + BAR - 4, label, anchor="end"))
        parts.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length:.2f}" '
                     f'height="{BAR}" fill="{BAR_COLOUR}"><title>{escape(bar.label)}: '
                     f'{escape(bar.text or _number(bar.value))}</title></rect>')
        parts.append(_text(LABEL_WIDTH + length + 6, y + BAR - 4, bar.text or _number(bar.value)))
        if bar.target is not None:
            x = LABEL_WIDTH + min(bar.target, top) / top * PLOT_WIDTH
            parts.append(f'<line class="target" x1="{x:.2f}" x2="{x:.2f}" y1="{y - 3}" '
                         f'y2="{y + BAR + 3}" stroke="{TARGET_COLOUR}" stroke-width="2" '
                         f'stroke-dasharray="3 2"><title>target {_number(bar.target)}</title></line>')
    if any(b.target is not None for b in bars):
        parts.append(f'<line x1="{WIDTH - 90}" x2="{WIDTH - 90}" y1="12" y2="24" '
                     f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="3 2"/>')
        parts.append(_text(WIDTH - 84, 22, "target"))
    return _document(title, TOP + len(bars) * ROW + BOTTOM, parts)


def _document(title: str, height: int, parts: List[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={quoteattr(title)} '
            f'font-family="sans-serif" font-size="12">'
            f'<title>{escape(title)}</title>'
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
            f'{_text(8, 22, title, weight="bold", size=14)}'
            + "".join(parts) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = "#222",
          weight: str = "normal", size: int = 12) -> str:
    return (f'<text x="{x:.2f}" y="{y}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}" font-size="{size}">{escape(text)}</text>')


def _number(value: float) -> str:
    return f"{value:g}"


def _percent(value: Optional[float], detail: str) -> str:
    return "n/a" if value is None else f"{value:g}% ({detail})"


def report_charts(report: ServiceReport) -> Dict[str, str]:
    """Every chart of the report page, by name."""
    first, resolution, contained = report.first_response, report.resolution, report.containment
    targets = [
        Bar("Contained by the bot", contained.percent or 0.0,
            text=_percent(contained.percent, f"{contained.numerator}/{contained.denominator}")),
        Bar("First response within 1 h", first.percent or 0.0, FIRST_RESPONSE_TARGET,
            _percent(first.percent, f"{first.numerator}/{first.denominator}")),
        Bar("Resolved within 72 h", resolution.percent or 0.0, RESOLUTION_TARGET,
            _percent(resolution.percent, f"{resolution.numerator}/{resolution.denominator}")),
        Bar("NPS", report.nps or 0.0, NPS_TARGET,
            "n/a" if report.nps is None else f"{report.nps:g} ({report.nps_answers} answers)"),
    ]
    return {
        "targets": bar_chart("Against the plan's targets (%; NPS in points)", targets, 100.0),
        "escalations": bar_chart("Escalations by reason",
                                 [Bar(c.label, c.count) for c in report.escalations]),
        "csat": bar_chart("CSAT: ratings 1-5",
                          [Bar(f"{score} ★", n) for score, n in sorted(
                              report.csat_distribution.items(), reverse=True)]
                          if report.ratings else []),
        "nps": bar_chart("NPS answers 0-10",
                         [Bar(str(score), n) for score, n in sorted(
                             report.nps_scores.items(), reverse=True)]
                         if report.nps_answers else []),
        "intents": bar_chart("Top intents", [Bar(c.label, c.count) for c in report.top_intents]),
        "needs": bar_chart("Needs captured per week",
                           [Bar(c.label, c.count) for c in report.needs_per_week]),
    }
