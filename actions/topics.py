"""Which intents are topics a customer can be offered (a question the shop answers), as
opposed to answers, small talk and the fallbacks; shared by the clarification
(actions/fallback.py) and the help centre (actions/help_centre.py)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from handoff.escalation import FAILED_INTENTS

NOT_TOPIC_INTENTS = FAILED_INTENTS | {"affirm", "deny", "inform", "greet", "goodbye",
                                      "thanks", "bot_challenge", "rate"}


def best_topic_confidence(intent_ranking: Sequence[Mapping[str, Any]]) -> float:
    """The classifier's confidence in the likeliest topic of a ranking (0 when none)."""
    return max((float(ranked.get("confidence") or 0.0) for ranked in intent_ranking
                if ranked.get("name") and ranked["name"] not in NOT_TOPIC_INTENTS), default=0.0)
