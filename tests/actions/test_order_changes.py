"""What an order allows and costs, in general and for one verified order, on a real database."""

from sqlalchemy import select

from actions.order_changes import ActionCancellationFees, ActionOrderChanges
from actions.verification import VERIFIED
from company import policies
from company.models import Order, OrderStatus
from company.policies import Change
from tests.conftest import bot_said, entity, make_tracker, user_said


def _slots(number):
    return {"order_number": number, "order_verifier": VERIFIED, "verified_order": number}


def _named(events):
    slots = {e["name"]: e["value"] for e in events}
    # only a named order changes the task (the order form's answer is this order's terms)
    assert ("order_task" in slots) is slots["changes_order_named"]
    return slots["changes_order_named"]


async def test_the_general_answer_lists_every_change_with_its_cost(domain, make_dispatcher):
    tracker = make_tracker(text="what does it cost to cancel", intent="ask_cancellation_fees", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCancellationFees().run(dispatcher, tracker, domain)
    assert _named(events) is False
    assert dispatcher.responses() == ["utter_order_changes_overview"]
    lines = dispatcher.messages[0]["change_lines"].split("\n")
    assert lines == [
        "• Cancel it: free while the order is waiting to be packed or being packed.",
        "• Change the delivery address: free while the order is waiting to be packed or being packed.",
        "• Change the items: not possible once an order is placed. Cancel it and order again while it "
        "can still be cancelled, or return what you don't want once it's delivered.",
        f"• Return it: free within {policies.RETURN_WINDOW_DAYS} days of delivery.",
    ]


async def test_the_general_answer_follows_the_policy_table(domain, make_dispatcher, monkeypatch):
    """A fee or a stage changed in company.policies changes the answer: they cannot drift."""
    monkeypatch.setitem(policies._FEES_PENCE, Change.CANCEL, 495)
    monkeypatch.setitem(policies._ALLOWED_STAGES, Change.ADDRESS, frozenset({OrderStatus.PLACED}))
    tracker = make_tracker(domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionCancellationFees().run(dispatcher, tracker, domain)
    lines = dispatcher.messages[0]["change_lines"].split("\n")
    assert lines[0] == "• Cancel it: for £4.95 while the order is waiting to be packed or being packed."
    assert lines[1] == "• Change the delivery address: free while the order is waiting to be packed."


async def test_a_named_order_is_identified_first_and_nothing_is_cancelled(
        database_url, session, domain, make_dispatcher):
    tracker = make_tracker(text="what would it cost to cancel HG-100001", intent="ask_cancellation_fees",
                           entities=[entity("order_number", "HG-100001")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCancellationFees().run(dispatcher, tracker, domain)
    assert _named(events) is True and dispatcher.messages == []
    # an order proved earlier in the conversation counts as named
    tracker = make_tracker(_slots("HG-100002"), text="and what does cancelling cost?", domain=domain)
    assert _named(await ActionCancellationFees().run(make_dispatcher(tracker), tracker, domain)) is True
    order = session.execute(select(Order).where(Order.number == "HG-100001")).scalar_one()
    assert order.status == OrderStatus.PROCESSING


async def _order_lines(domain, make_dispatcher, number):
    tracker = make_tracker(_slots(number), domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionOrderChanges().run(dispatcher, tracker, domain)
    assert events == [{"event": "slot", "timestamp": None, "name": "changes_order_named", "value": None}]
    assert dispatcher.responses() == ["utter_order_changes_for_order"]
    message = dispatcher.messages[0]
    assert message["order_number"] == number
    return message["stage"], message["change_lines"].split("\n")


async def test_an_order_being_packed_can_still_be_cancelled_for_free(database_url, session, domain,
                                                                     make_dispatcher):
    stage, lines = await _order_lines(domain, make_dispatcher, "HG-100001")
    assert stage == "being packed"
    assert lines == [
        "• Cancel it: yes, free.",
        "• Change the delivery address: yes, free.",
        "• Change the items: not possible once an order is placed.",
        f"• Return it: not yet; once it's delivered, free within {policies.RETURN_WINDOW_DAYS} days.",
        "To get different items, cancel this order and order again.",
    ]
    order = session.execute(select(Order).where(Order.number == "HG-100001")).scalar_one()
    assert order.status == OrderStatus.PROCESSING  # asking never cancels


async def test_each_stage_answers_for_itself(database_url, domain, make_dispatcher):
    stage, lines = await _order_lines(domain, make_dispatcher, "HG-100002")
    assert stage == "with the courier"
    assert lines[:2] == ["• Cancel it: not any more.", "• Change the delivery address: not any more."]
    assert lines[3].startswith("• Return it: not yet") and len(lines) == 4
    stage, lines = await _order_lines(domain, make_dispatcher, "HG-100003")
    assert stage == "delivered"
    assert lines[3].startswith("• Return it: yes, free, until ")
    assert lines[4] == "To get different items, return what you don't want and order what you do."
    _, lines = await _order_lines(domain, make_dispatcher, "HG-100004")  # return window closed
    assert lines[3] == "• Return it: not any more." and len(lines) == 4


async def test_nothing_is_said_about_an_order_not_proved(database_url, domain, make_dispatcher):
    """The proof of one order says nothing about another. The order form no longer ends in
    this state (it asks for the second order's proof: tests/actions/test_orders.py,
    test_a_second_order_in_a_conversation_is_proved_then_answered); the action's own guard
    is what this keeps."""
    tracker = make_tracker({"order_number": "HG-100003", "order_verifier": VERIFIED,
                            "verified_order": "HG-100002"}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionOrderChanges().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def test_asked_inside_the_address_change_it_is_answered_and_the_form_goes_on(
        database_url, domain, make_dispatcher):
    """A customer run: "actually wait does it cost anything to change it?" where the new
    address was asked went through the order lookup, which replaced the address form, and the
    address typed next got "What would you like me to help with?"."""
    tracker = make_tracker(_slots("HG-100001"), text="actually wait does it cost anything to change it?",
                           intent="ask_cancellation_fees", active_loop="address_form", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCancellationFees().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_changes_for_order"]
    assert dispatcher.messages[0]["order_number"] == "HG-100001"
    assert {"event": "followup", "timestamp": None, "name": "address_form"} in events
    assert "order_task" not in {e.get("name") for e in events if e["event"] == "slot"}
    # another order named there is looked up as before
    other = make_tracker(_slots("HG-100001"), text="and what would cancelling HG-100005 cost?",
                         intent="ask_cancellation_fees", entities=[entity("order_number", "HG-100005")],
                         active_loop="address_form", domain=domain)
    assert _named(await ActionCancellationFees().run(make_dispatcher(other), other, domain)) is True


async def test_a_cost_asked_right_after_how_a_plan_ends_is_the_plan_s(database_url, domain, make_dispatcher):
    """A customer run: "what happens if you cancel it mid month" right after how to cancel
    Harbor Club got the changes an order allows."""
    for text, before, plan_s in (("what happens if you cancel it mid month", "utter_plan_cancel", True),
                                 ("is there a fee to cancel?", "utter_plan_cancel_money", True),
                                 ("what happens if you cancel it mid month", "utter_return_policy", False),
                                 ("and what does cancelling my order cost?", "utter_plan_cancel", False),
                                 ("can i swap the colour of the lamp i got?", "utter_plan_cancel", False)):
        tracker = make_tracker(text=text, intent="ask_cancellation_fees", domain=domain,
                               events=[bot_said(before, 1.0), user_said(text, "ask_cancellation_fees")])
        dispatcher = make_dispatcher(tracker)
        events = await ActionCancellationFees().run(dispatcher, tracker, domain)
        assert _named(events) is False
        expected = "utter_plan_cancel_money" if plan_s else "utter_order_changes_overview"
        assert dispatcher.responses() == [expected], (text, before)


async def test_what_ending_a_plan_keeps_is_the_plan_s_section(database_url, domain, make_dispatcher):
    """A customer run: "if i cancel plus do i lose the extra warranty year on stuff i already
    bought?" got the changes an order allows."""
    tracker = make_tracker(text="if i cancel plus do i lose the extra warranty year on stuff i already bought?",
                           intent="ask_cancellation_fees", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCancellationFees().run(dispatcher, tracker, domain)
    assert _named(events) is False
    assert dispatcher.responses()[0] == "utter_help_article"
    assert dispatcher.messages[0]["help_section"] == "If your plan ends"
    # an order's cancellation asked about is the orders' answer
    tracker = make_tracker(text="if i cancel do i lose my discount", intent="ask_cancellation_fees", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionCancellationFees().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_changes_overview"]
