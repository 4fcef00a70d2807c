"""A requirement sheet as Markdown (for people: e-mail, tickets, wikis) and as JSON (for
the product and technical teams' systems). Customer words are escaped so that Markdown
renders them as text, never as links, images or HTML."""

from __future__ import annotations

import re
from typing import Any, Dict

from needs.extraction import FIELDS

SCHEMA = "caredesk.requirement.v1"
QUESTIONS = {
    "what": "What do they want?",
    "why": "Why: the problem to solve",
    "when": "When: deadline or go-live",
    "where": "Where: site, region or channel",
    "who": "Who: users, how many, decision maker",
    "how": "How: budget, integration, way of working",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_json(requirement: Dict[str, Any]) -> Dict[str, Any]:
    """The document the webhook posts and the JSON export returns."""
    return {"schema": SCHEMA, **requirement}


def to_markdown(requirement: Dict[str, Any]) -> str:
    lines = [f"# Requirement {requirement['reference']}", "",
             f"- Confirmed: {requirement['created_at']}",
             f"- Conversation: {requirement['conversation_id']} ({requirement['channel']})"]
    if requirement.get("customer_id") is not None:
        lines.append(f"- Customer: #{requirement['customer_id']}")
    lines.append("")
    for name in FIELDS:
        value = requirement["fields"].get(name)
        lines += [f"## {QUESTIONS[name]}", "",
                  escape_markdown(value) if value else "_Not known yet_", ""]
    if requirement.get("notes"):
        lines += ["## Added by the customer later", ""]
        lines += [f"- {note['created_at']}: {escape_markdown(note['text'])}" for note in requirement["notes"]]
        lines.append("")
    return "\n".join(lines)
