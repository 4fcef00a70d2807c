"""What a ticket tells its agent, gathered so that nobody asks the customer twice.

From the assistant's tracker: the intents seen with their confidence, the entities and
slots collected, the sentiment of each customer message (the trajectory), what the bot
already answered or tried, and the 5W1H needs captured so far; from the company's data:
the customer's profile and open orders. `summary` writes these facts as two or three
plain sentences for the top of the ticket.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from company.models import Customer, Order, OrderStatus
from handoff.escalation import user_turns

# slots worth showing an agent (the rest are the assistant's bookkeeping)
CONTEXT_SLOTS = ("order_number", "verified_order", "email", "postcode", "product",
                 "new_address", "return_reason", "country")
NEED_FIELDS = ("why", "what", "when", "where", "who", "how")
OPEN_STATUSES = (OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.SHIPPED)
MAX_ANSWERS = 12


def customer_profile(session: Session, customer_id: Optional[int]) -> Dict[str, Any]:
    if customer_id is None:
        return {"known": False}
    customer = session.get(Customer, customer_id)
    if customer is None:
        return {"known": False}
    open_orders = session.execute(
        select(Order.number, Order.status)
        .where(Order.customer_id == customer.id, Order.status.in_(OPEN_STATUSES))
        .order_by(Order.number)
    ).all()
    return {
        "known": True, "id": customer.id, "name": customer.name, "email": customer.email,
        "phone": customer.phone, "tier": customer.tier, "vip": customer.is_vip,
        "yearly_spend": f"£{customer.yearly_spend_pence / 100:,.2f}",
        "open_orders": [{"number": number, "status": status} for number, status in open_orders],
    }


def tracker_context(
    events: Sequence[Mapping[str, Any]], slots: Mapping[str, Any]
) -> Dict[str, Any]:
    """The assistant's side of the story, from a tracker's events (as dicts)."""
    turns = user_turns(events)
    intents = [{"intent": t.intent, "confidence": round(t.confidence, 3)} for t in turns]
    sentiment = [round(t.sentiment, 3) for t in turns]
    entities: List[Dict[str, Any]] = []
    answers: List[str] = []
    for event in events:
        if event.get("event") == "user":
            for entity in (event.get("parse_data") or {}).get("entities") or []:
                item = {"entity": entity.get("entity"), "value": entity.get("value")}
                if item not in entities:
                    entities.append(item)
        elif event.get("event") == "bot" and event.get("text"):
            answers.append(str(event["text"]))
    return {
        "intents": intents,
        "sentiment": sentiment,
        "entities": entities,
        "slots": {name: slots[name] for name in CONTEXT_SLOTS if slots.get(name) not in (None, "")},
        "needs": {field: slots.get(f"need_{field}") for field in NEED_FIELDS},
        "bot_answers": answers[-MAX_ANSWERS:],
    }


def summary(reason_labels: Iterable[str], profile: Mapping[str, Any],
            context: Mapping[str, Any]) -> str:
    """Two or three sentences an agent reads first."""
    who = profile.get("name") if profile.get("known") else "An unidentified customer"
    if profile.get("vip"):
        who += " (VIP)"
    intents = [i["intent"] for i in context.get("intents") or [] if i.get("intent")]
    topics = ", ".join(dict.fromkeys(i.replace("_", " ") for i in intents)) or "nothing the bot recognised"
    parts = [f"{who} was handed over: {', '.join(reason_labels)}.", f"Topics: {topics}."]
    slots = context.get("slots") or {}
    if slots:
        parts.append("Known: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in slots.items()) + ".")
    trajectory = context.get("sentiment") or []
    if trajectory:
        parts.append(f"Mood went from {trajectory[0]:+.2f} to {trajectory[-1]:+.2f}.")
    return " ".join(parts)
