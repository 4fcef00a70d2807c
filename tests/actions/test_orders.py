"""Order identification, status, cancellation and invoices against a real SQLite database."""

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.orders import (
    ActionCancelReply,
    ActionCheckCancellation,
    ActionOrderStatus,
    ActionSendInvoice,
    ValidateOrderForm,
)
from actions.verification import LOCKED, MAX_FAILED_CHECKS, VERIFIED
from company.models import Order, OrderStatus, OutboundEmail
from company.orders import find_order
from tests.conftest import make_tracker, user_said

VERIFIED_SLOTS = {"order_number": "HG-100001", "order_verifier": VERIFIED, "verified_order": "HG-100001"}


def _slots(number):
    return {"order_number": number, "order_verifier": VERIFIED, "verified_order": number}


def test_malformed_order_numbers_get_clear_answers(database_url, domain, make_dispatcher):
    form = ValidateOrderForm()
    for text, response in [("x' OR 1=1; DROP TABLE orders; --", "utter_order_number_invalid"),
                           ("<script>alert(1)</script>", "utter_order_number_invalid"),
                           ("a" * 10000, "utter_order_number_invalid")]:
        tracker = make_tracker(domain=domain)
        dispatcher = make_dispatcher(tracker)
        assert form.validate_order_number(text, dispatcher, tracker, domain) == {"order_number": None}
        assert dispatcher.responses() == [response]


def test_known_order_asks_for_verification(database_url, domain, make_dispatcher):
    tracker = make_tracker(domain=domain)
    result = ValidateOrderForm().validate_order_number("hg100002", make_dispatcher(tracker), tracker, domain)
    assert result == {"order_number": "HG-100002", "order_verifier": None}


async def test_two_orders_named_at_once_are_asked_about_not_guessed(database_url, domain, make_dispatcher):
    """"please cancel HG-100103. also, any news on HG-100174?" went on with the last number,
    and the cancellation question offered to cancel the order asked about for news (3 of 3 in
    a customer run); not understood first, then the "Cancel an order" button, it did the same."""
    from actions.orders import ActionAskOrderNumber

    text = "please cancel HG-100001. also, any news on HG-100005?"
    both = [{"entity": "order_number", "value": "HG-100001", "start": text.index("HG-100001")},
            {"entity": "order_number", "value": "HG-100005", "start": text.index("HG-100005")}]
    said = {"event": "user", "text": text, "parse_data": {"text": text, "entities": both,
                                                          "intent": {"name": "cancel_order"}}}
    pressed = {"event": "user", "text": "/cancel_order", "parse_data": {"text": "/cancel_order", "entities": [],
                                                                        "intent": {"name": "cancel_order"}}}
    for events, latest_text, entities in (([said], text, both), ([said, pressed], "/cancel_order", [])):
        tracker = make_tracker(text=latest_text, intent="cancel_order", entities=entities, events=events,
                               domain=domain)
        result = ValidateOrderForm().validate_order_number("HG-100005", make_dispatcher(tracker), tracker, domain)
        assert result == {"order_number": None, "order_choices": "HG-100001,HG-100005"}, latest_text
    # the form's question is which one, with a button each (and not also "what's your order number?")
    asking = make_tracker({"order_choices": "HG-100001,HG-100005"}, domain=domain)
    dispatcher = make_dispatcher(asking)
    events = await ActionAskOrderNumber().run(dispatcher, asking, domain)
    assert dispatcher.responses() == ["utter_which_order"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["HG-100001", "HG-100005"]
    assert events == [{"event": "slot", "timestamp": None, "name": "order_choices", "value": None}]
    plain = make_tracker(domain=domain)
    dispatcher = make_dispatcher(plain)
    await ActionAskOrderNumber().run(dispatcher, plain, domain)
    assert dispatcher.responses() == ["utter_ask_order_number"]
    # the same number twice is one order
    tracker = make_tracker(text="HG-100001, yes HG-100001", domain=domain,
                           entities=[{"entity": "order_number", "value": "HG-100001"},
                                     {"entity": "order_number", "value": "hg100001"}])
    result = ValidateOrderForm().validate_order_number("HG-100001", make_dispatcher(tracker), tracker, domain)
    assert result["order_number"] == "HG-100001"


def test_an_order_picked_by_its_place_among_those_offered(database_url, domain, make_dispatcher):
    """A customer run: "the first one" to "You mentioned HG-100001 and HG-100002. Which one
    shall we start with?" was "not one of our order numbers"."""
    text = "where are HG-100001 and HG-100002"
    both = [{"entity": "order_number", "value": "HG-100001", "start": 10},
            {"entity": "order_number", "value": "HG-100002", "start": 24}]
    said = {"event": "user", "text": text, "parse_data": {"text": text, "entities": both,
                                                          "intent": {"name": "order_status"}}}
    asked = {"event": "bot", "text": "You mentioned HG-100001 and HG-100002. Which one shall we start with?",
             "metadata": {"utter_action": "utter_which_order"},
             "data": {"buttons": [{"title": "HG-100001", "payload": "HG-100001"},
                                  {"title": "HG-100002", "payload": "HG-100002"}]}}

    def picked(words, question=asked):
        reply = {"event": "user", "text": words, "parse_data": {"text": words, "entities": [],
                                                                "intent": {"name": "inform"}}}
        tracker = make_tracker(text=words, intent="inform", events=[said, question, reply], domain=domain)
        dispatcher = make_dispatcher(tracker)
        return ValidateOrderForm().validate_order_number(words, dispatcher, tracker, domain), dispatcher

    for words, number in (("the first one", "HG-100001"), ("2nd one please", "HG-100002"),
                          ("the last one", "HG-100002"), ("ok the second", "HG-100002")):
        result, dispatcher = picked(words)
        assert result == {"order_number": number, "order_verifier": None}, words
        assert dispatcher.responses() == [], words
    # no third order offered; and "the first one" to another question is no pick
    assert picked("the third one")[0] == {"order_number": None}
    other = {**asked, "metadata": {"utter_action": "utter_ask_order_number"}}
    assert picked("the first one", other)[0] == {"order_number": None}


def test_the_orders_a_message_means(database_url):
    """From a review: "it shows error code 100234" named order HG-100234 and ended a return;
    "not HG-100001, I meant HG-100005" was read as naming the order proved."""
    from actions.verification import named_orders

    def named(text, *values):
        entities = [{"entity": "order_number", "value": v, "start": text.index(v), "end": text.index(v) + len(v)}
                    for v in values]
        return named_orders({"text": text, "entities": entities})

    assert named("it shows error code 100234 and wont turn on", "100234") == []
    assert named("its order 100234", "100234") == ["HG-100234"]
    assert named("not HG-100001, I meant HG-100005", "HG-100001", "HG-100005") == ["HG-100005"]
    assert named("yes cancel HG-100001, not HG-100005", "HG-100001", "HG-100005") == ["HG-100001"]
    assert named("HG-100001 and hg100001", "HG-100001", "hg100001") == ["HG-100001"]
    assert named("cancel HG-100001 and HG-100005", "HG-100001", "HG-100005") == ["HG-100001", "HG-100005"]


def test_the_proof_of_the_first_order_is_let_go_when_another_is_named(database_url, domain, make_dispatcher):
    """A second switch tried the first order's postcode on the new order: "Sorry, I can't
    match those details" and a failed check against it."""
    from actions.verification import check_order_instead

    slots = {e["name"]: e["value"] for e in check_order_instead("HG-100005", "return") if e["event"] == "slot"}
    assert slots["email"] is None and slots["postcode"] is None and slots["order_verifier"] is None


def test_identity_given_earlier_verifies_without_asking_again(database_url, domain, make_dispatcher):
    tracker = make_tracker({"postcode": "LS6 2QT"}, domain=domain)
    result = ValidateOrderForm().validate_order_number("HG-100002", make_dispatcher(tracker), tracker, domain)
    assert result == {"order_number": "HG-100002", "order_verifier": VERIFIED, "verified_order": "HG-100002",
                      "customer_vip": False}


def test_wrong_identity_of_someone_else_does_not_verify(database_url, domain, make_dispatcher):
    tracker = make_tracker({"email": "ben.okafor@example.com"}, domain=domain)
    result = ValidateOrderForm().validate_order_number("HG-100002", make_dispatcher(tracker), tracker, domain)
    assert result["order_verifier"] is None


def test_verifier_accepts_email_or_postcode_of_the_order(database_url, domain, make_dispatcher):
    form = ValidateOrderForm()
    for claim in ["alice.morgan@example.com", "ls6 2qt"]:
        tracker = make_tracker({"order_number": "HG-100001"}, domain=domain)
        result = form.validate_order_verifier(claim, make_dispatcher(tracker), tracker, domain)
        assert result == {"order_verifier": VERIFIED, "verified_order": "HG-100001", "customer_vip": False}


def test_a_verified_vip_is_known_as_one(database_url, domain, make_dispatcher):
    """Victoria Hughes is a VIP: once she proves HG-100005 is hers, the escalation
    decision knows (the customer_vip slot)."""
    tracker = make_tracker({"order_number": "HG-100005"}, domain=domain)
    result = ValidateOrderForm().validate_order_verifier("NW1 6XE", make_dispatcher(tracker), tracker, domain)
    assert result == {"order_verifier": VERIFIED, "verified_order": "HG-100005", "customer_vip": True}


def test_failed_checks_are_counted_and_then_locked(database_url, domain, make_dispatcher):
    form = ValidateOrderForm()
    failures = 0.0
    for attempt in range(1, MAX_FAILED_CHECKS + 1):
        tracker = make_tracker({"order_number": "HG-100001", "verification_failures": failures}, domain=domain)
        dispatcher = make_dispatcher(tracker)
        result = form.validate_order_verifier("M3 4LQ", dispatcher, tracker, domain)
        failures = result["verification_failures"]
        assert failures == attempt
        if attempt < MAX_FAILED_CHECKS:
            assert result["order_verifier"] is None
            assert dispatcher.responses() == ["utter_verification_mismatch"]
    assert result["order_verifier"] == LOCKED
    assert dispatcher.responses() == ["utter_verification_locked"]
    # once locked, even the right answer for another order is not checked
    tracker = make_tracker({"verification_failures": failures, "email": "alice.morgan@example.com"}, domain=domain)
    result = form.validate_order_number("HG-100002", make_dispatcher(tracker), tracker, domain)
    assert result["order_verifier"] == LOCKED


def test_the_postcode_of_a_new_address_in_the_request_is_no_guess(database_url, domain, make_dispatcher):
    """"change the address for HG-100001 to 12 Park Road, Leeds, LS1 2CD": its postcode was
    checked against the order as proof, failed, and counted towards the lock."""
    form = ValidateOrderForm()
    text = "change the address for HG-100001 to 12 Park Road, Leeds, LS1 2CD"
    tracker = make_tracker({"order_number": "HG-100001", "verification_failures": 0.0}, text=text,
                           intent="change_address", domain=domain,
                           entities=[{"entity": "postcode", "value": "LS1 2CD"}])
    dispatcher = make_dispatcher(tracker)
    assert form.validate_order_verifier("LS1 2CD", dispatcher, tracker, domain) == {
        "order_verifier": None, "postcode": None}
    assert dispatcher.responses() == []  # the form asks for the email or postcode
    # the same when the number comes in that message (the form checks proof given with it)
    result = form.validate_order_number("HG-100001", make_dispatcher(tracker), tracker, domain)
    assert result == {"order_number": "HG-100001", "order_verifier": None, "postcode": None}
    # the order's email beside it still proves the order
    tracker = make_tracker({"order_number": "HG-100001"}, text="alice.morgan@example.com " + text,
                           intent="change_address", domain=domain,
                           entities=[{"entity": "email", "value": "alice.morgan@example.com"},
                                     {"entity": "postcode", "value": "LS1 2CD"}])
    result = form.validate_order_verifier("alice.morgan@example.com", make_dispatcher(tracker), tracker,
                                          domain)
    assert result["order_verifier"] == VERIFIED
    # without a town no address is read, and its postcode after "to" is still the new one (a
    # customer run: "Sorry, I can't match those details" and a failed check)
    text = "can u change the address on HG-100001 to 12 Oak Road, L2 3AB and stop my marketing emails"
    tracker = make_tracker({"order_number": "HG-100001", "verification_failures": 0.0}, text=text,
                           intent="change_address", domain=domain,
                           entities=[{"entity": "order_number", "value": "HG-100001"},
                                     {"entity": "postcode", "value": "L2 3AB"}])
    dispatcher = make_dispatcher(tracker)
    result = form.validate_order_number("HG-100001", dispatcher, tracker, domain)
    assert result == {"order_number": "HG-100001", "order_verifier": None, "postcode": None}
    assert dispatcher.responses() == []


def test_the_orders_postcode_beside_a_new_address_proves_the_order(database_url, domain, make_dispatcher):
    """A customer run: "… postcode on it is LS6 2QT. New address: Flat 3, 22 Hyde Park Road, Leeds
    LS6 1AH" was asked for the postcode again: only the last postcode told was a claim, and it
    was the new one."""
    text = ("Hello, I'd like to change the delivery address on order HG-100001 please. postcode on it is "
            "LS6 2QT. New address: Flat 3, 22 Hyde Park Road, Leeds LS6 1AH")
    tracker = make_tracker({"verification_failures": 0.0, "postcode": "LS6 1AH"}, text=text, intent="change_address",
                           domain=domain, entities=[{"entity": "order_number", "value": "HG-100001"},
                                                    {"entity": "postcode", "value": "LS6 2QT"},
                                                    {"entity": "postcode", "value": "LS6 1AH"}])
    result = ValidateOrderForm().validate_order_number("HG-100001", make_dispatcher(tracker), tracker, domain)
    assert result["order_verifier"] == VERIFIED


def test_a_new_detail_told_earlier_or_a_destination_is_no_guess(database_url, domain, make_dispatcher):
    """A customer run: the postcode of a new address asked for one order (then declined) was
    checked against the next order named ("what about HG-100002, can that one be
    redirected?"), and an invoice's destination ("sent to my work email accounts@example.org
    instead") against its order: each a failed check, and HG-100002 was locked for a day for
    a customer who had typed nothing wrong."""
    form = ValidateOrderForm()
    moved = "can you change the delivery address to 14 Hill Street, Leeds LS2 9JT"
    earlier = [{"event": "user", "text": moved,
                "parse_data": {"text": moved, "intent": {"name": "change_address"}, "entities": []}},
               {"event": "slot", "name": "postcode", "value": "LS2 9JT"}]
    tracker = make_tracker({"postcode": "LS2 9JT", "verification_failures": 0.0},
                           text="what about HG-100002, can that one be redirected?", intent="change_address",
                           entities=[{"entity": "order_number", "value": "HG-100002"}], events=earlier,
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    result = form.validate_order_number("HG-100002", dispatcher, tracker, domain)
    assert result == {"order_number": "HG-100002", "order_verifier": None, "postcode": None}
    assert dispatcher.responses() == []
    # the same postcode typed as the answer to the proof question is a guess like any other
    tracker = make_tracker({"order_number": "HG-100002", "postcode": "LS2 9JT", "verification_failures": 0.0},
                           text="LS2 9JT", intent="inform", events=earlier, domain=domain,
                           entities=[{"entity": "postcode", "value": "LS2 9JT"}])
    dispatcher = make_dispatcher(tracker)
    assert form.validate_order_verifier("LS2 9JT", dispatcher, tracker, domain)["verification_failures"] == 1
    text = "can i have the invoice for HG-100003 sent to my work email accounts@example.org instead"
    tracker = make_tracker({"email": "accounts@example.org", "verification_failures": 0.0}, text=text,
                           intent="request_invoice", domain=domain,
                           entities=[{"entity": "order_number", "value": "HG-100003"},
                                     {"entity": "email", "value": "accounts@example.org"}])
    dispatcher = make_dispatcher(tracker)
    result = form.validate_order_number("HG-100003", dispatcher, tracker, domain)
    assert result == {"order_number": "HG-100003", "order_verifier": None, "email": None}
    assert dispatcher.responses() == []
    # the order's own email given as proof beside it still proves the order
    tracker = make_tracker({"email": "ben.okafor@example.com"}, text="ben.okafor@example.com, " + text,
                           intent="request_invoice", domain=domain,
                           entities=[{"entity": "order_number", "value": "HG-100003"},
                                     {"entity": "email", "value": "ben.okafor@example.com"},
                                     {"entity": "email", "value": "accounts@example.org"}])
    result = form.validate_order_number("HG-100003", make_dispatcher(tracker), tracker, domain)
    assert result["order_verifier"] == VERIFIED


async def test_status_is_only_revealed_to_a_verified_customer(database_url, domain, make_dispatcher):
    tracker = make_tracker({"order_number": "HG-100002", "order_verifier": None}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionOrderStatus().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    # a verification for one order does not carry over to another
    tracker = make_tracker({"order_number": "HG-100003", "order_verifier": VERIFIED,
                            "verified_order": "HG-100002"}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionOrderStatus().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def _form_turn(domain, make_dispatcher, slots, candidates, text):
    """One run of the order form's validation as Rasa calls it: the slots so far, then the
    candidates it validates this turn (every required slot already filled, when the form
    starts). The slots afterwards, and what the form said."""
    slots = {**slots, **candidates}
    events = [user_said(text, "inform"), {"event": "action", "name": "order_form"},
              *(SlotSet(name, value) for name, value in candidates.items())]
    tracker = make_tracker(slots, text=text, intent="inform", events=events, domain=domain,
                           active_loop="order_form")
    dispatcher = make_dispatcher(tracker)
    for event in await ValidateOrderForm().run(dispatcher, tracker, domain):
        if event["event"] == "slot":
            slots[event["name"]] = event["value"]
    return slots, dispatcher.responses()


async def _status(domain, make_dispatcher, slots):
    tracker = make_tracker(slots, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionOrderStatus().run(dispatcher, tracker, domain)
    return dispatcher.messages


async def test_a_second_order_in_a_conversation_is_proved_then_answered(database_url, domain,
                                                                          make_dispatcher):
    """Alice proved HG-100001 with her postcode, then asks about Ben's HG-100003: the form
    validated the earlier "ok" after the new number, closed without asking for proof, and
    nothing was said about either order."""
    proved_first = {"order_number": "HG-100001", "order_verifier": VERIFIED,
                    "verified_order": "HG-100001", "postcode": "LS6 2QT"}
    slots, said = await _form_turn(domain, make_dispatcher, proved_first,
                                   {"order_number": "HG-100003", "order_verifier": VERIFIED},
                                   "and where is HG-100003?")
    assert slots["order_verifier"] is None and slots["verified_order"] == "HG-100001"
    assert said == []  # the form goes on to ask for this order's proof
    assert await _status(domain, make_dispatcher, slots) == []

    slots, said = await _form_turn(domain, make_dispatcher, slots, {"order_verifier": "M3 4LQ"},
                                   "M3 4LQ")
    assert (slots["order_verifier"], slots["verified_order"]) == (VERIFIED, "HG-100003")
    messages = await _status(domain, make_dispatcher, slots)
    assert [(m["response"], m["order_number"]) for m in messages] == [
        ("utter_order_status_delivered", "HG-100003")]


async def test_a_second_order_of_the_same_customer_is_answered_at_once(database_url, domain,
                                                                       make_dispatcher):
    """HG-100002 is Alice's too: the postcode she proved HG-100001 with proves it."""
    proved_first = {"order_number": "HG-100001", "order_verifier": VERIFIED,
                    "verified_order": "HG-100001", "postcode": "LS6 2QT"}
    slots, said = await _form_turn(domain, make_dispatcher, proved_first,
                                   {"order_number": "HG-100002", "order_verifier": VERIFIED},
                                   "what about HG-100002?")
    assert (slots["order_verifier"], slots["verified_order"], said) == (VERIFIED, "HG-100002", [])
    messages = await _status(domain, make_dispatcher, slots)
    assert [m["order_number"] for m in messages] == ["HG-100002"]


async def test_status_answers_follow_the_order(database_url, session, domain, make_dispatcher):
    expected = {"HG-100001": "utter_order_status_processing", "HG-100002": "utter_order_status_shipped",
                "HG-100003": "utter_order_status_delivered", "HG-100005": "utter_order_status_placed"}
    for number, response in expected.items():
        tracker = make_tracker(_slots(number), domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionOrderStatus().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [response]
        assert dispatcher.messages[0]["order_number"] == number
    shipped = make_dispatcher(tracker)
    await ActionOrderStatus().run(shipped, make_tracker(_slots("HG-100002"), domain=domain), domain)
    order = session.execute(select(Order).where(Order.number == "HG-100002")).scalar_one()
    assert shipped.messages[0]["tracking_number"] == order.shipment.tracking_number


async def test_late_parcel_gets_an_apology(database_url, session, domain, make_dispatcher, now):
    from datetime import timedelta

    order = session.execute(select(Order).where(Order.number == "HG-100002")).scalar_one()
    order.shipment.estimated_delivery = (now - timedelta(days=2)).date()
    session.commit()
    tracker = make_tracker(_slots("HG-100002"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionOrderStatus().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_status_late"]
    # more than two working days past its due day, what that apology promised is due: the
    # team chases (a customer run: three days on, "most late parcels arrive within two
    # working days" again, and nobody chasing)
    order.shipment.estimated_delivery = (now - timedelta(days=6)).date()
    session.commit()
    dispatcher = make_dispatcher(tracker)
    await ActionOrderStatus().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_status_very_late"]


async def test_cancellation_confirmed_then_done(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100005"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckCancellation().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_ask_confirm_cancel"]
    assert events == [{"event": "slot", "timestamp": None, "name": "cancel_allowed", "value": True}]
    tracker = make_tracker(_slots("HG-100005"), text="/affirm", intent="affirm", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionCancelReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_cancelled"]
    session.expire_all()
    order = session.execute(select(Order).where(Order.number == "HG-100005")).scalar_one()
    assert order.status == OrderStatus.CANCELLED


async def test_a_typed_reply_to_the_cancellation_question_is_read(database_url, session, domain,
                                                                   make_dispatcher):
    """"actually no wait don't cancel it" (a fallback) keeps the order; "is there a fee" is
    answered and asks again; "yes cancel it" (the cancellation intent again) cancels."""
    def status():
        session.expire_all()
        return session.execute(select(Order).where(Order.number == "HG-100005")).scalar_one().status

    for text, intent, said, allowed in (
            ("actually no wait don't cancel it", "nlu_fallback", ["utter_order_kept"], None),
            ("hold on, leave it for now, I'll think about it", "nlu_fallback", ["utter_order_kept"], None),
            # a question about the cost is answered, and the question asked again (a customer
            # run: the fees answer came alone, and the yes after it was not understood)
            ("is there a fee", "out_of_scope", ["utter_cancel_costs_nothing", "utter_ask_confirm_cancel"], True),
            ("hang on, will I be charged anything for cancelling?", "ask_cancellation_fees",
             ["utter_cancel_costs_nothing", "utter_ask_confirm_cancel"], True),
            ("hmm", "nlu_fallback", ["utter_cancel_reply_unclear", "utter_ask_confirm_cancel"], True),
            # a question a help-centre section answers (a customer run: "didn't catch that")
            ("do you price match tho?", "out_of_scope", ["utter_help_article", "utter_ask_confirm_cancel"], True),
            # a question read as a "no" by the model kept the order, unanswered (a customer run)
            ("if I cancel do I lose the Harbor Club discount I used on it?", "deny",
             ["utter_cancel_costs_nothing", "utter_ask_confirm_cancel"], True),
            ("will the courier still knock tomorrow?", "deny",
             ["utter_cancel_reply_unclear", "utter_ask_confirm_cancel"], True),
            ("no, why would I want that?", "deny", ["utter_order_kept"], None)):
        tracker = make_tracker(_slots("HG-100005"), text=text, intent=intent, domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCancelReply().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == said, text
        assert {e["name"]: e["value"] for e in events}["cancel_allowed"] is allowed
        assert status() == OrderStatus.PLACED
    # an address change asked instead: the order is kept, and its change starts on the order
    # proved (a customer run: kept, and the change was never made or offered)
    # (a later run: "actually no, dont cancel. can i just change where it goes instead?", read as
    # the changes an order allows, got what cancelling costs and the question again)
    for text, intent in (("hmm wait actually dont cancel, can i just change the address instead?", "nlu_fallback"),
                         ("actually no, dont cancel. can i just change where it goes instead?",
                          "ask_cancellation_fees")):
        tracker = make_tracker(_slots("HG-100005"), text=text, intent=intent, domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCancelReply().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_order_kept"], text
        assert status() == OrderStatus.PLACED
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert slots["order_task"] == "change_address" and slots["order_number"] == "HG-100005"
        assert events[-1]["event"] == "followup" and events[-1]["name"] == "order_form"
    # another order named on that yes: the one asked about is kept, named by its own number
    tracker = make_tracker(_slots("HG-100005"), text="yes sorry I meant cancel HG-100001",
                           intent="cancel_order", domain=domain,
                           entities=[{"entity": "order_number", "value": "HG-100001"}])
    dispatcher = make_dispatcher(tracker)
    events = await ActionCancelReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_kept"]
    assert dispatcher.messages[0]["order_number"] == "HG-100005"
    assert status() == OrderStatus.PLACED
    # ... and the order named is the one identified next, with its own proof (before, the
    # request to cancel it was dropped)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"cancel_allowed": None, "order_task": "cancel", "order_number": "HG-100001",
                     "order_verifier": None, "email": None, "postcode": None}
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "order_form"
    tracker = make_tracker(_slots("HG-100005"), text="hmm actually yes please cancel it",
                           intent="cancel_order", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionCancelReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_cancelled"]
    assert status() == OrderStatus.CANCELLED


async def test_the_order_asked_about_named_beside_another_is_the_one_cancelled(
        database_url, session, domain, make_dispatcher):
    """"yes cancel HG-100001, not HG-100005" took the last number named: HG-100001 was kept
    and the customer asked about HG-100005 (a review). The words decide, with no switch."""
    # the slot takes the last number named, as Rasa's mapping does
    tracker = make_tracker({**_slots("HG-100001"), "order_number": "HG-100005"},
                           text="yes cancel HG-100001, not HG-100005", intent="cancel_order", domain=domain,
                           entities=[{"entity": "order_number", "value": "HG-100001"},
                                     {"entity": "order_number", "value": "HG-100005"}])
    dispatcher = make_dispatcher(tracker)
    events = await ActionCancelReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_cancelled"]
    assert "followup" not in [e["event"] for e in events]
    orders = dict(session.execute(select(Order.number, Order.status)
                                  .where(Order.number.in_(["HG-100001", "HG-100005"]))).all())
    assert orders == {"HG-100001": OrderStatus.CANCELLED, "HG-100005": OrderStatus.PLACED}


async def test_shipped_order_cannot_be_cancelled(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100002"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckCancellation().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_cancel_shipped"]
    assert events[0]["value"] is False
    order = session.execute(select(Order).where(Order.number == "HG-100002")).scalar_one()
    assert order.status == OrderStatus.SHIPPED


async def test_invoice_copy_is_sent_to_the_masked_address(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100003"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionSendInvoice().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_invoice_sent"]
    assert dispatcher.messages[0]["masked_email"] == "be***@example.com"
    mail = session.execute(select(OutboundEmail)).scalar_one()
    assert mail.to_address == "ben.okafor@example.com" and mail.template == "invoice_copy"


async def test_a_gift_receipt_asked_for_is_sent_without_prices(database_url, session, domain, make_dispatcher):
    """A customer run: "how do i get a gift receipt for something i bought" got a copy of the
    invoice, with its prices."""
    text = "how do i get a gift receipt for something i bought"
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": "request_invoice"}}},
              {"event": "user", "text": "HG-100003", "parse_data": {"intent": {"name": "inform"}}}]
    tracker = make_tracker(_slots("HG-100003"), events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionSendInvoice().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_gift_receipt_sent"]
    assert dispatcher.messages[0]["masked_email"] == "be***@example.com" and dispatcher.messages[0]["window_days"] == 30
    mail = session.execute(select(OutboundEmail)).scalar_one()
    order = find_order(session, "HG-100003")
    assert mail.to_address == "ben.okafor@example.com" and mail.template == "gift_receipt"
    assert all(item.product.name in mail.body for item in order.items) and "£" not in mail.body
    assert "HG-100003" in mail.body
    # "not a gift receipt" asks for the invoice
    events[0] = {"event": "user", "text": "the invoice please, not a gift receipt",
                 "parse_data": {"intent": {"name": "request_invoice"}}}
    tracker = make_tracker(_slots("HG-100003"), events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionSendInvoice().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_invoice_sent"]


async def test_an_invoice_asked_for_another_address_still_goes_to_the_account(
        database_url, session, domain, make_dispatcher):
    """'can you send the invoice to a different email': it goes to the account's address,
    and the answer says why and how to change it; an address typed in the request that is
    the account's own needs no such word."""
    def request(text, entities=()):
        return [{"event": "user", "text": text,
                 "parse_data": {"intent": {"name": "request_invoice"}, "entities": list(entities)}},
                {"event": "user", "text": "HG-100003", "parse_data": {"intent": {"name": "inform"}}}]

    def other(email):
        return [{"entity": "email", "value": email, "start": 0, "end": len(email)}]

    for text, entities, told in [
            ("can you send the invoice to a different email", (), True),
            ("invoice for HG-100003 to my work email please", (), True),
            ("send it to jo@elsewhere.example", other("jo@elsewhere.example"), True),
            ("send the invoice to ben.okafor@example.com", other("ben.okafor@example.com"), False),
            ("can I have the invoice", (), False)]:
        tracker = make_tracker(_slots("HG-100003"), events=request(text, entities), domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionSendInvoice().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_invoice_sent"] + (
            ["utter_invoice_only_to_account_email"] if told else []), text
    assert {mail.to_address for mail in session.execute(select(OutboundEmail)).scalars()} == {
        "ben.okafor@example.com"}


async def test_a_post_office_receipt_is_no_invoice_request(database_url, session, domain, make_dispatcher):
    """A customer run: "i have the post office receipt. 2 weeks ago" (request_invoice to the
    model) was sent a copy of the invoice, twice. The parcel was posted back: the refund's
    answer, and no invoice emailed."""
    said = "i have the post office receipt. 2 weeks ago"
    events = [{"event": "user", "text": said, "parse_data": {"intent": {"name": "request_invoice"}, "entities": []}},
              {"event": "user", "text": "HG-100003", "parse_data": {"intent": {"name": "inform"}}}]
    tracker = make_tracker(_slots("HG-100003"), events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionSendInvoice().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[0] == "utter_refund_posted_no_return"
    assert "utter_invoice_sent" not in dispatcher.responses()
    assert session.execute(select(OutboundEmail)).scalars().all() == []


async def test_an_invoice_for_a_company_says_only_a_person_can_reissue_it(database_url, domain, make_dispatcher):
    """A customer run: "I need an invoice for my company, our VAT number is GB123456789" got the
    personal copy again, with no word about the company (3 of 3)."""
    for text, told in (("I need an invoice for my company, our VAT number is GB123456789", True),
                       ("make the invoice out to Okafor Consulting Ltd please", True),
                       ("can I have the invoice", False)):
        events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": "request_invoice"}, "entities": []}}]
        tracker = make_tracker(_slots("HG-100003"), events=events, domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionSendInvoice().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_invoice_sent"] + (["utter_invoice_for_a_company"] if told else []), text


@pytest.mark.parametrize("text, response", [
    ("i dont know the order number", "utter_order_number_where"),
    ("not sure what my order number is", "utter_order_number_where"),
    ("where do I find it", "utter_order_number_where"),
    ("I've lost the email", "utter_order_number_where"),
    # a later run: an invalid number, and a warranty article
    ("what's an order number love?", "utter_order_number_where"),
    ("i dont know the number. where would it be?", "utter_order_number_where"),
    ("is it the number on the parcel?", "utter_order_number_where"), ("how would i know that", "utter_order_number_where"),
    ("sorry im not very good with computers, what number do you mean?", "utter_order_number_where"),
    ("whats the HG thing you want", "utter_order_number_where"),
    ("my grandson ordered it for me, i havent got a number", "utter_order_number_where"),
    # a later run: "That doesn't look like one of our order numbers"
    ("which parcel do you mean? i only have one order", "utter_order_number_where"),
    ("what do u mean", "utter_order_number_where"),
    # a number typed wrong is said to be wrong, even with such words
    ("HG10002 i dont know if thats right", "utter_order_number_invalid"),
    ("the blue one", "utter_order_number_invalid"),
])
def test_a_customer_without_the_order_number_is_told_where_it_is(domain, make_dispatcher, text, response):
    """'i dont know the order number' got "that doesn't look like one of our order numbers"."""
    tracker = make_tracker(text=text, intent="inform", domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert ValidateOrderForm().validate_order_number(text, dispatcher, tracker, domain) == {"order_number": None}
    assert dispatcher.responses() == [response]
    if response == "utter_order_number_where":
        buttons = domain["responses"]["utter_order_number_where"][0]["buttons"]
        assert [b["payload"] for b in buttons] == ["/request_human"]


def test_a_question_the_help_centre_answers_where_the_number_is_asked_is_answered(domain, make_dispatcher):
    """A customer run: "do you do gift wrapping btw" where the order number was asked got
    "That doesn't look like one of our order numbers"."""
    text = "do you do gift wrapping btw"
    tracker = make_tracker(text=text, intent="nlu_fallback", domain=domain, active_loop="order_form")
    tracker.latest_message["help_article"] = {"slug": "gift-orders", "section": "Gift messages and gift wrap",
                                              "confident": True, "score": 0.5, "passage": "…"}
    dispatcher = make_dispatcher(tracker)
    assert ValidateOrderForm().validate_order_number(text, dispatcher, tracker, domain) == {"order_number": None}
    assert dispatcher.responses() == ["utter_help_article"]  # no "did that help?": the form asks next
    assert "gift wrap" in dispatcher.messages[0]["help_passage"].lower()
    # with no help-centre answer, it is still no order number
    tracker = make_tracker(text="the blue one", intent="nlu_fallback", domain=domain, active_loop="order_form")
    dispatcher = make_dispatcher(tracker)
    ValidateOrderForm().validate_order_number("the blue one", dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_number_invalid"]


def test_an_email_given_for_the_number_is_kept_and_proves_the_order_once_it_comes(
        database_url, domain, make_dispatcher):
    """'ben.okafor@example.com' typed where the order number was asked for: not 'that doesn't
    look like an order number', and not asked for again once the number is there."""
    form = ValidateOrderForm()
    email = [{"entity": "email", "value": "ben.okafor@example.com", "start": 0, "end": 22}]
    tracker = make_tracker({"email": "ben.okafor@example.com"}, text="ben.okafor@example.com",
                           intent="inform", entities=email, domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_order_number("ben.okafor@example.com", dispatcher, tracker, domain) == {
        "order_number": None}
    assert dispatcher.responses() == ["utter_order_number_after_proof"]

    # a mistyped number sent with the email is told as a mistyped number
    text = "HG10003 ben.okafor@example.com"
    tracker = make_tracker({"email": "ben.okafor@example.com"}, text=text, intent="inform",
                           entities=[{**email[0], "start": 8, "end": 30}], domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_order_number(text, dispatcher, tracker, domain) == {"order_number": None}
    assert dispatcher.responses() == ["utter_order_number_invalid"]

    tracker = make_tracker({"email": "ben.okafor@example.com"}, text="HG-100003", intent="inform",
                           domain=domain)
    result = form.validate_order_number("HG-100003", make_dispatcher(tracker), tracker, domain)
    assert result["order_verifier"] == VERIFIED and result["verified_order"] == "HG-100003"


async def test_a_delivered_order_is_offered_a_return_only_while_it_can_have_one(
        database_url, session, domain, make_dispatcher, now):
    """'cancel my order' for a delivered order: a return instead, within the window. Past the
    window, or with a return already registered, it offered the return all the same."""
    from datetime import timedelta

    from company.models import ReturnRequest, ReturnStatus

    order = session.execute(select(Order).where(Order.number == "HG-100003")).scalar_one()

    async def refusal() -> str:
        tracker = make_tracker(_slots("HG-100003"), domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCheckCancellation().run(dispatcher, tracker, domain)
        assert events[0]["value"] is False
        return dispatcher.responses()[0]

    order.shipment.delivered_at = now - timedelta(days=3)
    session.commit()
    assert await refusal() == "utter_cancel_delivered"
    order.shipment.delivered_at = now - timedelta(days=45)
    session.commit()
    assert await refusal() == "utter_cancel_delivered_window_closed"
    order.shipment.delivered_at = now - timedelta(days=3)
    session.add(ReturnRequest(order_id=order.id, rma="RMA-TEST1", reason="too small",
                              refund_pence=order.total_pence, status=ReturnStatus.REQUESTED,
                              created_at=now))
    session.commit()
    assert await refusal() == "utter_cancel_delivered_already_returned"


def _placed_order_of_several_items(session) -> Order:
    orders = session.execute(select(Order).where(Order.status == OrderStatus.PLACED)).scalars()
    return next(order for order in orders if sum(item.quantity for item in order.items) > 1)


async def test_cancelling_only_some_items_is_explained_and_cancels_nothing(database_url, session, domain,
                                                                          make_dispatcher):
    """"cancel just one item from my order, not the whole thing" was asked to confirm the
    whole order's cancellation without a word about it; "just the lamp" asked again, and the
    "yes" after it cancelled all three items. The items of an order are never changed
    (company/policies.py): that is said, with what the customer can do, and then asked."""
    order = _placed_order_of_several_items(session)
    asked = f"hi, I want to cancel just one item from my order {order.number}, not the whole thing"
    tracker = make_tracker(_slots(order.number), text="tomasz@example.org", intent="inform", domain=domain,
                           events=[user_said(asked, "cancel_order"), user_said("tomasz@example.org", "inform")])
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckCancellation().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_cancel_only_some", "utter_ask_confirm_cancel_several"]
    assert events == [{"event": "slot", "timestamp": None, "name": "cancel_allowed", "value": True}]
    for reply in ("just the lamp", "yes but only the chair", "no, just remove the headphones"):
        tracker = make_tracker(_slots(order.number), text=reply, intent="affirm", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCancelReply().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_cancel_only_some", "utter_ask_confirm_cancel_several"], reply
        assert {e["name"]: e["value"] for e in events}["cancel_allowed"] is True, reply
    session.expire_all()
    assert session.get(Order, order.id).status == OrderStatus.PLACED
    # a no that mentions an item keeps the order (it had asked again, and again)
    tracker = make_tracker(_slots(order.number), text="no keep it, i will just return the lamp later",
                           intent="deny", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionCancelReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_kept"]
    # "yes cancel it all" cancels the whole order
    tracker = make_tracker(_slots(order.number), text="yes cancel it all", intent="affirm", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionCancelReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_cancelled"]


async def test_a_product_the_order_does_not_hold_stops_the_cancellation(database_url, session, domain,
                                                                          make_dispatcher):
    """A customer run: "can i cancel my order HG-100001? ordered the wrong colour kettle" (an
    order of desk lamps) was asked "Are you sure you want to cancel the whole order?"."""
    from company import catalog

    order = session.execute(select(Order).where(Order.number == "HG-100001")).scalar_one()
    held = sorted(item.product.name for item in order.items)
    other = next(p.name for p in catalog.products(session) if p.name not in held)
    for product, said in ((other.split()[-1].lower(), ["utter_product_not_in_order"]),
                          (held[0].split()[-1].lower(), None)):
        text = f"can i cancel my order HG-100001? ordered the wrong colour {product}"
        start = text.index(product)
        asked = {"event": "user", "text": text, "parse_data": {
            "text": text, "intent": {"name": "cancel_order", "confidence": 0.95},
            "entities": [{"entity": "product", "value": product, "start": start, "end": start + len(product)}]}}
        tracker = make_tracker(_slots("HG-100001"), text="LS6 2QT", intent="inform", domain=domain,
                               events=[asked, user_said("LS6 2QT", "inform")])
        dispatcher = make_dispatcher(tracker)
        events = await ActionCheckCancellation().run(dispatcher, tracker, domain)
        allowed = {e["name"]: e["value"] for e in events}["cancel_allowed"]
        if said is not None:
            assert dispatcher.responses() == said and allowed is False, text
            assert dispatcher.messages[0]["product"] == other
            assert held[0] in dispatcher.messages[0]["items"]
        else:
            assert allowed is True and "utter_product_not_in_order" not in dispatcher.responses(), text


async def test_one_item_is_not_only_some(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100005"), text="just the one please", intent="affirm", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionCancelReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_cancelled"]


async def test_cancelling_a_plan_asks_for_no_order(database_url, domain, make_dispatcher):
    """"ok how do i cancel plus" started an order cancellation, which asked for an order
    number: a customer who gave one lost a £437 order. It is answered with how to end the
    plan; "cancel my order" still asks for the order."""
    for text, ends_a_plan in (("ok how do i cancel plus", True), ("I want to cancel my membership", True),
                              ("cancel my order", False), ("cancel my order plus the delivery charge", False)):
        tracker = make_tracker({"order_task": "cancel"}, text=text, intent="cancel_order", domain=domain,
                               events=[user_said(text, "cancel_order")])
        dispatcher = make_dispatcher(tracker)
        slots = await ValidateOrderForm().required_slots(["order_number", "order_verifier"], dispatcher,
                                                          tracker, domain)
        assert (slots == []) is ends_a_plan, text
        events = await ActionCheckCancellation().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == (["utter_plan_cancel"] if ends_a_plan else []), text
        assert events == [{"event": "slot", "timestamp": None, "name": "cancel_allowed", "value": False}]
    # an order proved earlier ("where is HG-…", then "cancel plus") is not the one asked about,
    # and "cancel it" right after the plans is the plan
    earlier = [user_said("where is HG-100005", "order_status"), user_said("NW1 6XE", "inform")]
    plans = [user_said("tell me about premium", "ask_plans")]
    # a customer run: after the free trial's answer, "yes but HOW do i cancel it" asked for an order number
    trial = [user_said("how do i cancel harbor club, i didnt mean to sign up for the trial", "ask_free_trial")]
    # a later run: "whats harbor club", "how much is it" (not understood, or a product's price
    # with none named, answered by asking whether it goes on with the plans), "can i cancel anytime"
    not_understood = plans + [user_said("how much is it", "nlu_fallback")]
    offered = plans + [user_said("how much is it", "ask_product"),
                       {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_clarify_previous_topic"}}]
    for events, text in ((earlier, "cancel plus"), (plans, "cancel it"), (earlier + plans, "cancel it"),
                         (trial, "yes but HOW do i cancel it"), (not_understood, "can i cancel anytime"),
                         (offered, "can i cancel anytime")):
        tracker = make_tracker({**_slots("HG-100005"), "order_task": "cancel"}, text=text, intent="cancel_order",
                               domain=domain, events=[*events, user_said(text, "cancel_order")])
        dispatcher = make_dispatcher(tracker)
        assert await ValidateOrderForm().required_slots(["order_number"], dispatcher, tracker, domain) == [], text
        await ActionCheckCancellation().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_plan_cancel"], text
    # ... but "cancel it" after the order's status is the order, even with a miss in between
    for events in (earlier, earlier + [user_said("blorp", "nlu_fallback")],
                   plans + [user_said("how much is the kettle", "ask_product")]):
        tracker = make_tracker({**_slots("HG-100005"), "order_task": "cancel"}, text="cancel it", intent="cancel_order",
                               domain=domain, events=[*events, user_said("cancel it", "cancel_order")])
        dispatcher = make_dispatcher(tracker)
        await ActionCheckCancellation().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_ask_confirm_cancel"]


async def test_a_status_question_where_the_cancellation_waits_asks_it_again(database_url, domain, make_dispatcher):
    """"hmm actually when would it arrive if i keep it?" was answered, and "ok nah cancel it
    then" after it got "No problem. Is there anything else I can help with?", nothing
    cancelled. The cancellation question is asked again after the status, for that order only."""
    def asked(number):
        return {"event": "bot", "text": f"Order {number} (Summit Backpack, £75) hasn't shipped yet, so I can cancel it.",
                "metadata": {"utter_action": "utter_ask_confirm_cancel"}}

    again = [{"event": "followup", "timestamp": None, "name": "action_check_cancellation"}]
    left_open = [{"event": "slot", "timestamp": None, "name": "cancel_allowed", "value": None}]
    text = "when would it arrive if i keep it?"
    # a customer run: "could i just change the delivery address instead?" there, the address
    # changed, then "thanks, and when will it arrive?" got the cancellation asked again
    changed = [asked("HG-100005"), user_said("could i just change the delivery address instead?", "change_address"),
               {"event": "bot", "text": "Done", "metadata": {"utter_action": "utter_address_changed"}}]
    for cancel_allowed, events, said, result in (
            (True, [asked("HG-100005")], [], again),
            # another order's cancellation waits (below)
            (True, [asked("HG-100001")], ["utter_cancellation_left_open"], left_open),
            (None, [asked("HG-100005")], [], []),  # answered already
            (True, changed, [], [])):  # left for another task
        tracker = make_tracker({**_slots("HG-100005"), "cancel_allowed": cancel_allowed},
                               text=text, intent="order_status",
                               events=[*events, user_said(text, "order_status")], domain=domain)
        dispatcher = make_dispatcher(tracker)
        assert await ActionOrderStatus().run(dispatcher, tracker, domain) == result, events
        assert dispatcher.responses() == ["utter_order_status_placed", "utter_order_arrival_between", *said]


async def test_another_orders_status_where_a_cancellation_waits_says_it_is_not_done(
        database_url, domain, make_dispatcher):
    """A customer run: "whats the status of HG-100002 tho" to "Are you sure you want to cancel
    the whole order?" about HG-100001 got the status, the cancellation ended without a word,
    and the next "yes" was not understood. The customer is told it is not done and how to
    ask for it."""
    question = {"event": "bot", "metadata": {"utter_action": "utter_ask_confirm_cancel_several"},
                "text": "Order HG-100001 (Lumen Desk Lamp ×2, £78) hasn't shipped yet, so I can cancel it."}
    text = "whats the status of HG-100002 tho"
    tracker = make_tracker({**_slots("HG-100002"), "cancel_allowed": True}, text=text,
                           intent="order_status", events=[question, user_said(text, "order_status")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert await ActionOrderStatus().run(dispatcher, tracker, domain) == [
        {"event": "slot", "timestamp": None, "name": "cancel_allowed", "value": None}]
    assert dispatcher.responses() == ["utter_order_status_shipped", "utter_cancellation_left_open"]
    assert dispatcher.messages[-1]["order_number"] == "HG-100001"


async def test_which_email_proves_the_order_is_answered_where_it_is_asked(database_url, domain, make_dispatcher):
    """A customer run: "which email, my work one or personal?" where the email or postcode
    was asked got the shop's contact channels."""
    asked = {"order_number": "HG-100001", "requested_slot": "order_verifier"}
    for text, answered in (("which email, my work one or personal?", True), ("what email do you mean", True),
                           ("alice.morgan@example.com", False)):
        tracker = make_tracker(asked, text=text, intent="ask_contact_channels", active_loop="order_form",
                               domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ValidateOrderForm().run(dispatcher, tracker, domain)
        assert ("utter_which_email_proves_the_order" in dispatcher.responses()) is answered, text
        if answered:  # a slot is set, so the form asks again instead of being rejected
            assert [e for e in events if e["event"] == "slot" and e["name"] != "requested_slot"], text


async def test_why_the_proof_is_asked_is_answered(database_url, domain, make_dispatcher):
    """A customer run: "why do u need my email?? i just want to know where my order is HG-…"
    got the question for the proof, its own question unanswered."""
    for text, asked, said in (
            ("why do u need my email?? i just want to know where my order is HG-100002", None, True),
            # once the proof is asked, bot/policies/proof_questions.py answers (tests/bot/policies)
            ("why do you need my postcode", "order_verifier", False),
            # ... and where the order number is asked (it was answered twice: a customer run)
            ("why do you need that?", "order_number", False),
            ("why do you need my email, its alice.morgan@example.com", None, False)):
        slots = {"order_number": "HG-100002", "requested_slot": asked}
        tracker = make_tracker(slots, text=text, intent="order_status", active_loop="order_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ValidateOrderForm().get_extraction_events(dispatcher, tracker, domain)
        assert ("utter_why_proof" in dispatcher.responses()) is said, text


async def test_a_proof_given_with_a_question_about_another_order_proves_the_order_asked(
        database_url, domain, make_dispatcher):
    """A customer run: "BS8 1TH. also wheres my other order HG-…" where the proof of one
    order was asked: the other number took its place, the postcode was checked against it
    (a failed guess, or, where two customers share a postcode, the other customer's invoice
    sent). A correction of the number goes on with the number told, as before."""
    for text, other, kept in (
            ("LS6 2QT. also wheres my other order HG-100003", "HG-100003", True),
            ("LS6 2QT and has my other order HG-100002 shipped?", "HG-100002", True),
            ("sorry wrong one, it's HG-100003, M3 4LQ", "HG-100003", False),
            ("M3 4LQ. also wheres my other order HG-100003", "HG-100003", False)):  # not HG-100001's
        postcode = text.split(".")[0].split(" and")[0] if not text.startswith("sorry") else "M3 4LQ"
        entities = [{"entity": "order_number", "value": other, "start": text.index(other),
                     "end": text.index(other) + len(other)},
                    {"entity": "postcode", "value": postcode, "start": text.index(postcode),
                     "end": text.index(postcode) + len(postcode)}]
        said = {**user_said(text, "order_status"), "parse_data": {"text": text, "entities": entities,
                                                                  "intent": {"name": "order_status"}}}
        events = [{"event": "slot", "name": "order_number", "value": "HG-100001"},
                  {"event": "slot", "name": "requested_slot", "value": "order_verifier"}, said,
                  {"event": "slot", "name": "order_number", "value": other},
                  {"event": "slot", "name": "postcode", "value": postcode},
                  {"event": "slot", "name": "order_verifier", "value": text}]
        tracker = make_tracker({"order_number": other, "requested_slot": "order_verifier", "postcode": postcode,
                                "order_verifier": text, "order_task": "request_invoice"},
                               text=text, intent="order_status", entities=entities, events=events,
                               active_loop="order_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        slots = {e["name"]: e["value"] for e in await ValidateOrderForm().run(dispatcher, tracker, domain)
                 if e["event"] == "slot"}
        assert ("utter_other_order_after" in dispatcher.responses()) is kept, (text, dispatcher.responses())
        if kept:
            assert slots.get("verified_order") == "HG-100001", (text, slots)
        else:
            assert slots.get("verified_order") != "HG-100001", (text, slots)


async def test_a_proof_typed_after_a_clarification_keeps_the_order_named(database_url, domain, make_dispatcher):
    """A customer run: "the Cove speaker from order HG-100003 is faulty", then the postcode at
    "Did you mean one of these?", lost the order and the request (17 times)."""
    from actions.orders import ActionProofWithoutATask

    for slots, said in (({"order_number": "HG-100003", "postcode": "M3 4LQ"}, ["utter_proof_kept", "utter_order_options"]),
                        ({"postcode": "M3 4LQ"}, ["utter_ask_details_for_what"]),
                        # an order already proved: the postcode is for something else
                        ({**_slots("HG-100003"), "postcode": "M3 4LQ"}, ["utter_ask_details_for_what"])):
        tracker = make_tracker(slots, text="M3 4LQ", intent="inform", domain=domain)
        dispatcher = make_dispatcher(tracker)
        assert await ActionProofWithoutATask().run(dispatcher, tracker, domain) == []
        assert dispatcher.responses() == said, slots


def test_a_task_taken_up_again_goes_on_with_its_own_order(database_url, domain, make_dispatcher):
    """Two customer runs: "change the delivery address for HG-100001", then "has HG-100002
    shipped yet?", then "ok back to the address change" and the button: the change went on with
    HG-100002 ("already left our warehouse"), when HG-100001 could still be changed."""
    from actions.resumed_tasks import order_of_the_task_resumed

    def said(text, intent, *orders):
        entities = [{"entity": "order_number", "value": o, "start": text.find(o)} for o in orders]
        return {"event": "user", "text": text,
                "parse_data": {"text": text, "intent": {"name": intent}, "entities": entities}}

    asked = [said("i need to change the delivery address for HG-100001", "change_address", "HG-100001"),
             said("LS6 2QT", "inform"), said("actually first, has HG-100002 shipped yet?", "order_status", "HG-100002"),
             said("ok back to the address change", "nlu_fallback")]
    pressed = said("/change_address", "change_address")
    slots = {"order_number": "HG-100002", "verified_order": "HG-100002", "postcode": "LS6 2QT"}
    tracker = make_tracker(slots, text="/change_address", intent="change_address", events=asked + [pressed],
                           domain=domain)
    assert order_of_the_task_resumed(tracker) == "HG-100001"
    result = ValidateOrderForm().validate_order_number("HG-100002", make_dispatcher(tracker), tracker, domain)
    assert result["order_number"] == "HG-100001" and result["order_verifier"] == VERIFIED, result
    # without words that go back, the change is for the order just talked about
    plain = said("can i change its address?", "change_address")
    tracker = make_tracker(slots, text=plain["text"], intent="change_address", events=asked[:3] + [plain],
                           domain=domain)
    assert order_of_the_task_resumed(tracker) is None


async def test_a_day_asked_about_is_answered_against_the_orders_arrival(database_url, session, domain,
                                                                        make_dispatcher):
    """A customer run: "ordered lamps for my mums birthday which is on saturday, HG-100001,
    will they get here in time??" got the status alone, and "ok but will it arrive by saturday
    or not?" the status again."""
    from datetime import timedelta

    from actions.phrasing import format_day
    from company.arrival import arrival_window
    from company.catalog import find_shipping_rate
    from ground.clock import utcnow

    today = utcnow().date()

    async def said(number: str, deadline) -> list:
        text = f"will {number} arrive by {deadline.day} {deadline:%B}?"
        tracker = make_tracker(_slots(number), text=text, intent="order_status", domain=domain,
                               events=[user_said(text, "order_status")])
        dispatcher = make_dispatcher(tracker)
        await ActionOrderStatus().run(dispatcher, tracker, domain)
        return dispatcher.messages

    for number in ("HG-100001", "HG-100002"):  # packing, and with the courier
        order = session.execute(select(Order).where(Order.number == number)).scalar_one()
        window = arrival_window(order, find_shipping_rate(session, order.ship_country_code), today)
        in_time = await said(number, window.latest)
        # (the shipped parcel's due day is in its status already)
        assert [m["response"] for m in in_time][1:] == [
            "utter_order_arrival_due_in_time" if order.status == OrderStatus.SHIPPED else "utter_order_arrival_in_time"]
        assert in_time[1]["deadline"] == format_day(window.latest)
        if window.earliest - timedelta(days=1) >= today:
            too_late = await said(number, window.earliest - timedelta(days=1))
            assert [m["response"] for m in too_late][1:] == ["utter_order_arrival_too_late"], number
            assert too_late[1]["earliest"] == format_day(window.earliest)
        if window.earliest < window.latest:
            maybe = await said(number, window.latest - timedelta(days=1))
            assert [m["response"] for m in maybe][1:] == ["utter_order_arrival_maybe"], number
    # a delivered order's arrival is no question any more; a status asked without a day has no answer to it
    assert [m["response"] for m in await said("HG-100003", today + timedelta(days=3))] == [
        "utter_order_status_delivered"]
    assert [m["response"] for m in await _status(domain, make_dispatcher, _slots("HG-100001"))] == [
        "utter_order_status_processing"]


@pytest.mark.parametrize("intent, confidence, kept", [
    # a customer run: read as an address change (0.76), which started where a status was checked
    ("change_address", 0.76, "status"),
    # a task the model is sure of is that task
    ("change_address", 0.95, None),
])
async def test_the_proof_given_keeps_the_task_the_model_read_beside_it(
        database_url, domain, make_dispatcher, intent, confidence, kept):
    text = "sorry wrong one, thats my old address. LS6 2QT"
    entities = [{"entity": "postcode", "value": "LS6 2QT", "start": text.index("LS6"), "end": len(text)}]
    said = {**user_said(text, intent), "parse_data": {"text": text, "entities": entities,
                                                      "intent": {"name": intent, "confidence": confidence}}}
    # as the form's validation gets it: the proof told fills the slot, so nothing is requested now
    events = [{"event": "slot", "name": "order_task", "value": "status"},
              {"event": "slot", "name": "order_number", "value": "HG-100001"},
              {"event": "slot", "name": "requested_slot", "value": "order_verifier"}, said,
              {"event": "slot", "name": "order_task", "value": "change_address"},
              {"event": "slot", "name": "postcode", "value": "LS6 2QT"},
              {"event": "slot", "name": "requested_slot", "value": None},
              {"event": "action", "name": "order_form"},
              {"event": "slot", "name": "order_verifier", "value": "LS6 2QT"}]
    tracker = make_tracker({"order_number": "HG-100001", "requested_slot": None, "postcode": "LS6 2QT",
                            "order_task": "change_address"}, text=text, intent=intent, entities=entities,
                           events=events, active_loop="order_form", domain=domain)
    tracker.latest_message["intent"]["confidence"] = confidence
    dispatcher = make_dispatcher(tracker)
    events = await ValidateOrderForm().run(dispatcher, tracker, domain)
    tasks = [e["value"] for e in events if e["event"] == "slot" and e["name"] == "order_task"]
    assert (tasks[-1] if tasks else None) == kept


def test_the_email_that_proved_one_order_proves_the_same_customers_other_order(database_url, domain,
                                                                                make_dispatcher):
    """A customer run: Alice proved HG-100001 with the email she gave at the start, and her
    HG-100002 asked for it again ("i gave you my email at the start!!")."""
    text = "Hi, it's Alice Morgan, alice.morgan@example.com - can you check both my orders please?"
    start = text.index("alice.morgan")
    told = {**user_said(text, "order_status"),
            "parse_data": {"text": text, "intent": {"name": "order_status"},
                           "entities": [{"entity": "email", "value": "alice.morgan@example.com", "start": start,
                                         "end": start + len("alice.morgan@example.com")}]}}
    for number, verified, proves in (("HG-100002", "HG-100001", True),
                                     # another customer's order: no proof, and no guess counted
                                     ("HG-100003", "HG-100001", False),
                                     # nothing proved yet: the email told proves nothing by itself here
                                     ("HG-100002", None, False)):
        slots = {"order_number": None, "requested_slot": "order_number", "verified_order": verified}
        tracker = make_tracker(slots, text=number, intent="inform", events=[told, user_said(number, "inform")],
                               active_loop="order_form", domain=domain)
        result = ValidateOrderForm().validate_order_number(number, make_dispatcher(tracker), tracker, domain)
        assert (result.get("order_verifier") == VERIFIED) is proves, (number, verified, result)
        assert not result.get("verification_failures"), result


@pytest.mark.parametrize("text, gift", [
    # a customer run: told the number is in "your order confirmation email", which the sender has
    ("hi, i got this as a present and want to return it, i don't have the order number", True),
    ("it was a gift from my aunt, can i send it back", True),
    ("i bought it as a gift for my dad, can i send it back", False),
    ("i want to return my kettle", False),
])
async def test_a_gift_s_recipient_is_told_where_a_gift_s_order_number_is(text, gift, domain, make_dispatcher):
    from actions.orders import ActionAskOrderNumber

    said = {"event": "user", "text": text, "parse_data": {"text": text, "entities": [],
                                                          "intent": {"name": "start_return"}}}
    tracker = make_tracker({"order_task": "return"}, text=text, intent="start_return", events=[said], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionAskOrderNumber().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_ask_order_number_gift" if gift else "utter_ask_order_number"]


async def test_an_order_placed_at_another_time_is_told_and_its_number_asked(database_url, domain, make_dispatcher):
    """A customer run: "thats odd, i ordered it last week, not october" right after HG-100004's
    status (delivered in October) got the same status again."""
    told = {"event": "bot", "text": "Order HG-100004 (Ember Toaster ×2) was delivered on Friday 23 October …",
            "metadata": {"utter_action": "utter_order_status_delivered"}}
    for text, other in (("thats odd, i ordered it last week, not october", True),
                        ("that's not my order", True),
                        ("ok thanks, and when will it arrive", False)):
        tracker = make_tracker(_slots("HG-100004"), text=text, intent="order_status", domain=domain,
                               events=[told, user_said(text, "order_status")])
        dispatcher = make_dispatcher(tracker)
        events = await ActionOrderStatus().run(dispatcher, tracker, domain)
        assert ("utter_order_placed_other_time" in dispatcher.responses()) is other, text
        if other:
            slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
            assert (slots["order_task"], slots["order_number"]) == ("status", None)
            assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_form"}
    # not right after its status: the status
    tracker = make_tracker(_slots("HG-100004"), text="i ordered it last week", intent="order_status", domain=domain,
                           events=[user_said("i ordered it last week", "order_status")])
    dispatcher = make_dispatcher(tracker)
    await ActionOrderStatus().run(dispatcher, tracker, domain)
    assert "utter_order_placed_other_time" not in dispatcher.responses()


async def test_the_arrival_asked_again_right_after_the_status_is_not_the_same_words(database_url, domain,
                                                                                  make_dispatcher):
    """A customer run: "when will it actually arrive tho?" right after the status of HG-100002
    got that status again, word for word."""
    told = {"event": "bot", "text": "Order HG-100002 (Cove Bluetooth Speaker) is on its way with Royal Mail …",
            "metadata": {"utter_action": "utter_order_status_shipped"}}
    text = "when will it actually arrive tho?"
    for earlier, response in (([told], "utter_order_status_shipped_again"), ([], "utter_order_status_shipped"),
                              ([{**told, "text": "Order HG-100003 is on its way …"}], "utter_order_status_shipped")):
        tracker = make_tracker(_slots("HG-100002"), text=text, intent="order_status", domain=domain,
                               events=[*earlier, user_said(text, "order_status")])
        dispatcher = make_dispatcher(tracker)
        await ActionOrderStatus().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [response], earlier
        assert dispatcher.messages[0]["eta"] and dispatcher.messages[0]["carrier"]
