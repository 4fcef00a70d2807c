"""Whether a reply of the assistant waits for the customer's answer: read by the channel that
offers a task put off once the first is over (bot/channels/second_requests.py), by the queue's
quick questions (bot/channels/queued_questions.py) and by the task gone on with after the
queue (actions/carrying_on.py), so the three agree on what "still asking" means."""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence

# "anything else?" ends a task: nothing in particular is asked
_ANYTHING_ELSE = re.compile(r"\banything else\b[^?]*\?$", re.IGNORECASE)


def waits_for_an_answer(text: Optional[str], buttons: Optional[Sequence[Any]]) -> bool:
    """Buttons, or a question other than "anything else?"."""
    said = (text or "").strip()
    return bool(buttons) or (said.endswith("?") and _ANYTHING_ELSE.search(said) is None)
