"""Replies offered to an agent for a ticket: canned responses that suit its reasons, and
the assistant's own answers for the topics the customer raised (from the domain, so the
agent and the bot say the same thing)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import yaml

from ground.envfile import PROJECT_ROOT

CANNED_FILE = Path(__file__).with_name("canned.yml")
DOMAIN_DIR = PROJECT_ROOT / "domain"

# intent → the domain response that answers it without data from the conversation
TOPIC_ANSWERS = {
    "ask_shipping": "utter_shipping_overview",
    "ask_payment_methods": "utter_payment_methods",
    "ask_opening_hours": "utter_opening_hours",
    "ask_contact_channels": "utter_contact_channels",
    "ask_plans": "utter_plans",
    "ask_free_trial": "utter_free_trial",
    "ask_warranty": "utter_warranty_general",
    "ask_return_policy": "utter_return_policy",
    "how_to_order": "utter_how_to_order",
}


@lru_cache(maxsize=1)
def canned_responses() -> List[Dict[str, Any]]:
    return list(yaml.safe_load(CANNED_FILE.read_text(encoding="utf-8")) or [])


@lru_cache(maxsize=1)
def domain_responses() -> Dict[str, str]:
    """Each response's first text, placeholders and all."""
    responses: Dict[str, str] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (content.get("responses") or {}).items():
            text = (variations or [{}])[0].get("text")
            if text:
                responses[name] = text
    return responses


def _filled(text: str, values: Mapping[str, str]) -> Optional[str]:
    """The text with its placeholders filled, or None when one needs the conversation."""
    try:
        return text.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


def suggestions(reasons: Sequence[str], intents: Sequence[Mapping[str, Any]],
                team_hours: Mapping[str, str]) -> List[Dict[str, str]]:
    """`team_hours` fills the replies that name the team's hours (handoff.team_hours.reply_hours)."""
    reasons = list(reasons)  # the ticket's, most urgent first

    def fit(item: Mapping[str, Any]) -> tuple:
        """The replies written for the ticket's most urgent reason first, the general ones
        after (on a crisis ticket the crisis reply came third, after "Greeting": a staff run)."""
        matched = [reasons.index(r) for r in item.get("reasons") or () if r in reasons]
        return (0, min(matched)) if matched else (1, 0)

    offered = [
        {"source": "canned", "title": item["title"], "text": item["text"]}
        for item in sorted(canned_responses(), key=fit)
        if not item.get("reasons") or set(item["reasons"]) & set(reasons)
    ]
    answers = domain_responses()
    for intent in dict.fromkeys(i.get("intent") for i in intents):
        response = TOPIC_ANSWERS.get(intent or "")
        text = _filled(answers[response], team_hours) if response in answers else None
        if text is not None:
            offered.append({"source": "assistant", "title": f"Bot answer: {intent.replace('_', ' ')}",
                            "text": text})
    return offered
