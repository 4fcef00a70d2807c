"""Typed text never reaches Rasa as a command, however it is spelled."""

from __future__ import annotations

import pytest

from bot.channels.rasa_gateway import COMMAND_KEY, message_text
from conversations.typed_text import as_typed_text, reads_as_command

# (typed, what Rasa reads instead)
VARIANTS = [
    ("/restart", "restart"),
    (" /restart", "restart"),
    ("\t/goodbye", "goodbye"),
    ("\n/restart", "restart"),
    ("\r\n/restart", "restart"),
    ("\u00a0/EXTERNAL_aftercare_nps", "EXTERNAL_aftercare_nps"),  # no-break space
    ("\u2003/restart", "restart"),  # em space
    ("\u3000/restart", "restart"),  # ideographic space
    ("\u2028/restart", "restart"),  # line separator
    ("\u200b/restart", "restart"),  # zero-width space
    ("\u200d\u200c/restart", "restart"),  # zero-width joiner and non-joiner
    ("\ufeff/restart", "restart"),  # byte order mark
    ("\u202e/restart", "restart"),  # right-to-left override
    ("\x00/restart", "restart"),
    ("//restart", "restart"),
    (" / /restart", "restart"),
    ("\u00a0\u200b /rate{\"rating\": \"1\"}", "rate{\"rating\": \"1\"}"),
    ("/", "?"),
    ("  ", "?"),
]


@pytest.mark.parametrize("typed,read", VARIANTS)
def test_no_spelling_of_a_command_survives(typed: str, read: str) -> None:
    assert as_typed_text(typed) == read
    assert not reads_as_command(as_typed_text(typed))


@pytest.mark.parametrize("typed", ["/restart", " /restart", "\t/goodbye", "\u00a0/x", "\u3000/x"])
def test_these_would_be_commands_to_rasa(typed: str) -> None:
    """Rasa strips Unicode whitespace itself, so each of these was a command before."""
    assert reads_as_command(typed)


@pytest.mark.parametrize("text", ["where is my order?", "50/50 chance it arrives", "a/b",
                                  "I paid £10 / month", "  spaced out  "])
def test_ordinary_text_keeps_its_words(text: str) -> None:
    assert as_typed_text(text) == text.strip()


def test_the_channel_passes_only_the_gateways_own_payloads() -> None:
    payload = "/EXTERNAL_aftercare_nps"
    assert message_text({"message": payload, "metadata": {COMMAND_KEY: True}}) == payload
    for metadata in ({}, {COMMAND_KEY: False}, {COMMAND_KEY: "true"}, {COMMAND_KEY: 1}, None, "x"):
        assert message_text({"message": " " + payload, "metadata": metadata}) == \
            "EXTERNAL_aftercare_nps"
