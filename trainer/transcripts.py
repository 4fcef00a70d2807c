"""The conversation a reviewed message came from, as a trainer sees it: every message's text
and buttons with personal data replaced by the training data's placeholder values
(trainer.masking.conceal), the bot's and agents' as well as the customer's, since replies
repeat order numbers and e-mail addresses."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

from trainer.masking import conceal


def shown_message(message: Dict[str, Any], root: Path) -> Dict[str, Any]:
    """One message of the gateway's public form (MessageRecord.to_json), concealed."""
    def hidden(value: Any) -> Any:
        return conceal(value, root).text if isinstance(value, str) else value

    return {**message, "text": hidden(message.get("text")),
            "buttons": [{key: hidden(value) for key, value in button.items()}
                        for button in message.get("buttons") or []]}


def shown_transcript(messages: List[Dict[str, Any]], root: Path) -> List[Dict[str, Any]]:
    return [shown_message(message, root) for message in messages]
