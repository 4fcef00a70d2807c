"""The order lookup left in words (bot/policies/order_lookup_exits.py,
actions/order_lookup_exits.py): the words, the policy on trackers, then the action."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered

from actions.order_lookup_exits import ActionLeaveOrderLookup, leaves_the_lookup
from bot.policies.order_lookup_exits import OrderLookupExitPolicy
from tests.bot.policies.written_predictions import predicted
from tests.conftest import make_tracker


@pytest.mark.parametrize("text, leaves", [
    # a customer run: each was taken as an answer, and the number asked again
    ("forget the order. how do i descale the aurora kettle?", True),
    ("I DON'T HAVE AN ORDER NUMBER. stop asking. just tell me how to descale it", True),
    ("I don't have the order number handy, I just want to know if limescale is normal", True),
    ("no I don't want to cancel anything! start over", True),
    ("never mind", True), ("No order number I'm afraid", True), ("I don't have the order number", True),
    # a later run: "I didn't see an email address or a postcode in that"
    ("leave it for now. how long have i got to change it before it ships?", True), ("ok leave it then", True),
    # an answer, or a question about the number, stays with the lookup
    ("HG-100002", False), ("where do I find the order number?", False), ("ben.okafor@example.com", False),
    ("it's in my email somewhere, hang on", False),
    ("leave it with the neighbour if im out, HG-100002", False),
])
def test_the_words_that_leave_the_lookup(text: str, leaves: bool) -> None:
    assert leaves_the_lookup(text) is leaves


@pytest.mark.parametrize("text", ["i dont have it, deleted the email. my name is Alice Morgan, alice.morgan@example.com",
                                  "haven't got one", "I don't have it", "lost the confirmation email sorry"])
def test_having_none_leaves_where_the_number_is_asked(text: str) -> None:
    # a customer run: the number was asked again twice, then the contact channels were given
    assert leaves_the_lookup(text, "order_number")
    assert not leaves_the_lookup(text, "order_verifier") and not leaves_the_lookup(text)


def _in_form(text: str, asked: str = "order_number", entities=None, loop: str = "order_form") -> List[Event]:
    return [ActionExecuted(loop), ActiveLoop(loop), SlotSet("requested_slot", asked),
            ActionExecuted("action_listen"), UserUttered(text, {"name": "nlu_fallback", "confidence": 0.5},
                                                          entities or [])]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(OrderLookupExitPolicy, tmp_path, domain, events)


def test_leaving_words_end_the_lookup_where_it_asks(tmp_path: Path, rasa_domain: Domain) -> None:
    said = "forget the order. how do i descale the aurora kettle?"
    assert _predicted(tmp_path, rasa_domain, _in_form(said)) == "action_leave_order_lookup"
    assert _predicted(tmp_path, rasa_domain, _in_form(said, asked="order_verifier")) == "action_leave_order_lookup"
    assert _predicted(tmp_path, rasa_domain, _in_form(said) + [ActionExecuted("action_leave_order_lookup")]) == \
        "action_listen"
    # read as a "no" or a "stop", the rules end the lookup; an order named, another form, or
    # no form: not this policy's
    no = _in_form("forget it")
    no[-1] = UserUttered("forget it", {"name": "deny", "confidence": 0.9})
    assert _predicted(tmp_path, rasa_domain, no) is None
    named = _in_form("never mind HG-100002", entities=[{"entity": "order_number", "value": "HG-100002"}])
    assert _predicted(tmp_path, rasa_domain, named) is None
    assert _predicted(tmp_path, rasa_domain, _in_form(said, loop="address_form")) is None
    assert _predicted(tmp_path, rasa_domain, [ActionExecuted("action_listen"),
                                              UserUttered(said, {"name": "nlu_fallback", "confidence": 0.5})]) is None


async def _left(text, domain, make_dispatcher, article=None, asked="order_number", task="return"):
    """The leaving action run on `text` said where the lookup asks `asked`: its dispatcher and events."""
    tracker = make_tracker({"order_task": task, "requested_slot": asked}, text=text,
                           intent="nlu_fallback", domain=domain, active_loop="order_form")
    if article is not None:
        tracker.latest_message["help_article"] = article
    dispatcher = make_dispatcher(tracker)
    events = await ActionLeaveOrderLookup().run(dispatcher, tracker, domain)
    return dispatcher, events


async def test_the_lookup_ends_and_a_question_asked_with_it_is_answered(domain, make_dispatcher) -> None:
    text = "forget the order. how do i descale the aurora kettle?"
    article = {"slug": "kitchen-appliance-care", "section": "Descaling the Aurora Kettle", "confident": True,
               "title": "Caring for your kettle, toaster and grinder", "score": 0.6, "passage": "(as read)"}
    dispatcher, events = await _left(text, domain, make_dispatcher, article)
    assert dispatcher.responses()[:2] == ["utter_order_lookup_left", "utter_help_article"]
    assert "descale" in dispatcher.messages[1]["help_passage"].lower()
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    assert ("order_task", None) in [(e.get("name"), e.get("value")) for e in events if e["event"] == "slot"]
    # nothing to answer: what they need is asked
    dispatcher, _ = await _left("start over", domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_order_lookup_left", "utter_order_lookup_left_what_else"]


@pytest.mark.parametrize("text", ["I don't have the order number", "No order number I'm afraid",
                                  "dont have my order number", "i dont have it, deleted the email",
                                  # a later run: the article on confirmation emails, no person offered
                                  "i dont have the order number, i deleted the email. can you look it up with "
                                  "my name?"])
async def test_no_order_number_is_told_where_to_find_it(text, domain, make_dispatcher) -> None:
    # a customer run: "I don't have the order number" got the warranty article's "your order
    # number is your proof of purchase", "No order number I'm afraid" got "What can I help you with?"
    article = {"slug": "warranty-claims", "section": "Proof of purchase", "confident": True,
               "title": "Making a warranty claim", "score": 0.5, "passage": "(as read)"}
    dispatcher, _ = await _left(text, domain, make_dispatcher, article, task="status")
    assert dispatcher.responses() == ["utter_order_lookup_left", "utter_where_order_number"]
    # asked for the proof instead, the number is no news: what they need is asked
    dispatcher, _ = await _left(text, domain, make_dispatcher, asked="order_verifier", task="status")
    assert dispatcher.responses() == ["utter_order_lookup_left", "utter_order_lookup_left_what_else"]


async def test_no_order_number_with_an_email_gets_the_order_numbers_sent_there(database_url, session, domain,
                                                                               make_dispatcher) -> None:
    """Customer runs: "i dont have the order number, can you use my email alice.morgan@…" (and
    "… can you look it up with my email ben.okafor@…?") were told where the number is: the
    account's order numbers go to its own address, said the same way whether it has one."""
    from sqlalchemy import select

    from company.models import OutboundEmail

    def sent_to(address: str) -> list:
        return session.execute(select(OutboundEmail).where(OutboundEmail.to_address == address,
                                                           OutboundEmail.template == "order_numbers")).scalars().all()

    said = {}
    for email in ("alice.morgan@example.com", "nobody.here@example.com"):
        text = f"i dont have the order number, can you use my email {email}"
        tracker = make_tracker({"order_task": "status", "requested_slot": "order_number"}, text=text,
                               intent="nlu_fallback", domain=domain, active_loop="order_form",
                               entities=[{"entity": "email", "value": email, "start": text.index(email),
                                          "end": len(text)}])
        dispatcher = make_dispatcher(tracker)
        await ActionLeaveOrderLookup().run(dispatcher, tracker, domain)
        said[email] = dispatcher.responses()
    assert said["alice.morgan@example.com"] == said["nobody.here@example.com"] == [
        "utter_order_lookup_left", "utter_order_numbers_sent"]
    [mail] = sent_to("alice.morgan@example.com")
    assert "HG-100001" in mail.body and "HG-100002" in mail.body and "HG-100003" not in mail.body
    assert sent_to("nobody.here@example.com") == []
    # the email given to the lookup before ("Thanks, I'll check that against the order … I still
    # need the order number itself"), then "i dont have it"
    tracker = make_tracker({"order_task": "status", "requested_slot": "order_number", "email": "ben.okafor@example.com"},
                           text="i dont have it", intent="nlu_fallback", domain=domain, active_loop="order_form")
    dispatcher = make_dispatcher(tracker)
    await ActionLeaveOrderLookup().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_lookup_left", "utter_order_numbers_sent"]
    assert dispatcher.messages[1]["masked_email"] == "be***@example.com" and len(sent_to("ben.okafor@example.com")) == 1
    # once per conversation: asked again there, the answer is the same and nothing more is sent
    sent = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_order_numbers_sent"}}
    tracker = make_tracker({"order_task": "status", "requested_slot": "order_number", "email": "ben.okafor@example.com"},
                           text="i dont have it", intent="nlu_fallback", domain=domain, active_loop="order_form",
                           events=[sent])
    dispatcher = make_dispatcher(tracker)
    await ActionLeaveOrderLookup().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_lookup_left", "utter_order_numbers_sent"]
    assert len(sent_to("ben.okafor@example.com")) == 1


async def test_a_cancellation_that_was_the_plans_leaves_with_how_to_end_it(database_url, domain,
                                                                           make_dispatcher) -> None:
    # a customer run: "not an order! the harbor club membership" where the order number was
    # asked got "That doesn't look like one of our order numbers" and the plans' prices
    assert leaves_the_lookup("not an order! the harbor club membership")
    dispatcher, events = await _left("not an order! the harbor club membership", domain, make_dispatcher,
                                     task="cancel")
    assert dispatcher.responses() == ["utter_order_lookup_left", "utter_plan_cancel"]
    assert ("order_task", None) in [(e.get("name"), e.get("value")) for e in events if e["event"] == "slot"]


@pytest.mark.parametrize("text", ["i dont have it, it was a present", "no order number, it was a gift from my gran"])
async def test_a_gift_s_recipient_without_the_number_is_told_who_has_it(text, domain, make_dispatcher) -> None:
    """Not "it's in the confirmation email we sent when you ordered": the sender ordered; nor
    the gift article's "return it with the gift receipt or the order number", with no way on."""
    article = {"slug": "gift-orders", "section": "Returns of a gift", "confident": True,
               "title": "Sending a gift", "score": 0.5, "passage": "(as read)"}
    dispatcher, _ = await _left(text, domain, make_dispatcher, article)
    assert dispatcher.responses() == ["utter_order_lookup_left", "utter_where_gift_order_number"]
