"""The conversation every benchmark sends: one customer's six messages, none of which asks
for a person (so any ticket a load run opens was opened by the load)."""

from typing import List

SCRIPT: List[str] = [
    "hello",
    "what are your opening hours?",
    "where is my order {order}?",
    "how much is delivery to france?",
    "which payment methods do you take?",
    "thanks, bye",
]


def order_number(conversation: int) -> str:
    """The order number the script's third message asks about, one per conversation."""
    return f"HG-9{conversation:05d}"
