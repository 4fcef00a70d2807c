"""The customer HTTP API of the running product: real gateway, real Rasa, real database."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import httpx
import pytest
import websockets

from ground.web.auth import issue_customer_token
from tests.product import CustomerClient, RunningProcess, StaffClient


@pytest.fixture
def customer(product: RunningProcess) -> CustomerClient:
    return CustomerClient(product.gateway_url)


def test_a_customer_chats_with_the_bot_and_reads_the_transcript(customer: CustomerClient) -> None:
    assert "Harbor Goods" in customer.say("hello")
    assert "email address" in customer.say("where is my order HG-100002?")
    answer = customer.say("alice.morgan@example.com")
    assert "HG-100002" in answer and "TRK" in answer
    transcript = customer.transcript()
    authors = [m["author"] for m in transcript["messages"]]
    assert authors[:2] == ["customer", "bot"] and authors.count("customer") == 3
    assert transcript["state"] == "bot" and transcript["cursor"] == transcript["messages"][-1]["id"]
    later = customer.transcript(after=transcript["messages"][1]["id"])
    assert later["messages"][0]["text"] == "where is my order HG-100002?"


def test_buttons_are_relayed_and_only_offered_ones_accepted(customer: CustomerClient) -> None:
    replies = customer.send(text="HG-100001").json()["replies"]
    offered = {b["title"]: b["payload"] for r in replies for b in r["buttons"]}
    assert offered.get("Track it") == "/order_status", replies
    pressed = customer.send(payload="/order_status")
    assert pressed.status_code == 200
    assert "email address" in " ".join(r["text"] for r in pressed.json()["replies"])
    pressed_message = pressed.json()["message"]
    assert pressed_message["kind"] == "button" and pressed_message["text"] == "Track it"
    forged = customer.send(payload='/inform{"order_number": "HG-100003"}')
    assert forged.status_code == 422


def test_an_upset_customer_hears_the_feeling_acknowledged_before_the_answer(
        customer: CustomerClient, domain: Dict[str, Any]) -> None:
    # Rasa runs action_validate_slot_mappings at each message, before the answer is chosen
    acknowledgements = {v["text"] for v in domain["responses"]["utter_acknowledge_feeling"]}
    upset = [r["text"] for r in customer.send(text="where is my order, im really annoyed")
             .json()["replies"]]
    assert upset[0] in acknowledgements and "order number" in upset[1], upset
    assert customer.transcript()["state"] == "bot"  # kept by the assistant, not handed over
    calm = [r["text"] for r in customer.send(text="HG-100001").json()["replies"]]
    assert calm and not acknowledgements & set(calm), calm


def test_a_fault_reported_as_the_first_message_leads_to_a_return(customer: CustomerClient) -> None:
    # before, "inform" (how the reason for a return is answered) took it, and nothing followed;
    # then the reason was asked for again once the order was proved
    assert "order number" in customer.say("the blender you sent me is cracked")
    assert "email address" in customer.say("HG-100003")
    # (the only test on HG-100003, whose return this starts) the fault told is the reason: it
    # is summed up and asked first, and the order's several items are named as the whole return
    asked = customer.say("M3 4LQ")
    assert "reason for the return" not in asked and "the blender you sent me is cracked" in asked, asked
    assert "whole of order HG-100003" in asked and "Shall I start it?" in asked, asked
    assert "is started" not in asked
    assert "is started" in customer.say("yes please")


def test_a_reason_that_names_the_item_is_the_reason(customer: CustomerClient, product: RunningProcess) -> None:
    # a reason that names the item reads like a return request itself; asked for the reason,
    # it is the reason
    order = _returnable_order(product.env["DATABASE_URL"])
    _asked_for_the_reason(customer, order)
    number = order[0]
    asked = customer.say("the one I bought is faulty")
    assert "Shall I start it?" in asked and "the one I bought is faulty" in asked, asked
    assert "haven't registered a return" in customer.say("no")
    assert _returns_of(product.env["DATABASE_URL"], number) == 0


def _returnable_order(database_url: str) -> Any:
    """The last seeded order (by number) a return is allowed for: no other test uses it."""
    from sqlalchemy import select

    from company import policies
    from company.models import Order
    from ground.clock import utcnow
    from ground.database import session_factory

    with session_factory(database_url)() as session:
        orders = session.execute(select(Order).where(Order.number >= "HG-100100")
                                 .order_by(Order.number.desc())).scalars().all()
        order = next(o for o in orders if policies.return_decision(o, utcnow()).allowed
                     and not o.customer.is_vip)  # a VIP's return goes to their account manager
        return order.number, order.ship_postcode


def _returnable_order_of_several_items(database_url: str) -> Any:
    """The last seeded order (by number) a return is allowed for with more than one item."""
    from sqlalchemy import select

    from company import policies
    from company.models import Order
    from ground.clock import utcnow
    from ground.database import session_factory

    with session_factory(database_url)() as session:
        orders = session.execute(select(Order).where(Order.number >= "HG-100100")
                                 .order_by(Order.number.desc())).scalars().all()
        order = next(o for o in orders if policies.return_decision(o, utcnow()).allowed
                     and sum(item.quantity for item in o.items) > 1 and not o.customer.is_vip)
        return order.number, order.ship_postcode


def _asked_for_the_reason(customer: CustomerClient, order: Any) -> None:
    """Starts the return of `order` (number, postcode) and proves it, up to the reason asked."""
    number, postcode = order
    assert "email address" in customer.say(f"I want to return {number}")
    assert "reason for the return" in customer.say(postcode)


def _returns_of(database_url: str, number: str) -> int:
    from sqlalchemy import func, select

    from company.models import Order, ReturnRequest
    from ground.database import session_factory

    with session_factory(database_url)() as session:
        return session.execute(select(func.count()).select_from(ReturnRequest).join(Order)
                               .where(Order.number == number)).scalar_one()


def test_a_return_is_registered_only_on_the_customers_yes(customer: CustomerClient,
                                                          product: RunningProcess) -> None:
    """Before, whatever was typed where the reason was asked registered the return at once:
    a question ("where do I post it?") and a change of mind included."""
    number, postcode = _returnable_order(product.env["DATABASE_URL"])
    assert "email address" in customer.say(f"I'd like to return order {number}")
    assert "reason for the return" in customer.say(postcode)
    answered = customer.say("where do I post it?")
    assert "returns label" in answered and "reason for the return" in answered, answered
    stopped = customer.say("actually I don't want to return it anymore")
    assert "haven't registered a return" in stopped, stopped
    assert _returns_of(product.env["DATABASE_URL"], number) == 0

    assert "reason for the return" in customer.say(f"sorry, I do want to return {number} after all")
    asked = customer.say("it's too small")
    assert "Shall I start it?" in asked and '"it\'s too small"' in asked, asked
    assert "haven't registered a return" in customer.say("no")
    assert _returns_of(product.env["DATABASE_URL"], number) == 0


def test_a_button_that_sends_words_can_be_pressed(customer: CustomerClient,
                                                  product: RunningProcess) -> None:
    """The return reasons' buttons send words ("It's faulty"), not an intent: the web API
    refused them (422, "payload must be a button payload such as /greet"), and the chat
    page showed that error to a customer who pressed one."""
    number, postcode = _returnable_order(product.env["DATABASE_URL"])
    assert "email address" in customer.say(f"I'd like to return order {number}")
    replies = customer.send(text=postcode).json()["replies"]
    reasons = {b["title"]: b["payload"] for b in replies[-1]["buttons"]}
    assert reasons["It's faulty"] == "It's faulty"
    pressed = customer.send(payload=reasons["It's faulty"])
    assert pressed.status_code == 200, pressed.text
    summary = " ".join(r["text"] for r in pressed.json()["replies"])
    assert "Shall I start it?" in summary and "It's faulty" in summary, summary
    said = [m for m in customer.transcript()["messages"] if m["author"] == "customer"]
    assert said[-1]["text"] == "It's faulty"  # as pressed
    assert "haven't registered a return" in customer.say("no")


def test_a_return_given_up_where_its_reason_is_asked_ends_there(customer: CustomerClient,
                                                                product: RunningProcess) -> None:
    """"no forget the return" (the returns policy, to the model) got the policy and the
    reason question again, with no way out (4 of 4 in a customer run)."""
    order = _returnable_order(product.env["DATABASE_URL"])
    _asked_for_the_reason(customer, order)
    number = order[0]
    stopped = customer.say("no forget the return")
    assert "haven't registered a return" in stopped and "reason for the return" not in stopped, stopped
    assert _returns_of(product.env["DATABASE_URL"], number) == 0


def test_which_reason_to_give_or_an_invoice_asked_in_a_return_keeps_the_return(customer: CustomerClient,
                                                                               product: RunningProcess) -> None:
    """A customer run: "what's the difference between faulty and damaged?" where the reason
    was asked went to a person (VADER reads both words as upset); "can I get an invoice for
    it?" at the summary sent the invoice and dropped the return, so the "yes" that followed
    was not understood."""
    order = _returnable_order(product.env["DATABASE_URL"])
    _asked_for_the_reason(customer, order)
    number = order[0]
    kinds = customer.say("what's the difference between faulty and damaged?")
    assert "doesn't work as it should" in kinds and "reason for the return" in kinds, kinds
    assert "passing you to a person" not in kinds and customer.transcript()["state"] == "bot"
    assert "Shall I start it?" in customer.say("It's faulty")
    # "hmm" there got "Could you tell me in a few words what you need?" before the summary
    hesitated = customer.say("hmm")
    assert "Take your time" in hesitated and "Shall I start it?" in hesitated, hesitated
    assert "few words" not in hesitated, hesitated
    invoiced = customer.say("can I get an invoice for it?")
    assert "invoice" in invoiced and "Shall I start it?" in invoiced, invoiced
    customer.say("yes")
    assert _returns_of(product.env["DATABASE_URL"], number) == 1


def test_a_reason_that_starts_with_no_is_kept_as_the_reason(customer: CustomerClient,
                                                             product: RunningProcess) -> None:
    """"no reason just dont like it", where the return's reason was asked, is a "no" to the
    model, and a rule ended the return on it: the customer who wanted the return lost it."""
    order = _returnable_order(product.env["DATABASE_URL"])
    _asked_for_the_reason(customer, order)
    number = order[0]
    summary = customer.say("no reason just dont like it")
    assert "Shall I start it?" in summary and "dont like it" in summary, summary
    assert "haven't registered a return" in customer.say("no")
    assert _returns_of(product.env["DATABASE_URL"], number) == 0


def test_only_some_of_the_items_typed_at_the_summary_brings_a_person(customer: CustomerClient,
                                                                    product: RunningProcess) -> None:
    """Typed, "only some of the items" (the button's own words) or "yes but only the …" got
    a help article or the same question again, and the customer never reached a person."""
    order = _returnable_order_of_several_items(product.env["DATABASE_URL"])
    _asked_for_the_reason(customer, order)
    number = order[0]
    assert "whole of order" in customer.say("it arrived damaged")
    handed = customer.say("yes but only some of the items")
    assert "only some of the items" in handed and "passing you to a person" in handed, handed
    assert customer.transcript()["state"] != "bot"
    assert _returns_of(product.env["DATABASE_URL"], number) == 0


def test_a_replacement_wanted_instead_of_a_refund_goes_to_a_person(customer: CustomerClient,
                                                                   product: RunningProcess) -> None:
    """"i don't want a refund, i want a replacement" got the whole order's refund summed up
    again, with those words as the reason (a customer run)."""
    order = _returnable_order(product.env["DATABASE_URL"])
    _asked_for_the_reason(customer, order)
    number = order[0]
    handed = customer.say("it arrived cracked, i don't want a refund i want a replacement")
    assert "replacement instead of a refund" in handed and "passing you to a person" in handed, handed
    assert _returns_of(product.env["DATABASE_URL"], number) == 0


def test_items_missing_from_a_delivered_parcel_go_to_a_person(customer: CustomerClient) -> None:
    # "came today but the box was empty" got "check with neighbours", "the speaker is
    # missing??" was not understood (a customer run)
    said = customer.say("came today but the box was empty?! HG-100003")
    assert "missing from your parcel" in said and "passing you to a person" in said, said
    assert customer.transcript()["state"] != "bot"


def test_a_po_box_question_is_answered_not_handed_over(customer: CustomerClient) -> None:
    # VADER's "po" is "pissed off": the question went to a person as very upset (3 of 4)
    said = customer.say("can i get it delivered to a PO box")
    assert "PO boxes" in said and customer.transcript()["state"] == "bot", said


def test_an_address_asked_for_out_of_the_blue_starts_the_address_change(customer: CustomerClient) -> None:
    """"so can you change it to 5 Park Row, Leeds LS1 5HD" (read as correcting a requirement)
    got the 5W1H form, "Which part should I change?" (2 of 2 in a customer run)."""
    asked = customer.say("so can you change it to 5 Park Row, Leeds LS1 5HD")
    assert "order number" in asked and "Which part" not in asked, asked
    assert "email address" in customer.say("HG-100001")
    confirm = customer.say("LS6 2QT")
    assert "send order HG-100001 to 5 Park Row, Leeds LS1 5HD?" in confirm, confirm
    assert "as it was" in customer.say("no, leave it")


def test_a_cancellation_held_back_in_words_keeps_the_order(customer: CustomerClient,
                                                            product: RunningProcess) -> None:
    """"actually no wait don't cancel it" falls back in the model; it got "did you mean
    'Cancel an order'?" and the order was forgotten. Nothing is cancelled here."""
    assert "email address" in customer.say("please cancel my order HG-100001")
    assert "Are you sure you want to cancel" in customer.say("LS6 2QT")
    # read as a yes by the model, and it cancelled the order: it says both, so it is asked again
    again = customer.say("yes... no actually")
    assert "want to be sure" in again and "Are you sure you want to cancel" in again, again
    assert _order_status(product.env["DATABASE_URL"], "HG-100001") == "processing"
    kept = customer.say("actually no wait don't cancel it")
    assert "HG-100001 stays as it is" in kept, kept
    assert _order_status(product.env["DATABASE_URL"], "HG-100001") == "processing"


def _cancellable_orders(database_url: str) -> List[Any]:
    """Two seeded orders of different customers and postcodes, not VIPs (whose changes go to their
    account manager), that can still be cancelled and that no other test uses (HG-100216
    is another test's)."""
    from sqlalchemy import select

    from company import policies
    from company.models import Order
    from ground.database import session_factory

    with session_factory(database_url)() as session:
        orders = session.execute(select(Order).where(Order.number > "HG-100100")
                                 .where(Order.number != "HG-100216")
                                 .order_by(Order.number)).scalars().all()
        orders = [o for o in orders if policies.cancellation_decision(o).allowed
                  and not o.customer.is_vip]
        # a postcode already told proves every order delivered there: the second is elsewhere
        second = next(o for o in orders if o.customer_id != orders[0].customer_id
                      and o.ship_postcode != orders[0].ship_postcode)
        first = orders[0]
        return [(o.number, o.ship_postcode) for o in (first, second)]


def test_another_order_named_at_the_cancellation_question_is_the_one_cancelled(
        customer: CustomerClient, product: RunningProcess) -> None:
    """"no sorry, cancel HG-… instead" kept the first order and dropped the request: the
    customer had to start again. Now the order named is checked with its own proof and
    asked about; the first stays as it is."""
    database_url = product.env["DATABASE_URL"]
    (first, first_postcode), (second, second_postcode) = _cancellable_orders(database_url)
    assert "email address" in customer.say(f"please cancel order {first}")
    assert "Are you sure you want to cancel" in customer.say(first_postcode)
    switched = customer.say(f"sorry wrong one, cancel {second} instead")
    assert f"{first} stays as it is" in switched and f"postcode of order {second}" in switched, switched
    asked = customer.say(second_postcode)
    assert "Are you sure you want to cancel" in asked and second in asked, asked
    assert "is cancelled" in customer.say("yes")
    assert _order_status(database_url, second) == "cancelled"
    assert _order_status(database_url, first) != "cancelled"


def test_another_order_named_where_the_new_address_is_asked_is_proved_first(
        customer: CustomerClient, product: RunningProcess) -> None:
    """"hang on wrong order number. HG-…" where the new address was asked went on with the
    new number and the old proof ("send order HG-… to …?"), and the yes then got no reply
    and no change (3 of 3 in a customer run)."""
    (first, first_postcode), (second, second_postcode) = _cancellable_orders(product.env["DATABASE_URL"])
    assert "email address" in customer.say(f"change the address on {first}")
    assert "What's the new delivery address" in customer.say(first_postcode)
    switched = customer.say(f"hang on wrong order number. {second}")
    assert f"nothing has changed on order {first}" in switched and f"postcode of order {second}" in switched, switched
    assert "sorry" not in switched.lower() and "couldn't read" not in switched, switched
    asked = customer.say(second_postcode)
    assert "What's the new delivery address" in asked and second in asked, asked
    confirm = customer.say("5 Castle Street, Liverpool L2 4SW")
    assert f"send order {second} to 5 Castle Street, Liverpool L2 4SW?" in confirm, confirm
    assert "haven't changed anything" in customer.say("no")
    assert f"left the delivery address of order {second} as it was" in customer.say("leave it")


def test_two_orders_named_at_once_are_asked_about_with_a_button_each(customer: CustomerClient,
                                                                     product: RunningProcess) -> None:
    """"please cancel HG-A. also, any news on HG-B?" offered to cancel HG-B (3 of 3 in a
    customer run); then "which order?" came with "what's your order number?" after it. Each
    task keeps its own order: the cancellation of HG-A first, the news on HG-B offered after."""
    database_url = product.env["DATABASE_URL"]
    (first, first_postcode), (second, _) = _cancellable_orders(database_url)
    sent = customer.send(text=f"please cancel {first}. also, any news on {second}?").json()
    said = " ".join(r["text"] for r in sent["replies"])
    assert f"delivery postcode of order {first}" in said and "What's your order number" not in said, said
    assert sent["replies"][-1]["buttons"] == [{"title": "Track an order", "payload": f"any news on {second}?"}]
    asked = customer.say(first_postcode)
    assert "Are you sure you want to cancel" in asked and first in asked and second not in asked, asked
    assert "stays as it is" in customer.say("no")
    assert _order_status(database_url, first) != "cancelled"


def test_a_question_about_the_cost_at_the_cancellation_question_keeps_it_open(
        customer: CustomerClient, product: RunningProcess) -> None:
    """"hang on, will I be charged anything for cancelling?" got the fees answer, and the yes
    after it was not understood: the order stayed and the customer had to start again."""
    database_url = product.env["DATABASE_URL"]
    (first, first_postcode), _ = _cancellable_orders(database_url)
    assert "email address" in customer.say(f"please cancel order {first}")
    assert "Are you sure you want to cancel" in customer.say(first_postcode)
    answered = customer.say("hang on, will I be charged anything for cancelling?")
    assert "costs nothing" in answered and "Are you sure you want to cancel" in answered, answered
    assert "stays as it is" in customer.say("no, leave it")
    assert _order_status(database_url, first) != "cancelled"


def test_a_new_address_told_with_the_request_is_not_asked_for_again(customer: CustomerClient,
                                                                      product: RunningProcess) -> None:
    first = customer.say("change the delivery address for HG-100001 to 22 Station Road, Cambridge, CB1 2JW")
    # its postcode is no proof of the order: no "can't match", no failed check counted
    assert "email address" in first and "can't match" not in first, first
    asked = customer.say("LS6 2QT")
    assert "send order HG-100001 to 22 Station Road, Cambridge CB1 2JW?" in asked, asked
    assert "What's the new delivery address" not in asked
    # a plain "no" asks for the right address: the form ended on it, and the corrected address
    # typed next got "What would you like me to help with?" (a customer run)
    again = customer.say("no")
    assert "haven't changed anything" in again and "What's the new delivery address" in again, again
    corrected = customer.say("22 Station Road, Cambridge, CB1 2JX")
    assert "send order HG-100001 to 22 Station Road, Cambridge CB1 2JX?" in corrected, corrected
    assert "haven't changed anything" in customer.send(payload="/deny").json()["replies"][0]["text"]
    assert "left the delivery address of order HG-100001 as it was" in customer.say("leave it")


def _order_status(database_url: str, number: str) -> str:
    from sqlalchemy import select

    from company.models import Order
    from ground.database import session_factory

    with session_factory(database_url)() as session:
        return session.execute(select(Order.status).where(Order.number == number)).scalar_one()


def test_a_hesitation_at_a_confirmation_changes_nothing(customer: CustomerClient, product: RunningProcess) -> None:
    """A customer run: "hmm" to "Are you sure you want to cancel the whole order?" cancelled
    it, and "hmm" or "ok?" to the new address read back sent the parcel there (4 of 4). The
    question is asked again, and nothing changes."""
    database_url = product.env["DATABASE_URL"]
    (number, postcode), _ = _cancellable_orders(database_url)
    assert "email address" in customer.say(f"please cancel order {number}")
    assert "Are you sure you want to cancel" in customer.say(postcode)
    for doubt in ("hmm", "ok?"):
        said = customer.say(doubt)
        assert "Are you sure you want to cancel" in said and "is cancelled" not in said, said
    assert "stays as it is" in customer.say("no")
    assert _order_status(database_url, number) != "cancelled"
    assert "new delivery address" in customer.say(f"change the address on {number}")
    assert "Just to check" in customer.say("5 Elm Street, London NW3 2AB")
    for doubt in ("hmm", "uhh", "ok?"):
        said = customer.say(doubt)
        assert "Just to check" in said and "Done" not in said, said
    assert "Done" not in customer.say("no")
    assert _ship_postcode(database_url, number) == postcode


def _ship_postcode(database_url: str, number: str) -> str:
    from sqlalchemy import select

    from company.models import Order
    from ground.database import session_factory

    with session_factory(database_url)() as session:
        return session.execute(select(Order.ship_postcode).where(Order.number == number)).scalar_one()


def test_no_after_a_question_the_shop_cannot_answer_is_not_handed_to_a_person(
        customer: CustomerClient) -> None:
    assert "not something I can help with" in customer.say("can you tell me who won the football last night")
    # "no" to "what can I do for you there?" is "nothing": before, it counted as a second
    # failed turn and went to a person with "I'm still not getting it"
    assert "just write here" in customer.say("no")
    assert customer.transcript()["state"] == "bot"


def test_a_short_question_leaning_on_an_answer_is_offered_that_topic(customer: CustomerClient) -> None:
    # "how much is it" after the delivery answer was "not something I can help with", and
    # "and how long does it take" then went to a person as a second failed turn. Right after a
    # delivery answer it is that delivery's price (handoff/follow_ups.py); after the plans, the
    # plans are offered as the topic it leans on
    assert "To Ireland" in customer.say("do you deliver to ireland")
    priced = customer.send(text="how much is it").json()["replies"]
    assert "To Ireland" in priced[0]["text"] and "£" in priced[0]["text"], priced
    assert "Harbor Club has 3 plans" in customer.say("whats harbor club")
    replies = customer.send(text="how much is it").json()["replies"]
    assert "as before" in replies[-1]["text"], replies
    offered = {b["title"]: b["payload"] for b in replies[-1]["buttons"]}
    assert offered.get("Harbor Club plans and prices") == "/ask_plans", replies
    again = customer.send(payload=offered["Harbor Club plans and prices"]).json()["replies"]
    assert "Harbor Club has 3 plans" in again[0]["text"], again
    assert customer.transcript()["state"] == "bot"


def test_the_same_topic_with_a_new_detail_is_answered_not_handed_over(customer: CustomerClient) -> None:
    # "what's the difference between plus and premium" after the plans answer went to a
    # person as "asked the same again"
    assert "Harbor Club has 3 plans" in customer.say("what plans do you have")
    compared = customer.say("what's the difference between plus and premium")
    assert "Side by side" in compared and "Essential" not in compared, compared
    assert "£5 a month more" in compared, compared
    assert customer.transcript()["state"] == "bot"
    # "what about france" after the delivery answer for Ireland: France is answered
    # (bot/policies/follow_ups.py; it was offered as a button first)
    assert "To Ireland" in customer.say("do you deliver to ireland")
    assert "To France" in customer.say("what about france")
    assert customer.transcript()["state"] == "bot"


def test_a_customer_trying_the_websites_fixes_first_gets_a_person_when_it_still_fails(
        customer: CustomerClient) -> None:
    # "ok will do" (I'll try) went to a person at once, before the customer had tried
    assert "reload the page" in customer.say("your website keeps crashing at the checkout")
    replies = customer.send(text="ok will do").json()["replies"]
    assert "Good luck" in replies[-1]["text"], replies
    assert customer.transcript()["state"] == "bot"
    # another question first: the button still reaches a person
    assert "Harbor Club has 3 plans" in customer.say("what plans do you have")
    offered = {b["title"]: b["payload"] for b in replies[-1]["buttons"]}
    customer.send(payload=offered["It still doesn't work"]).raise_for_status()
    assert customer.transcript()["state"] == "queued"


def test_a_customer_trying_the_websites_fixes_first_can_say_it_still_fails(customer: CustomerClient) -> None:
    # "it still doesn't work" after "good luck" got "sorry, I didn't quite get that"
    assert "reload the page" in customer.say("your website keeps crashing at the checkout")
    assert "Good luck" in customer.say("ok will do")
    assert "here if it still doesn't work" in customer.say("ok")
    assert customer.transcript()["state"] == "bot"
    customer.say("it still doesn't work")
    assert customer.transcript()["state"] == "queued"


@pytest.mark.parametrize("reply", ["no, tried that", "no luck"])
def test_a_no_that_says_the_fixes_failed_gets_a_person(customer: CustomerClient, reply: str) -> None:
    assert "reload the page" in customer.say("the app won't open my basket")
    customer.say(reply)
    assert customer.transcript()["state"] == "queued"


def test_no_its_working_now_after_the_website_answer_ends_there(customer: CustomerClient) -> None:
    assert "reload the page" in customer.say("the app won't open my basket")
    assert "Glad it's working" in customer.say("no, it's working now")
    assert customer.transcript()["state"] == "bot"


@pytest.mark.parametrize("first", [[], ["ok will do"]])
def test_the_site_working_again_is_no_question_asked_again(customer: CustomerClient, first) -> None:
    # "the site is working now" is classed as the website topic: it went to a person as the
    # same question asked again
    assert "reload the page" in customer.say("your website won't load for me")
    for text in first:
        customer.say(text)
    assert "Glad it's working" in customer.say("the site is working now")
    assert customer.transcript()["state"] == "bot"


def test_no_that_did_not_help_after_the_website_answer_gets_a_person(customer: CustomerClient) -> None:
    # it was read as "no, no person" and got "anything else?"
    assert "reload the page" in customer.say("the app won't open my basket")
    customer.say("no, that didn't help")
    assert customer.transcript()["state"] == "queued"


def test_a_bereaved_customer_gets_condolences_and_a_person_not_the_erasure_flow(
        customer: CustomerClient) -> None:
    # it was read as closing the customer's own account: "You want us to close your account
    # and erase your personal data – is that right?", and no person
    said = customer.say("my mum passed away last month and I need to close her account and stop the emails")
    assert "sorry for your loss" in said and "erase" not in said, said
    assert customer.transcript()["state"] == "queued"


def test_a_parcel_still_missing_after_the_delivered_answer_gets_a_person(customer: CustomerClient) -> None:
    # the answer asks to be told if it's still missing; being told got a help article
    assert "email address" in customer.say("HG-100003 says delivered but i never got it")
    assert "tell me if it's still missing" in customer.say("M3 4LQ")
    said = customer.say("i checked with neighbours, it's still missing")
    assert "claim with the courier" in said, said
    assert customer.transcript()["state"] == "queued"


def test_a_cancellation_regretted_at_once_gets_a_person(customer: CustomerClient) -> None:
    # "oh no wait, I didn't mean that, can you undo it?" got "sorry, I didn't quite get that"
    # HG-100216 is being packed, and no other test uses it
    assert "email address" in customer.say("please cancel my order HG-100216")
    replies = customer.send(text="OX1 4AH").json()["replies"]
    # its several items: "Yes, cancel the whole order"
    confirm = {b["title"]: b["payload"] for b in replies[-1]["buttons"]}
    assert "is cancelled" in " ".join(r["text"] for r in customer.send(
        payload=confirm["Yes, cancel the whole order"]).json()["replies"])
    said = customer.say("oh no wait, I didn't mean that, can you undo it?")
    assert "can't undo a cancellation myself" in said, said
    assert customer.transcript()["state"] == "queued"


def test_a_follow_up_on_the_status_is_answered_again_not_handed_over(customer: CustomerClient) -> None:
    # "and when was it delivered?" after the delivered answer went to a person (about 38
    # minutes' wait) as the same question asked again
    assert "email address" in customer.say("wheres my parcel?? hg-100003")
    assert "was delivered on" in customer.say("m3 4lq")
    again = customer.say("and when was it delivered?")
    assert "was delivered on" in again, again
    assert customer.transcript()["state"] == "bot"


def test_a_reset_email_that_never_arrives_gets_help_and_a_person(customer: CustomerClient) -> None:
    # told inside the reset form, it got "that doesn't look like an email address" each time
    assert "email address" in customer.say("forgot my password cant log in")
    replies = customer.send(text="the reset email never arrives").json()["replies"]
    assert "spam folder" in replies[0]["text"], replies
    offered = {b["title"]: b["payload"] for b in replies[0]["buttons"]}
    customer.send(payload=offered["Talk to a person"]).raise_for_status()
    assert customer.transcript()["state"] == "queued"


def test_a_reset_link_said_not_to_have_come_is_helped_not_tracked_as_an_order(
        customer: CustomerClient) -> None:
    """After the link was sent, "it hasnt come through" got "what's your order number?" and
    "can u send another" then "that doesn't look like one of our order numbers" (2 of 2)."""
    assert "email address" in customer.say("i forgot my password")
    assert "reset link is on its way" in customer.say("ben.okafor@example.com")
    helped = customer.say("it hasnt come through")
    assert "spam or junk" in helped and "be***@example.com" in helped and "order number" not in helped, helped
    again = customer.say("can u send another")
    assert "reset link is on its way" in again and "order number" not in again, again
    # another address given: the link goes there
    corrected = customer.say("sorry typed the wrong email, its alice.morgan@example.com")
    assert "al***@example.com" in corrected and "reset link is on its way" in corrected, corrected


def test_an_email_given_where_nothing_asked_for_one_is_asked_what_it_is_for(
        customer: CustomerClient) -> None:
    """After the sign-up answer, "its bob.smith@gmail.com" started an order check: "what's
    your order number?" (7 times in a customer run, after several answers)."""
    customer.say("never got the confirmation email when i signed up so i cant log in")
    replies = customer.send(text="its bob.smith@gmail.com").json()["replies"]
    asked = " ".join(r["text"] for r in replies)
    assert "What would you like me to help with?" in asked and "order number?" not in asked, asked
    assert "Reset my password" in [b["title"] for b in replies[-1]["buttons"]]


def test_a_postcode_typed_at_the_orders_options_proves_the_order_chosen_next(
        customer: CustomerClient) -> None:
    """"LS6 2QT" typed at "what would you like to do with order HG-100001?" got "sorry, I
    didn't quite get that" (4 times in a customer run)."""
    assert "What would you like to do with order HG-100001?" in customer.say("HG-100001")
    kept = customer.say("LS6 2QT")
    assert "I'll use that to check the order" in kept and "What would you like to do" in kept, kept
    tracked = customer.send(payload="/order_status").json()["replies"]
    assert "HG-100001" in tracked[0]["text"] and "email address" not in tracked[0]["text"], tracked


@pytest.mark.parametrize("done", ["no thanks, that's all", "no thanks bye", "no"])
def test_a_no_after_an_answer_is_understood_and_a_second_ends_the_chat(customer: CustomerClient, done) -> None:
    # "no thanks, that's all" after the delivery answer got "sorry, I didn't quite get that"
    assert "To Germany" in customer.say("do you deliver to germany")
    assert "anything else" in customer.say(done)
    assert "Thanks for chatting" in customer.say("no")
    # and a "no" to the rating that follows is no new question
    assert "Thanks again" in customer.say("no thanks")
    assert customer.transcript()["state"] == "bot"


def test_a_products_price_and_stock_come_from_the_catalogue(customer: CustomerClient) -> None:
    # "how much are the nimbus headphones" fell back with no topic for it, and "when will the
    # backpack be back in stock" started the order form (order_status, 0.70)
    price = customer.say("how much are the nimbus headphones")
    assert "buy the Nimbus Headphones for £129" in price, price
    stock = customer.say("when will the backpack be back in stock")
    assert "Summit Backpack (£75)" in stock and "Email me when it's back" in stock, stock
    assert "order number" not in stock
    # the price after the stock of the same product is another question, not the same again
    assert "buy the Summit Backpack for £75" in customer.say("and how much is it")
    assert customer.transcript()["state"] == "bot"


def test_a_message_in_another_language_is_told_the_assistant_reads_english(customer: CustomerClient) -> None:
    replies = customer.send(text="bonjour, je voudrais suivre ma commande").json()["replies"]
    assert "only chat in English" in replies[0]["text"] and "French" in replies[0]["text"], replies
    assert [b["payload"] for b in replies[0]["buttons"]] == ["/request_human"]


def test_a_discount_question_gets_the_discount_article_not_the_plans(customer: CustomerClient) -> None:
    # "do you do student discount?" was answered with the Harbor Club plans (ask_plans 0.76)
    answer = customer.say("hiya, do you do student discount?")
    assert "Discount codes, sales and price drops" in answer and "Harbor Club has" not in answer, answer


def test_questions_leaning_on_a_help_answer_are_answered_from_it(customer: CustomerClient) -> None:
    # customer runs: "how do I claim that" after the price drop got the warranty claims, and
    # "can i use two on one order" after the gift cards got the packaging article
    assert "we refund the difference" in customer.say("the price dropped after i bought it, can i get the difference?")
    claimed = customer.say("how do I claim that")
    assert "To claim it, tell our team the order number" in claimed and "warranty" not in claimed.lower(), claimed
    assert "Harbor Goods gift cards" in customer.say("do you sell gift cards")
    used = customer.say("can i use two on one order")
    assert "up to three gift cards on one order" in used and "packaging" not in used, used


def test_an_order_not_arrived_told_with_its_product_is_tracked(customer: CustomerClient) -> None:
    # before, the product and the time ("a desk lamp last week") drew it towards a return
    first = customer.say("hi i ordered a desk lamp last week and it still hasnt arrived, order HG-100002")
    assert "email address" in first, first
    assert "TRK" in customer.say("alice.morgan@example.com")


def test_the_warranty_answer_offers_a_way_to_report_a_fault(customer: CustomerClient) -> None:
    replies = customer.send(text="whats the warranty on the nimbus headphones").json()["replies"]
    assert "warranty on the Nimbus Headphones is" in replies[0]["text"], replies
    offered = {b["title"]: b["payload"] for r in replies for b in r["buttons"]}
    assert offered.get("Something has a fault") == "/start_return", replies
    pressed = customer.send(payload="/start_return").json()["replies"]
    assert "order number" in " ".join(r["text"] for r in pressed), pressed


def test_a_customer_without_the_order_number_is_told_where_it_is(customer: CustomerClient) -> None:
    # "i dont know the order number" got "that doesn't look like one of our order numbers",
    # then "Sure. What's your order number?" again
    assert "What's your order number?" in customer.say("where is my order")
    told = customer.say("i dont know the order number")
    assert "Your orders" in told and "doesn't look like" not in told, told
    assert "What's the order number?" in told and "check that for you" not in told, told


def test_a_fault_typed_after_the_warranty_answer_starts_the_return(customer: CustomerClient) -> None:
    # "if yours has developed a fault, tell me": told in words, it got "didn't get that"
    assert "warranty on the Nimbus Headphones is" in customer.say("whats the warranty on the nimbus headphones")
    noted = customer.say("the left one stopped working")
    assert "sorry it has a fault" in noted and "order number" in noted and "didn't" not in noted, noted


def test_a_fault_past_the_return_window_becomes_a_warranty_claim(
        customer: CustomerClient, product: RunningProcess) -> None:
    # HG-100004 was delivered more than 30 days ago (the only test on it)
    assert "order number" in customer.say("the toaster I got from you has stopped working")
    assert "email address" in customer.say("HG-100004")
    offer = customer.say("M3 4LQ")
    assert "can no longer be returned" in offer and "still covered by the warranty" in offer, offer
    # a question there was read as goodbye: the chat was closed and no claim made
    asked = customer.say("what happens next?")
    assert "checks the fault" in asked and "Shall I pass a warranty claim for order HG-100004" in asked, asked
    assert "Take care" not in asked and customer.transcript()["state"] == "bot"
    # a refund wanted instead: why there is none here, and a person among the buttons
    refund = customer.send(text="i said i want a refund not a repair").json()["replies"]
    assert "can't offer a refund" in refund[0]["text"], refund
    assert "Talk to a person" in [b["title"] for b in refund[-1]["buttons"]]
    # "no", then a change of mind: before, the "no" was followed by "didn't get that"
    declined = customer.say("no")
    assert "no claim is made" in declined and "didn't" not in declined, declined
    claim = customer.say("actually yes, make the claim")  # typed, not the button
    assert "warranty claim" in claim and "product team" in claim and "didn't" not in claim, claim
    ticket = StaffClient.admin(product.gateway_url).ticket_of(customer.id)
    assert ticket["reasons"] == ["warranty_claim"] and ticket["tier"] == 2
    assert "the toaster I got from you has stopped working" in ticket["summary"]


def test_a_question_about_order_emails_after_unsubscribing_signs_nobody_up(
        customer: CustomerClient, product: RunningProcess) -> None:
    """"will i still get emails about my orders tho" right after the newsletter was stopped
    was read as a sign-up; the customer who gave their email again was back on the list."""
    from company import newsletter
    from ground.database import session_factory

    email = "ben.okafor@example.com"
    assert "Which email address" in customer.say("please take me off the mailing list")
    assert "won't get our newsletter" in customer.say(email)
    replies = customer.send(text="will i still get emails about my orders tho").json()["replies"]
    answer = " ".join(r["text"] for r in replies)
    assert "always get the emails about your orders" in answer and "email address" not in answer, answer
    # signing up again is one plain press away
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes, sign me up", "No thanks"]
    with session_factory(product.env["DATABASE_URL"])() as session:
        assert not newsletter.is_subscribed(session, email)


def test_no_change_wanted_where_the_new_address_is_asked_ends_the_change(
        customer: CustomerClient, product: RunningProcess) -> None:
    """"no i dont want to change the address, i want to pick the delivery day" got the
    question for the new address again, word for word (3 of 3 customers)."""
    assert "email address" in customer.say("I need to change the delivery address of HG-100001")
    assert "new delivery address" in customer.say("LS6 2QT")
    kept = customer.say("no i dont want to change the address, i want to pick the delivery day")
    assert "left the delivery address of order HG-100001 as it was" in kept, kept
    assert "new delivery address" not in kept


def test_the_order_named_after_the_general_answer_on_changes_gets_its_own_answer(
        customer: CustomerClient) -> None:
    # before, the number alone got "What would you like to do with order HG-100001?"
    overview = customer.say("can I change what's in my order? I want the blue one instead")
    assert "Tell me your order number" in overview, overview
    assert "email address" in customer.say("HG-100001")
    answer = customer.say("LS6 2QT")
    assert "Order HG-100001 is" in answer and "possible for it right now" in answer, answer


def test_the_task_asked_again_while_the_order_is_checked_is_not_handed_over(
        customer: CustomerClient) -> None:
    # "ok cancel it then" while the postcode was asked for: before, "asked the same again"
    # handed the customer to a person
    assert "order number" in customer.say("I want to cancel my order")
    assert "email address" in customer.say("HG-100002")
    again = customer.say("ok cancel it then")
    assert "passing you to a person" not in again and "email address" in again, again
    assert "can't be cancelled" in customer.say("alice.morgan@example.com")
    assert customer.transcript()["state"] == "bot"


def test_an_email_given_before_the_order_number_is_not_asked_for_again(
        customer: CustomerClient) -> None:
    assert "order number" in customer.say("where is my order")
    first = customer.say("alice.morgan@example.com")
    assert "still need the order number" in first and "doesn't look like" not in first, first
    assert "TRK" in customer.say("HG-100002")


def test_the_new_email_told_for_the_current_one_is_kept_and_the_current_one_asked(
        customer: CustomerClient) -> None:
    # "its alice.new@example.com now" was taken as the account's current email, and the
    # account check then failed, a failure that counts towards a lock
    assert "email address on your account" in customer.say("I want to change my email address")
    kept = customer.say("its alice.new@example.com now")
    assert "alice.new@example.com your new email address" in kept, kept
    assert "email address on your account" in kept and "don't match" not in kept, kept
    assert "postcode" in customer.say("alice.morgan@example.com")


def test_a_new_account_email_is_read_back_and_its_typo_mended_before_the_change(
        product: RunningProcess, customer: CustomerClient) -> None:
    """A customer run: the account email was changed the moment "noah.davies@gmial.com" was
    typed, and "it should be gmail.com not gmial" after it was not understood (here with
    another provider's typo). The new
    address is read back first; the correction is read back in its turn; "yes" changes it."""
    from sqlalchemy import select

    from company.models import Customer
    from ground.database import session_factory
    from tests.product import spare_orders

    email = spare_orders(product.env["DATABASE_URL"])[2].email
    with session_factory(product.env["DATABASE_URL"])() as session:
        postcode = session.execute(select(Customer.postcode).where(Customer.email == email)).scalar_one()
    assert "email address on your account" in customer.say("I want to change my email address")
    assert "postcode" in customer.say(email)
    assert "new email address" in customer.say(postcode)
    # (not gmail: the trainer inbox's test looks for "gmail" in every customer message)
    typo = email.split("@")[0] + "@outlok.com"
    asked = customer.send(text=typo).json()["replies"][-1]
    assert asked["text"] == f"Just to check: change the email address on your account to {typo}?", asked
    assert [b["title"] for b in asked["buttons"]] == ["Yes, change it", "No"]
    fixed = email.split("@")[0] + "@outlook.com"
    assert f"change the email address on your account to {fixed}?" in customer.say(
        "oops it should be outlook.com not outlok")
    with session_factory(product.env["DATABASE_URL"])() as session:
        assert session.execute(select(Customer.id).where(Customer.email == email)).scalar_one()
    assert f"the email address on your account is now {fixed}" in customer.say("yes")
    with session_factory(product.env["DATABASE_URL"])() as session:
        assert session.execute(select(Customer.id).where(Customer.email == fixed)).scalar_one()


def test_a_no_to_the_new_phone_read_back_asks_for_the_right_one(customer: CustomerClient) -> None:
    """A "no" to the value read back asks for the right one; "leave it" then keeps the
    old number."""
    customer.say("I need to change my phone number")
    customer.say("ben.okafor@example.com")
    assert "new phone number" in customer.say("M3 4LQ")
    assert "change the phone number on your account to +447700900555?" in customer.say("07700 900555")
    again = customer.send(payload="/deny").json()["replies"][-1]["text"]
    assert again.startswith("OK, I haven't changed anything. What's the right phone number?"), again
    assert "left the phone number on your account as it was" in customer.say("leave it")


def test_an_email_typed_before_confirming_the_closure_is_not_asked_for_again(
        customer: CustomerClient) -> None:
    # before: "didn't get that", and after the "yes" the form asked for the email again
    assert "is that right?" in customer.say("close my account")
    again = customer.say("alice.morgan@example.com")
    assert "I'll use that to find your account" in again and "is that right?" in again, again
    proof = customer.say("yes")
    assert "postcode" in proof and "email address" not in proof, proof


def test_customer_text_is_kept_verbatim(customer: CustomerClient) -> None:
    script = "<script>alert(1)</script><b>hi</b>"
    stored = customer.send(text=script).json()["message"]
    assert stored["text"] == script and stored["author"] == "customer"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (json.dumps({"text": ""}).encode(), 422, "non-empty"),
        (json.dumps({"text": "   "}).encode(), 422, "non-empty"),
        (json.dumps({"text": "a" * 4001}).encode(), 422, "longer than 4000"),
        (json.dumps({"text": "a" * 10000}).encode(), 422, "longer than 4000"),
        (json.dumps({"text": 5}).encode(), 422, "non-empty string"),
        (json.dumps({"text": "hi", "payload": "/greet"}).encode(), 422, "either"),
        (json.dumps({}).encode(), 422, "either"),
        (json.dumps({"payload": "greet"}).encode(), 422, "not offered"),
        (json.dumps({"payload": "  "}).encode(), 422, "button the bot offered"),
    ],
)
def test_bad_messages_get_a_clear_error_and_nothing_is_stored(
    customer: CustomerClient, body: bytes, status: int, words: str
) -> None:
    response = customer.http.post(
        f"{customer.base_url}/api/v1/conversations/{customer.id}/messages", content=body,
        headers={**customer.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    assert words in response.json()["error"]["message"]
    assert customer.transcript()["messages"] == []


def test_an_oversized_body_is_refused(customer: CustomerClient) -> None:
    response = customer.http.post(
        f"{customer.base_url}/api/v1/conversations/{customer.id}/messages",
        content=json.dumps({"text": "a" * 100_000}), headers=customer.headers,
    )
    assert response.status_code == 413


def test_a_customer_reaches_only_their_own_conversation(product: RunningProcess) -> None:
    alice, mallory = CustomerClient(product.gateway_url), CustomerClient(product.gateway_url)
    alice.say("hello")
    url = f"{product.gateway_url}/api/v1/conversations/{alice.id}/messages"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer forged.token.here"}).status_code == 401
    assert httpx.get(url, headers=mallory.headers).status_code == 403
    assert httpx.post(url, json={"text": "hi"}, headers=mallory.headers).status_code == 403
    ghost = issue_customer_token(product.env["GATEWAY_SECRET"], "0" * 32)
    ghost_url = f"{product.gateway_url}/api/v1/conversations/{'0' * 32}/messages"
    assert httpx.get(ghost_url, headers={"Authorization": f"Bearer {ghost}"}).status_code == 404
    assert len(alice.transcript()["messages"]) == 2


def test_a_resent_message_is_answered_once(customer: CustomerClient) -> None:
    first = customer.send(text="what are your opening hours?", client_message_id="m-1").json()
    again = customer.send(text="what are your opening hours?", client_message_id="m-1").json()
    assert again["message"]["id"] == first["message"]["id"]
    assert [r["id"] for r in again["replies"]] == [r["id"] for r in first["replies"]]
    assert len(customer.transcript()["messages"]) == 1 + len(first["replies"])


def test_the_cursor_must_be_a_message_id(customer: CustomerClient) -> None:
    response = customer.http.get(
        f"{customer.base_url}/api/v1/conversations/{customer.id}/messages",
        params={"after": "1 OR 1=1"}, headers=customer.headers,
    )
    assert response.status_code == 422


async def test_the_websocket_pushes_new_messages_and_replays_missed_ones(product: RunningProcess) -> None:
    customer = await asyncio.to_thread(CustomerClient, product.gateway_url)
    ws_url = product.gateway_url.replace("http", "ws") + f"/api/v1/conversations/{customer.id}/ws"
    async with websockets.connect(f"{ws_url}?token={customer.token}") as socket:
        assert json.loads(await socket.recv()) == {"type": "ready", "cursor": 0}
        await asyncio.to_thread(customer.say, "hello")
        events = [json.loads(await asyncio.wait_for(socket.recv(), 10))]
        while events[-1]["type"] != "message" or events[-1]["message"]["author"] != "bot":
            events.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))
    # the assistant's typing indicator comes and goes between the two messages
    pushed = [e for e in events if e["type"] != "typing"]
    assert [e["message"]["author"] for e in pushed] == ["customer", "bot"]
    assert [e for e in events if e["type"] == "typing"][-1] == {"type": "typing", "active": False}
    last_seen = pushed[-1]["message"]["id"]
    # while disconnected
    await asyncio.to_thread(customer.say, "thanks")
    async with websockets.connect(f"{ws_url}?token={customer.token}&after={last_seen}") as socket:
        replayed = [json.loads(await asyncio.wait_for(socket.recv(), 10)) for _ in range(3)]
    assert [e["type"] for e in replayed] == ["message", "message", "ready"]
    assert replayed[0]["message"]["text"] == "thanks" and replayed[0]["message"]["id"] > last_seen


async def test_the_websocket_refuses_a_foreign_token(product: RunningProcess) -> None:
    alice, mallory = await asyncio.gather(
        asyncio.to_thread(CustomerClient, product.gateway_url),
        asyncio.to_thread(CustomerClient, product.gateway_url),
    )
    ws_url = product.gateway_url.replace("http", "ws") + f"/api/v1/conversations/{alice.id}/ws"
    async with websockets.connect(f"{ws_url}?token={mallory.token}") as socket:
        event = json.loads(await socket.recv())
        assert event["type"] == "error" and event["status"] == 403
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(socket.recv(), 5)


async def test_fifty_conversations_at_once_each_get_their_own_answer(product: RunningProcess) -> None:
    async with httpx.AsyncClient(base_url=product.gateway_url, timeout=120) as http:
        async def one(n: int) -> tuple[str, str, List[str]]:
            created = (await http.post("/api/v1/conversations")).json()
            headers = {"Authorization": f"Bearer {created['token']}"}
            number = f"HG-9{n:05d}"
            response = await http.post(f"/api/v1/conversations/{created['id']}/messages",
                                       json={"text": f"where is order {number}"}, headers=headers)
            response.raise_for_status()
            transcript = (await http.get(f"/api/v1/conversations/{created['id']}/messages",
                                         headers=headers)).json()
            replies = " ".join(r["text"] or "" for r in response.json()["replies"])
            return number, replies, [m["text"] for m in transcript["messages"]]

        results = await asyncio.gather(*(one(n) for n in range(50)))
    for number, replies, transcript in results:
        assert number in replies, (number, replies)
        others = [r for r in results if r[0] != number]
        assert not any(other[0] in replies for other in others)
        assert transcript[0] == f"where is order {number}" and len(transcript) >= 2


def test_health_reports_each_part(product: RunningProcess) -> None:
    body = httpx.get(f"{product.gateway_url}/healthz").json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "gateway", "database", "rasa", "action_server"}


def test_rasa_refuses_messages_that_do_not_come_from_the_gateway(product: RunningProcess) -> None:
    url = f"{product.rasa_url}/webhooks/gateway/webhook"
    message = {"sender": "someone", "message": "hi"}
    assert httpx.post(url, json=message).status_code == 403
    wrong = {"X-CareDesk-Channel-Secret": "guess"}
    assert httpx.post(url, json=message, headers=wrong).status_code == 403
    right = {"X-CareDesk-Channel-Secret": product.env["RASA_CHANNEL_SECRET"]}
    assert httpx.post(url, json=message, headers=right, timeout=60).status_code == 200


def test_a_customer_who_needs_extra_support_gets_a_person_not_the_question_again(
        customer: CustomerClient, product: RunningProcess) -> None:
    """Mid-way through the order check, "sorry I get confused easily, I have dementia and my
    daughter usually helps me with this" got "I didn't see an email address or a postcode in
    that" and the question again."""
    assert "order number" in customer.say("I need to return something")
    assert "email address" in customer.say("HG-100004")
    said = customer.say("sorry I get confused easily, I have dementia and my daughter usually helps me with this")
    assert "at your pace" in said and "step by step" in said and "passing you to a person" in said, said
    assert "postcode" not in said
    ticket = StaffClient.admin(product.gateway_url).ticket_of(customer.id)
    assert ticket["reasons"][0] == "vulnerable" and ticket["tier"] == 1 and ticket["priority"] == 2


def test_words_of_harming_oneself_get_where_to_find_help_and_a_person(
        customer: CustomerClient, product: RunningProcess) -> None:
    said = customer.say("honestly I just want to end it all, nothing is going right")
    assert "116 123" in said and "999" in said and "passing you to a person" in said, said
    ticket = StaffClient.admin(product.gateway_url).ticket_of(customer.id)
    assert ticket["reasons"][0] == "crisis" and ticket["tier"] == 1 and ticket["priority"] == 1
    # no "are you sorted?" to leave the queue: a person closes this with them
    kept = customer.send(text="never mind, it's fine now").json()
    assert kept["state"] == "queued" and kept["replies"][-1]["buttons"] == []
