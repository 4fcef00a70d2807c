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


# wanting one: "I need a new chair", "looking for a lamp", not "my desk chair keeps sinking down"
# (a fault, the help centre's)
_WANTING = re.compile(r"\b(?:need|needs|needing|want|wanting|wanna|looking\s+for|look\s+for|after|buy|buying"
                      r"|get\s+(?:a|an|one|me)|recommend|suggest)\b", re.IGNORECASE)


# one the customer has, to be put right: "i need my chair fixed, it keeps sinking"
_PUT_RIGHT = re.compile(r"\b(?:fix\w*|repair\w*|broken|broke|faulty|replac\w*|return\w*|refund\w*|warranty)\b",
                        re.IGNORECASE)


def _owned(text: str, product: str) -> bool:
    """Whether the words speak of the customer's own one ("my desk chair")."""
    return re.search(r"\b(?:my|mine|our)\s+(?:[\w-]+\s+){0,2}" + re.escape(product) + r"\b", text,
                     re.IGNORECASE) is not None


def wants_one_product(text: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the words ask for one product the NLU found (`entities`), for the customer
    themself: words of wanting, no business, no quantity beyond a pair, no other product named
    beside it, nor one of the customer's own to put right (a fault told in other words is the
    policy's to rule out)."""
    products = {str(e.get("value") or "").lower() for e in entities if e.get("entity") == "product"}
    return (len(products) == 1 and _WANTING.search(text or "") is not None
            and _FOR_A_BUSINESS.search(text or "") is None and _PUT_RIGHT.search(text or "") is None
            and not _owned(text or "", next(iter(products))))
