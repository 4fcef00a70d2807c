"""The account forms left in words (bot/policies/account_form_exits.py,
actions/account_form_exits.py): the words, the policy on trackers, then the action."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered

from actions.account_form_exits import ActionLeaveAccountForm, leaves_the_form, wants_off_the_list
from bot.policies.account_form_exits import AccountFormExitPolicy
from tests.bot.policies.written_predictions import predicted
from tests.conftest import make_tracker


@pytest.mark.parametrize("text, leaves", [
    # a customer run: each was taken as the address asked for ("That doesn't look like an email
    # address"), and "cancel" started an order's cancellation
    ("never mind, don't unsubscribe me", True), ("cancel", True), ("ok stop", True),
    ("i dont want to unsubscribe after all", True), ("forget it", True),
    # an answer, or a question, stays with the form
    ("alice.morgan@example.com", False), ("the one you keep spamming lol. alice.morgan@example.com", False),
    ("which email do you mean?", False), ("cancel my order", False),
])
def test_the_words_that_leave_an_account_form(text: str, leaves: bool) -> None:
    assert leaves_the_form(text) is leaves


@pytest.mark.parametrize("text, off", [
    ("NO. take me OFF it", True), ("i want to unsubscribe, not subscribe", True), ("stop sending them", True),
    ("no thanks", False), ("don't unsubscribe me", False), ("alice.morgan@example.com", False),
])
def test_wanting_off_the_list_where_the_sign_up_asks(text: str, off: bool) -> None:
    assert wants_off_the_list(text) is off


def _in_form(text: str, loop: str, intent: str = "nlu_fallback") -> List[Event]:
    return [ActionExecuted(loop), ActiveLoop(loop), SlotSet("requested_slot", "account_email"),
            ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": 0.6})]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(AccountFormExitPolicy, tmp_path, domain, events)


def test_leaving_words_end_the_account_forms(tmp_path: Path, rasa_domain: Domain) -> None:
    for loop in ("newsletter_unsubscribe_form", "newsletter_form", "password_reset_form", "erasure_form"):
        assert _predicted(tmp_path, rasa_domain, _in_form("never mind, don't unsubscribe me", loop)) == \
            "action_leave_account_form", loop
        assert _predicted(tmp_path, rasa_domain, _in_form("cancel", loop, "cancel_order")) == \
            "action_leave_account_form", loop
    # the sign-up asked, wanting off the list, even read as a "no"
    assert _predicted(tmp_path, rasa_domain, _in_form("NO. take me OFF it", "newsletter_form", "deny")) == \
        "action_leave_account_form"
    # read as a "no", the rules leave the form; an answer, another form, or no form: not this policy's
    assert _predicted(tmp_path, rasa_domain, _in_form("never mind", "newsletter_form", "deny")) is None
    assert _predicted(tmp_path, rasa_domain, _in_form("alice.morgan@example.com", "newsletter_form")) is None
    assert _predicted(tmp_path, rasa_domain, _in_form("NO. take me OFF it", "newsletter_unsubscribe_form")) is None
    assert _predicted(tmp_path, rasa_domain, _in_form("never mind", "order_form")) is None
    assert _predicted(tmp_path, rasa_domain, [ActionExecuted("action_listen"),
                                              UserUttered("cancel", {"name": "cancel_order", "confidence": 0.9})]) is None


async def test_the_action_ends_the_form_or_stops_the_newsletter_instead(domain, make_dispatcher) -> None:
    left = make_tracker({"account_email": "x"}, text="never mind, don't unsubscribe me", intent="nlu_fallback",
                        active_loop="newsletter_unsubscribe_form", domain=domain)
    dispatcher = make_dispatcher(left)
    events = await ActionLeaveAccountForm().run(dispatcher, left, domain)
    assert dispatcher.responses() == ["utter_ok_anything_else"]
    assert events[0] == {"event": "active_loop", "timestamp": None, "name": None}
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["account_email"] is None
    switched = make_tracker(text="NO. take me OFF it", intent="deny", active_loop="newsletter_form", domain=domain)
    dispatcher = make_dispatcher(switched)
    events = await ActionLeaveAccountForm().run(dispatcher, switched, domain)
    assert dispatcher.responses() == ["utter_newsletter_not_signed_up"]
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "newsletter_unsubscribe_form"}
