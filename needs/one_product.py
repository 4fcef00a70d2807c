"""A "need" that is one of the shop's products for the customer themself: "I need a new chair
for my home office, my back is killing me" started the 5W1H interview for a business request,
which asked what problem it should solve and when it should go live, and "do you even sell
chairs?" inside it went unanswered (a customer run). The shop sells the Atlas Office Chair: the
product's answer is what such a customer needs (bot/policies/one_product.py). Not a business's
order (quantities, staff, a company) nor custom work: those are the interview's.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

# a buyer for a business, or more than a person buys for themself
_FOR_A_BUSINESS = re.compile(
    r"\b(?:we|we'?re|we'?ve|our|ours|us|company|business|firm|organisation|organization|charity|school|nursery"
    r"|staff|team|employees|colleagues|clients|customers|guests|members|bulk|wholesale|trade|custom|bespoke"
    r"|branded|logo|engrav\w*|personalis\w*|personaliz\w*|quote|tender|contract|install\w*|set\s*up|fit\s*out"
    r"|dozen|dozens|several|multiple|hundreds?|thousands?|lots\s+of|a\s+few|every|each|all\s+the)\b"
    r"|\b(?:[3-9]|\d{2,})\b", re.IGNORECASE)


def wants_one_product(text: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the words ask for one product the NLU found (`entities`), for the customer
    themself: no business, no quantity beyond a pair, no other product named beside it."""
    products = {str(e.get("value") or "").lower() for e in entities if e.get("entity") == "product"}
    return len(products) == 1 and _FOR_A_BUSINESS.search(text or "") is None
