"""The frequent questions and the action that answers each (actions/faq.py and the domain's
responses answer them), and the account tasks and the form that starts each, kept apart from
the answers so that whatever offers or resumes a topic can name them without importing how
they are answered."""

from __future__ import annotations

from typing import Dict

# the frequent questions and the action that answers each, as data/rules/faq.yml has them
# (a test holds the two together): asked in the middle of something, they are answered at once
ANSWERED_BY: Dict[str, str] = {
    "ask_shipping": "action_shipping_info",
    "ask_payment_methods": "action_payment_methods",
    "ask_opening_hours": "action_opening_hours",
    "ask_contact_channels": "action_contact_channels",
    "ask_plans": "action_list_plans",
    "ask_free_trial": "action_free_trial",
    "ask_warranty": "action_warranty_info",
    "ask_product": "action_product_info",
    "ask_stock": "action_product_info",
    "ask_return_policy": "action_return_policy",
    "payment_problem": "action_payment_problem",
}

# the account tasks and the form each starts with, as data/rules/account.yml has them (a test
# holds the two together)
STARTED_BY: Dict[str, str] = {
    "reset_password": "password_reset_form",
    "newsletter_unsubscribe": "newsletter_unsubscribe_form",
    "update_contact_details": "contact_form",
}
