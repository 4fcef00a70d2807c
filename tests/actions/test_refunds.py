"""Where a refund is, from the order's return or cancellation, on a real database."""

from datetime import timedelta

from sqlalchemy import select

from actions.company_db import company_sessions
from actions.refunds import ActionRefundStatus
from actions.phrasing import format_day
from actions.verification import VERIFIED
from conversations.models import State
from conversations.store import ConversationStore
from company import orders as order_service
from company import policies
from company.identifiers import mask_email
from company.money import format_pence
from company.models import Order, OrderStatus, ReturnRequest, ReturnStatus
from handoff.accounts import StaffAccounts
from handoff.models import Role
from handoff.tickets import TicketStore
from tests.conftest import make_tracker, user_said


def _slots(number):
    return {"order_number": number, "order_verifier": VERIFIED, "verified_order": number}


def _order(session, number):
    return session.execute(select(Order).where(Order.number == number)).scalar_one()


def _returned(session, number, registered, status=ReturnStatus.REQUESTED, received=None):
    """A return registered at `registered`, its parcel received at `received` (None: not yet)."""
    order = _order(session, number)
    session.add(ReturnRequest(rma="RMA-424242", order=order, reason="Wrong size", status=status,
                              refund_pence=4550, created_at=registered, received_at=received))
    session.commit()


async def _ask(domain, make_dispatcher, number, sender="nowhere"):
    tracker = make_tracker(_slots(number), text="where is my refund", intent="refund_status",
                           events=[user_said("where is my refund", "refund_status")], domain=domain,
                           sender_id=sender)
    dispatcher = make_dispatcher(tracker)
    events = await ActionRefundStatus().run(dispatcher, tracker, domain)
    return dispatcher, events


async def test_no_return_yet_says_how_to_start_one(database_url, domain, make_dispatcher):
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100003")
    assert dispatcher.responses() == ["utter_refund_no_return"] and events == []
    assert dispatcher.messages[0]["deadline"]
    assert domain["responses"]["utter_refund_no_return"][0]["buttons"][0]["payload"] == "/start_return"
    # an order that can't be returned has no refund and no way to one here
    dispatcher, _ = await _ask(domain, make_dispatcher, "HG-100002")
    assert dispatcher.responses() == ["utter_refund_none"]


async def test_refusing_a_delivery_is_answered_from_the_help_centre(database_url, domain, make_dispatcher):
    """A customer run: "can i refuse delivery instead so it comes back to you? will i still get
    refunded" about a shipped order was told "there's no refund on it"."""
    text = "can i refuse delivery instead so it comes back to you? will i still get refunded"
    tracker = make_tracker(_slots("HG-100002"), text=text, intent="refund_status",
                           events=[user_said(text, "refund_status")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionRefundStatus().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[0] == "utter_help_article", dispatcher.responses()
    assert "refuse a parcel at the door" in dispatcher.messages[0]["help_passage"]
    # the refund asked about as before
    dispatcher, _ = await _ask(domain, make_dispatcher, "HG-100002")
    assert dispatcher.responses() == ["utter_refund_none"]


async def test_an_order_not_cancelled_yet_says_it_can_still_be_cancelled(database_url, domain, make_dispatcher):
    """A customer run: "I cancelled HG-100001 last week and STILL no refund" was told only
    "hasn't been cancelled or returned, so there's no refund on it", with no word that the
    order, still being prepared, could be cancelled now."""
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100001")
    assert dispatcher.responses() == ["utter_refund_not_cancelled_yet"] and events == []
    assert dispatcher.messages[0]["total"].startswith("£")
    payloads = [b["payload"] for b in domain["responses"]["utter_refund_not_cancelled_yet"][0]["buttons"]]
    assert payloads == ["/cancel_order", "/request_human"]


async def test_a_received_return_gives_the_amount_and_the_day(database_url, session, domain,
                                                               make_dispatcher, now):
    registered, received = now - timedelta(days=9), now - timedelta(days=2)
    _returned(session, "HG-100003", registered, received=received)
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100003")
    assert dispatcher.responses() == ["utter_refund_on_its_way"] and events == []
    message = dispatcher.messages[0]
    assert (message["rma"], message["refund"]) == ("RMA-424242", "£45.50")
    # counted from the parcel's arrival, not from the registration
    due = policies.add_working_days(received.date(), policies.REFUND_MAX_WORKING_DAYS)
    assert message["due_date"] == format_day(due)
    assert message["received_date"] == format_day(received)
    assert message["refund_days"] == policies.REFUND_WORKING_DAYS


async def test_a_return_whose_parcel_has_not_arrived_is_never_late(database_url, session, domain,
                                                                   make_dispatcher, now):
    """Counted from the registration, a return whose parcel was never posted got "the refund
    is late" and a billing ticket ten working days later."""
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    _returned(session, "HG-100003", now - timedelta(days=60))
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100003", conversation.id)
    assert dispatcher.responses() == ["utter_refund_awaiting_parcel"] and events == []
    message = dispatcher.messages[0]
    assert (message["rma"], message["refund"]) == ("RMA-424242", "£45.50")
    assert message["started_date"] == format_day(now - timedelta(days=60))
    assert message["refund_days"] == policies.REFUND_WORKING_DAYS
    assert ConversationStore(company_sessions()).conversation(conversation.id).state == State.BOT


async def test_a_return_whose_label_was_emailed_is_asked_to_be_posted_with_it(
        database_url, session, domain, make_dispatcher, now):
    order = _order(session, "HG-100003")
    registered = now - timedelta(days=3)
    request = order_service.start_return(session, order, "Wrong size", registered)
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100003")
    assert dispatcher.responses() == ["utter_refund_awaiting_parcel_label"] and events == []
    message = dispatcher.messages[0]
    assert message["rma"] == request.rma
    assert message["masked_email"] == mask_email(order.customer.email)
    assert message["label_date"] == format_day(registered)
    # once the parcel is in, the refund's days run from its arrival
    request.received_at = now - timedelta(days=1)
    session.commit()
    dispatcher, _ = await _ask(domain, make_dispatcher, "HG-100003")
    assert dispatcher.responses() == ["utter_refund_on_its_way"]


async def test_a_paid_refund_is_said_to_be_paid(database_url, session, domain, make_dispatcher, now):
    _returned(session, "HG-100003", now - timedelta(days=40), ReturnStatus.REFUNDED)
    dispatcher, _ = await _ask(domain, make_dispatcher, "HG-100003")
    assert dispatcher.responses() == ["utter_refund_paid"]


async def test_a_paid_refund_names_the_day_it_was_paid(database_url, session, domain, make_dispatcher,
                                                        now):
    _returned(session, "HG-100003", now - timedelta(days=40), ReturnStatus.REFUNDED)
    # paid within the banks' 10 working days: it may not show yet; paid before: it should,
    # and billing is offered to trace it (paid weeks ago, it was called "on its way")
    for days_ago, said in ((3, "utter_refund_paid_on"), (33, "utter_refund_paid_should_show")):
        paid = now - timedelta(days=days_ago)
        _order(session, "HG-100003").returns[0].refunded_at = paid
        session.commit()
        dispatcher, events = await _ask(domain, make_dispatcher, "HG-100003")
        assert dispatcher.responses() == [said] and events == []
        assert dispatcher.messages[0]["paid_date"] == format_day(paid)


async def test_an_old_cancellation_whose_refund_was_paid_says_so_and_hands_nothing_over(
        database_url, session, domain, make_dispatcher, now):
    """Every seeded cancellation (refunded when cancelled, 5 to 200 days ago) got "the refund
    is late" and a billing ticket once ten working days had passed."""
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    order = session.execute(
        select(Order).where(Order.status == OrderStatus.CANCELLED,
                            Order.cancelled_at < now - timedelta(days=21))
        .order_by(Order.cancelled_at)).scalars().first()
    dispatcher, events = await _ask(domain, make_dispatcher, order.number, conversation.id)
    assert dispatcher.responses() == ["utter_refund_cancelled_paid_should_show"] and events == []
    message = dispatcher.messages[0]
    assert message["paid_date"] == message["started_date"] == format_day(order.cancelled_at)
    assert message["refund"] == format_pence(order.invoice.amount_pence)
    assert ConversationStore(company_sessions()).conversation(conversation.id).state == State.BOT


async def test_a_cancellation_refunded_on_no_recorded_day_is_still_paid(
        database_url, session, domain, make_dispatcher, now):
    order = _order(session, "HG-100001")
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now - timedelta(days=30)
    order.invoice.status, order.invoice.refunded_at = "refunded", None
    session.commit()
    dispatcher, _ = await _ask(domain, make_dispatcher, "HG-100001")
    assert dispatcher.responses() == ["utter_refund_cancelled_paid"]


async def test_a_cancellation_not_refunded_after_the_promised_days_is_overdue(
        database_url, session, domain, make_dispatcher, now):
    order = _order(session, "HG-100001")
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now - timedelta(days=21)
    session.commit()  # the invoice still says "paid": nothing went back
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100001")
    assert dispatcher.responses() == ["utter_refund_overdue", "utter_human_contact"] and events == []


async def test_a_cancelled_order_refunds_what_was_paid(database_url, session, domain, make_dispatcher, now):
    order = _order(session, "HG-100001")
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now - timedelta(days=1)
    session.commit()
    dispatcher, _ = await _ask(domain, make_dispatcher, "HG-100001")
    assert dispatcher.responses() == ["utter_refund_cancelled_on_its_way"]
    assert dispatcher.messages[0]["refund"] == format_pence(order.invoice.amount_pence)


async def test_an_overdue_refund_gets_an_apology_and_a_billing_ticket(database_url, session, domain,
                                                                       make_dispatcher, now):
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    # the parcel reached us 21 days ago: 15 working days at least
    _returned(session, "HG-100003", now - timedelta(days=25), received=now - timedelta(days=21))
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100003", conversation.id)
    assert dispatcher.responses() == ["utter_refund_overdue", "utter_refund_overdue_handoff"]
    assert events == [{"event": "slot", "timestamp": None, "name": "handoff_ticket", "value": "1"}]
    store = TicketStore(company_sessions())
    admin = StaffAccounts(company_sessions()).create_user("root", "root-password-1234", Role.ADMIN)
    ticket = store.detail(store.open_ticket_for(conversation.id), admin)
    assert ticket["reasons"] == ["billing_dispute"] and ticket["tier"] == 2
    assert ticket["context"]["refund"]["rma"] == "RMA-424242"
    assert ticket["context"]["refund"]["amount_pence"] == 4550
    assert ticket["context"]["refund"]["received"] == (now - timedelta(days=21)).isoformat() + "Z"
    assert "HG-100003" in ticket["summary"] and "£45.50" in ticket["summary"]
    assert ConversationStore(company_sessions()).conversation(conversation.id).state == State.QUEUED


async def test_an_overdue_refund_outside_the_gateway_gives_the_team_contacts(database_url, session, domain,
                                                                              make_dispatcher, now):
    _returned(session, "HG-100003", now - timedelta(days=25), received=now - timedelta(days=21))
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100003")
    assert dispatcher.responses() == ["utter_refund_overdue", "utter_human_contact"] and events == []


async def test_nothing_is_said_about_an_order_not_proved(database_url, domain, make_dispatcher):
    tracker = make_tracker({"order_number": "HG-100003", "order_verifier": None}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert await ActionRefundStatus().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


async def test_a_refund_asked_for_a_parcel_well_overdue_goes_to_a_person(database_url, session, domain,
                                                                        make_dispatcher, now):
    """A customer run: "just refund me" right after "our team will ... refund it if it doesn't
    turn up" was told "there's no refund on it"."""
    order = _order(session, "HG-100002")
    order.shipment.estimated_delivery = (now - timedelta(days=10)).date()
    session.commit()
    conversation = ConversationStore(company_sessions()).create_web_conversation().id
    dispatcher, events = await _ask(domain, make_dispatcher, "HG-100002", sender=conversation)
    assert dispatcher.responses()[0] == "utter_handoff_parcel_missing"
    assert any(e.get("name") == "handoff_ticket" and e["value"] for e in events)
    store = TicketStore(company_sessions())
    admin = StaffAccounts(company_sessions()).create_user("rooty", "root-password-1234", Role.ADMIN)
    ticket = store.detail(store.open_ticket_for(conversation), admin)
    assert ticket["reasons"] == ["missing_parcel"] and ticket["tier"] == 2


async def test_a_parcel_said_to_be_posted_back_with_no_return_on_record_goes_to_a_person(
        database_url, domain, make_dispatcher):
    """A customer run: "i have the post office receipt. 2 weeks ago" was sent the invoice,
    twice; with no return on record the refund answer was "there's no refund on it". A person
    traces the parcel with the customer's proof; without such words the answer is as before."""
    conversation = ConversationStore(company_sessions()).create_web_conversation().id
    said = "i sent it back 2 weeks ago, i have the post office receipt. where is my refund"
    tracker = make_tracker(_slots("HG-100003"), text=said, intent="refund_status",
                           events=[user_said(said, "refund_status")], domain=domain, sender_id=conversation)
    dispatcher = make_dispatcher(tracker)
    events = await ActionRefundStatus().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[0] == "utter_refund_posted_no_return"
    assert dispatcher.messages[0]["order_number"] == "HG-100003"
    assert any(e.get("name") == "handoff_ticket" and e["value"] for e in events)
    store = TicketStore(company_sessions())
    admin = StaffAccounts(company_sessions()).create_user("rooter", "root-password-1234", Role.ADMIN)
    ticket = store.detail(store.open_ticket_for(conversation), admin)
    assert ticket["reasons"] == ["evidence_dispute"]
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.QUEUED


async def test_a_return_on_record_is_answered_whatever_the_proof_said(database_url, session, domain,
                                                                      make_dispatcher, now):
    _returned(session, "HG-100003", now - timedelta(days=9), received=now - timedelta(days=2))
    said = "got proof of postage for my return, when do i get the refund"
    tracker = make_tracker(_slots("HG-100003"), text=said, intent="refund_status",
                           events=[user_said(said, "refund_status")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert await ActionRefundStatus().run(dispatcher, tracker, domain) == []
    assert dispatcher.responses() == ["utter_refund_on_its_way"]


async def test_a_refund_asked_right_after_how_a_plan_ends_is_the_plans_month(database_url, domain, make_dispatcher):
    """A customer run: "will i get a refund for this month" right after how to cancel Harbor Club
    asked for an order number, and took "can i rejoin later?" for one."""
    from actions.orders import ValidateOrderForm

    ended = {"event": "bot", "text": "You can cancel Harbor Club whenever you like…",
             "metadata": {"utter_action": "utter_plan_cancel"}}
    asked = user_said("will i get a refund for this month", "refund_status")
    for before, for_the_plan in ((ended, True), ({**ended, "metadata": {"utter_action": "utter_plans"}}, False)):
        tracker = make_tracker({"order_task": "refund"}, text=asked["text"], intent="refund_status", domain=domain,
                               events=[user_said("how do i cancel my harbor club plan", "ask_plans"), before, asked])
        dispatcher = make_dispatcher(tracker)
        slots = await ValidateOrderForm().required_slots(["order_number", "order_verifier"], dispatcher, tracker,
                                                          domain)
        assert (slots == []) is for_the_plan
        await ActionRefundStatus().run(dispatcher, tracker, domain)
        assert (dispatcher.responses() == ["utter_plan_cancel_money"]) is for_the_plan
    # an order named is that order's refund
    named = {**asked, "parse_data": {**asked["parse_data"], "entities": [
        {"entity": "order_number", "value": "HG-100003"}]}}
    tracker = make_tracker({"order_task": "refund"}, text=asked["text"], intent="refund_status", domain=domain,
                           events=[ended, named])
    assert await ValidateOrderForm().required_slots(["order_number"], make_dispatcher(tracker), tracker,
                                                    domain) == ["order_number"]
