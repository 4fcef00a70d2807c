"""A sheet as Markdown and JSON: every field, and customer words kept as text."""

from __future__ import annotations

import re

from needs.export import escape_markdown, to_json, to_markdown

REQUIREMENT = {
    "id": 7, "reference": "REQ-00007", "conversation_id": "c1", "customer_id": 3,
    "channel": "telegram", "created_at": "2026-11-27T10:00:00Z", "details": {},
    "fields": {"what": "40 *bold* lamps [click](http://evil.example)", "why": "<img src=x onerror=alert(1)>",
               "when": "by March", "where": "Leeds", "who": None, "how": "budget £2,000"},
}


def test_markdown_has_every_question_and_escapes_customer_words() -> None:
    text = to_markdown(REQUIREMENT)
    assert text.startswith("# Requirement REQ-00007")
    for heading in ("## What", "## Why", "## When", "## Where", "## Who", "## How"):
        assert heading in text
    assert "_Not known yet_" in text  # who
    assert r"40 \*bold\* lamps \[click\]\(http://evil\.example\)" in text
    assert not re.search(r"(?<!\\)[<>\[\]*]", text)  # nothing unescaped Markdown would act on
    assert r"\<img src=x onerror=alert\(1\)\>" in text
    assert "Customer: #3" in text and "telegram" in text


def test_json_carries_a_schema_name() -> None:
    document = to_json(REQUIREMENT)
    assert document["schema"] == "caredesk.requirement.v1"
    assert document["fields"]["who"] is None and document["reference"] == "REQ-00007"


def test_escaping_collapses_whitespace() -> None:
    assert escape_markdown("a\n\n# b") == r"a \# b"
