"""Which tier, skill or person a ticket goes to, from its reasons and the customer.

Tier 3: a VIP with an account manager goes to that manager, one to one (so does a VIP's
threat to leave: the person who owns the relationship keeps it). A business customer's
contract change goes to their account manager too when they have one, VIP or not: contract
terms are agreed by whoever owns the account, not by the queue.

Tier 2: risks that need an expert go by skill: fraud, account takeover and locked identity
checks to technical; safety and warranty claims (is the fault covered, repair or replace?)
to product; legal threats, billing disputes, disputes with
evidence (a signature or delivery photo that is not the customer's: operations deal with
the couriers' proof of delivery and the claim) and business contract changes without an
account manager (operations set invoice terms, bulk pricing and purchase orders) to
operations; erasure requests to operations too (closing an account and erasing its data is
a legal obligation with a deadline, open orders and refunds to finish and records the law
requires to be kept).

Everything else starts at tier 1, including a churn threat or repeated contact from a
customer without an account manager: the frontline can apologise, put it right and offer a
goodwill gesture, and those tickets are high priority so they are answered first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from handoff.escalation import Reason
from handoff.models import Skill

EXPERT_SKILL = {
    Reason.FRAUD: Skill.TECHNICAL,
    Reason.IDENTITY_LOCK: Skill.TECHNICAL,
    Reason.SAFETY: Skill.PRODUCT,
    Reason.WARRANTY_CLAIM: Skill.PRODUCT,
    # a new requirement (5W1H sheet) answered in the chat: what can be made, by when, at what cost
    Reason.REQUIREMENT: Skill.PRODUCT,
    Reason.LEGAL: Skill.OPERATIONS,
    Reason.BILLING: Skill.OPERATIONS,
    Reason.ERASURE_REQUEST: Skill.OPERATIONS,
    Reason.EVIDENCE: Skill.OPERATIONS,
    Reason.MISSING_PARCEL: Skill.OPERATIONS,  # a claim with the courier
    Reason.MISSING_ITEMS: Skill.OPERATIONS,  # the warehouse sends what is missing
    Reason.CANCELLATION_REGRETTED: Skill.OPERATIONS,  # stop the refund, put the order back
    Reason.BUSINESS: Skill.OPERATIONS,
    # a late customer's account and orders: closing, refunds and the estate's papers
    Reason.BEREAVEMENT: Skill.OPERATIONS,
}
# reasons that go to the customer's own account manager when they have one
MANAGED = frozenset({Reason.VIP, Reason.BUSINESS})
# the one tier whose queue is split by skill: a ticket routed there (by its reasons or by a
# transfer) names the skill, else every expert would see it and none would own it
SKILL_TIER = 2


@dataclass(frozen=True)
class Route:
    tier: int
    skill: Optional[str] = None
    assignee_id: Optional[int] = None


def route(reasons: Sequence[str], account_manager_id: Optional[int] = None) -> Route:
    if account_manager_id is not None and MANAGED & set(reasons):
        return Route(3, None, account_manager_id)
    for reason in sorted(reasons, key=lambda r: Reason.ORDER.index(r) if r in Reason.ORDER else 99):
        if reason in EXPERT_SKILL:
            return Route(SKILL_TIER, EXPERT_SKILL[reason])
    return Route(1)
