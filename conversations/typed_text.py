"""Typed text is text: nothing a customer types may reach Rasa as a command.

Rasa reads a message that starts with "/" (after Python's `str.strip`) as an intent with
entities, not as words: "/restart" would restart the conversation, "/rate{...}" would
claim a rating. Only the gateway's own payloads may do that (a button the assistant
offered, an aftercare trigger). Everything a customer typed goes through `as_typed_text`,
once in the gateway and again in Rasa's gateway channel, so that no spelling of a command
(behind spaces, tabs, line breaks, no-break spaces, zero-width or other invisible
characters, several slashes) survives.
"""

from __future__ import annotations

import unicodedata

COMMAND_PREFIX = "/"
# what can stand before the "/" without being seen: control and format characters
# (zero-width space and joiners, BOM, bidi marks), every kind of space and line separator
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
EMPTY = "?"


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in _INVISIBLE


def as_typed_text(text: str) -> str:
    """`text` without the leading invisible characters and slashes that would make Rasa
    read it as a command; the rest of the words are kept as written."""
    start = 0
    while start < len(text) and (_invisible(text[start]) or text[start] == COMMAND_PREFIX):
        start += 1
    kept = text[start:].rstrip()
    return kept or EMPTY


def reads_as_command(text: str) -> bool:
    """Whether Rasa would read `text` as a command (an intent payload)."""
    return text.strip().startswith(COMMAND_PREFIX)
