"""The escalation policy (bot/policies/escalation.py) where the proof of an order shows a
VIP: on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered

from bot.policies.escalation import EscalationPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess, StaffClient

TASKS = {"change_address": "change_address", "cancel_order": "cancel", "order_status": "status",
         "request_invoice": "invoice"}


def _proved(intent: str, vip_before: bool = False, vip_now: bool = True) -> List[Event]:
    """A task asked about an order, then the proof the order form checked."""
    return [ActionExecuted("action_listen"), SlotSet("customer_vip", vip_before),
            UserUttered("about HG-100005", {"name": intent, "confidence": 0.95}),
            SlotSet("order_task", TASKS[intent]), ActionExecuted("order_form"), ActiveLoop("order_form"),
            ActionExecuted("action_listen"), UserUttered("NW1 6XE", {"name": "inform", "confidence": 0.9}),
            ActionExecuted("order_form"), SlotSet("verified_order", "HG-100005"),
            SlotSet("customer_vip", vip_now), ActiveLoop(None)]


@pytest.mark.parametrize("intent", ["change_address", "cancel_order"])
def test_a_change_asked_before_the_proof_that_shows_a_vip_goes_to_a_person(
        tmp_path: Path, rasa_domain: Domain, intent: str) -> None:
    assert predicted(EscalationPolicy, tmp_path, rasa_domain, _proved(intent)) == "action_handoff"


@pytest.mark.parametrize("events", [
    _proved("order_status"),  # a lookup is answered for a VIP too
    _proved("change_address", vip_now=False),  # not a VIP
    # a VIP known before the message was decided at the message
    _proved("change_address", vip_before=True),
])
def test_a_lookup_or_a_customer_known_before_is_left_to_the_other_policies(
        tmp_path: Path, rasa_domain: Domain, events: List[Event]) -> None:
    assert predicted(EscalationPolicy, tmp_path, rasa_domain, events) is None


def test_a_vips_address_change_asked_before_the_proof_reaches_their_account_manager(
        product: RunningProcess) -> None:
    """A customer run: a VIP's address change asked before the proof was made by the
    assistant (the VIP flag is known only once the order is proved); asked after it, the
    change went to the account manager. Both now go to the account manager, and nothing
    changes on the order until a person makes it."""
    customer = CustomerClient(product.gateway_url)
    assert "postcode of order HG-100005" in customer.say("I need to change the delivery address of order HG-100005")
    said = customer.say("NW1 6XE")
    assert "passing you to a person" in said and "new delivery address" not in said, said
    ticket = StaffClient.admin(product.gateway_url).ticket_of(customer.id)
    assert ticket["reasons"] == ["vip"], ticket
    assert "HG-100005" in ticket["summary"], ticket
    assert customer.transcript()["state"] == "queued"


def _rated(text: str, intent: str, score: float, risks: List[str]) -> List[Event]:
    """The rating question, then the customer's answer with its feeling and risks."""
    parse = {"intent": {"name": intent, "confidence": 0.8}, "entities": [], "text": text,
             "emotion": {"score": score, "risks": risks}}
    return [ActionExecuted("action_offer_rating"),
            BotUttered("How would you rate the help you got today?", metadata={"utter_action": "utter_ask_rating"}),
            ActionExecuted("action_listen"), UserUttered(text, parse["intent"], [], parse_data=parse)]


def test_a_low_score_said_angrily_is_left_to_the_score(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "2 because the parcel is late" went to a person as a complaint and the
    rating was never recorded; the score's own follow-up brings a person to a low one."""
    events = _rated("2 because the parcel is late", "complaint", -0.7, [])
    assert predicted(EscalationPolicy, tmp_path, rasa_domain, events) is None
    # not after another question, and not what only a person can take (a legal threat)
    elsewhere = events[:1] + [BotUttered("Anything else?", metadata={"utter_action": "utter_anything_else"})] + events[2:]
    assert predicted(EscalationPolicy, tmp_path, rasa_domain, elsewhere) == "action_handoff"
    legal = _rated("1, you will hear from my lawyer", "complaint", -0.7, ["legal_threat"])
    assert predicted(EscalationPolicy, tmp_path, rasa_domain, legal) == "action_handoff"
    # a review: distress, and an NPS score (no follow-up ticket of its own), decide as before
    distress = _rated("1. I cannot cope with this anymore, I am in tears every day over this", "complaint", -0.9, [])
    assert predicted(EscalationPolicy, tmp_path, rasa_domain, distress) == "action_handoff"
    nps = _rated("0. Disgraceful service. Formal complaint incoming.", "complaint", -0.7, [])
    nps[1] = BotUttered("How likely are you to recommend us?", metadata={"utter_action": "utter_ask_nps"})
    assert predicted(EscalationPolicy, tmp_path, rasa_domain, nps) == "action_handoff"
