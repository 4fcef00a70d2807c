"""The one place that decides whether a model may replace the active one: not when its
intent macro-F1 on the held-out set is lower, nor when any story test that passes with the
active model fails with it. An admin may still activate a refused model, with a reason
(trainer.activation records it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from trainer.evaluation import Scores

# scores are stored rounded to four places; a difference below this is no difference
TOLERANCE = 0.00005


@dataclass(frozen=True)
class GateVerdict:
    passed: bool
    reasons: List[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"passed": self.passed, "reasons": self.reasons}


def judge(candidate: Scores, active: Optional[Scores]) -> GateVerdict:
    """Compares a candidate's scores with the active model's (measured on the same test
    set; the caller re-evaluates the active model when the test set changed)."""
    if active is None:
        return GateVerdict(True, ["no active model to compare with"])
    if candidate.test_set != active.test_set:
        raise ValueError("the two models were evaluated on different test sets")
    reasons = []
    if candidate.macro_f1 < active.macro_f1 - TOLERANCE:
        reasons.append(f"intent macro-F1 {candidate.macro_f1:.3f} is lower than the active "
                       f"model's {active.macro_f1:.3f}")
    newly_failing = sorted(set(candidate.stories_failed) - set(active.stories_failed))
    for story in newly_failing:
        reasons.append(f"story test fails (passes with the active model): {story}")
    return GateVerdict(not reasons, reasons)
