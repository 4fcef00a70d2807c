"""The topic of a resolved case, for the day-7 usage guide: read from the intents the
ticket's context carries (the customer's own words before the handoff), latest first."""

from __future__ import annotations

from typing import Any, Mapping

GENERAL = "general"
TOPIC_OF_INTENT = {
    "order_status": "orders", "change_address": "orders", "cancel_order": "orders",
    "ask_shipping": "orders", "how_to_order": "orders", "ask_cancellation_fees": "orders",
    "ask_product": "orders", "ask_stock": "orders",
    "start_return": "returns", "ask_return_policy": "returns", "ask_warranty": "returns",
    "refund_status": "returns",
    "reset_password": "account", "update_contact_details": "account",
    "create_account": "account", "signup_problem": "account", "switch_account": "account",
    "close_account": "account", "newsletter_subscribe": "account",
    "newsletter_unsubscribe": "account",
    "ask_plans": "plans", "ask_free_trial": "plans",
    "request_invoice": "payments", "ask_payment_methods": "payments",
}
TOPICS = frozenset(TOPIC_OF_INTENT.values()) | {GENERAL}


def topic_of(context: Mapping[str, Any]) -> str:
    """One of TOPICS: the most recent intent of the case that names a topic."""
    for item in reversed(list((context or {}).get("intents") or [])):
        topic = TOPIC_OF_INTENT.get((item or {}).get("intent") or "")
        if topic:
            return topic
    return GENERAL
