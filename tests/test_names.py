""""Follow-up" means one thing: a ticket linked to an earlier one (`follow_up_of`). The
messages sent 3, 7 and 30 days after a resolved case are the aftercare messages
(docs/architecture.md, "Names"); no new code or domain name calls them follow-ups again."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# the ticket meaning: a follow-up ticket and the domain responses that announce one
TICKET_NAMES = ("follow_up_of", "follow_up_ticket", "utter_rating_follow_up",
                "utter_rating_comment_follow_up")


def means_a_ticket(name: str) -> bool:
    return any(ticket in name for ticket in TICKET_NAMES)


def defined_names(path: Path) -> Iterator[str]:
    """Classes, functions, arguments and assigned names a module defines."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name
        elif isinstance(node, ast.arg):
            yield node.arg
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            yield node.attr


def test_the_aftercare_code_defines_no_follow_up_names() -> None:
    found = {f"{path.relative_to(PROJECT_ROOT)}: {name}"
             for path in sorted((PROJECT_ROOT / "feedback").glob("*.py"))
             + [PROJECT_ROOT / "actions" / "aftercare.py", PROJECT_ROOT / "actions" / "nps.py"]
             for name in defined_names(path)
             if "followup" in name.lower().replace("_", "") and not means_a_ticket(name)}
    assert not found


def test_the_domain_names_no_follow_ups_but_tickets() -> None:
    found = set()
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names = [*domain.get("intents", []), *domain.get("entities", []), *domain.get("actions", []),
                 *domain.get("slots", {}), *domain.get("responses", {})]
        found |= {f"{path.name}: {name}" for name in names
                  if isinstance(name, str) and "follow" in name.lower() and not means_a_ticket(name)}
    assert not found
