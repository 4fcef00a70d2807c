"""The report as CSV: one row per figure (and one per item of each breakdown).

Every figure name starts with a fixed word (`intent[...]`, `escalations[...]`), so no
cell can start with `=`, `+`, `-` or `@` and be taken for a spreadsheet formula, whatever
an intent is called; values are numbers.
"""

from __future__ import annotations

import csv
import io
from typing import List, Optional

from reports.figures import (FIRST_RESPONSE_TARGET, NPS_TARGET, RESOLUTION_TARGET, Ratio,
                             ServiceReport)

COLUMNS = ["figure", "value", "unit", "target", "numerator", "denominator"]


def csv_rows(report: ServiceReport) -> List[List[str]]:
    rows = [
        _count("conversations", report.conversations),
        _ratio("containment", report.containment),
        _count("escalations", report.tickets),
        *(_count(f"escalations[{c.key}]", c.count) for c in report.escalations),
        _ratio("first_response_within_1h", report.first_response, FIRST_RESPONSE_TARGET),
        _ratio("resolution_within_72h", report.resolution, RESOLUTION_TARGET),
        ["csat_average", _value(report.csat_average), "score 1-5", "", "", str(report.ratings)],
        _ratio("csat_satisfied", report.csat_satisfied),
        *(_count(f"csat_score[{score}]", n) for score, n in sorted(report.csat_distribution.items())),
        ["nps", _value(report.nps), "points", _value(NPS_TARGET),
         str(report.nps_promoters - report.nps_detractors), str(report.nps_answers)],
        _count("nps_promoters", report.nps_promoters),
        _count("nps_passives", report.nps_answers - report.nps_promoters - report.nps_detractors),
        _count("nps_detractors", report.nps_detractors),
        _ratio("fallback_rate", report.fallback),
        *(_count(f"intent[{c.key}]", c.count) for c in report.top_intents),
        _count("needs_captured", report.needs),
        *(_count(f"needs_week[{c.key}]", c.count) for c in report.needs_per_week),
    ]
    return rows


def csv_text(report: ServiceReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_rows(report))
    return out.getvalue()


def _count(name: str, count: int) -> List[str]:
    return [name, str(count), "count", "", "", ""]


def _ratio(name: str, ratio: Ratio, target: Optional[float] = None) -> List[str]:
    return [name, _value(ratio.percent), "%", _value(target), str(ratio.numerator),
            str(ratio.denominator)]


def _value(value: Optional[float]) -> str:
    return "" if value is None else f"{value:g}"
