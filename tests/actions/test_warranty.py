"""A fault past the return window (actions/warranty.py, on a real database): the refusal
says what is still under warranty and offers a claim; the claim goes to the product team
with the order, the cover and the customer's words; an order that can still be returned,
one not delivered and a warranty that has ended are each answered plainly."""

from datetime import date, timedelta

from sqlalchemy import select

from actions.company_db import company_sessions
from actions.faq import ActionWarrantyInfo
from actions.returns import ActionCheckReturn
from actions.verification import VERIFIED
from actions.warranty import ActionDeclineWarrantyClaim, ActionWarrantyClaim, named_covers
from company import policies
from company.policies import Cover
from company.models import Order, ReturnRequest
from conversations.models import State
from conversations.store import ConversationStore
from handoff.accounts import StaffAccounts
from handoff.models import Role, Skill
from handoff.tickets import TicketStore
from tests.actions.test_handoff import bot, user
from tests.conftest import make_tracker

FAULT = "it stopped working after a month"


def _slots(number):
    return {"order_number": number, "order_verifier": VERIFIED, "verified_order": number}


def _order(session, number):
    return session.execute(select(Order).where(Order.number == number)).scalar_one()


def _no_membership(session, number):
    _order(session, number).customer.subscriptions.clear()
    session.commit()


async def _run(action, domain, make_dispatcher, number, sender="nowhere", events=()):
    tracker = make_tracker(_slots(number), events=list(events), domain=domain, sender_id=sender)
    dispatcher = make_dispatcher(tracker)
    result = await action.run(dispatcher, tracker, domain)
    return dispatcher, result


def _claim_events():
    return [user(FAULT, "start_return"), bot("What's your order number?"),
            user("HG-100004", "inform"), bot("Please tell me the postcode."),
            user("M3 4LQ", "inform"), bot("...shall I pass a warranty claim?"),
            user("/affirm", "affirm")]


async def test_past_the_window_the_refusal_offers_a_warranty_claim(database_url, session, domain,
                                                                   make_dispatcher):
    _no_membership(session, "HG-100004")
    dispatcher, events = await _run(ActionCheckReturn(), domain, make_dispatcher, "HG-100004")
    assert dispatcher.responses() == ["utter_return_window_closed_warranty"]
    # the "yes" and "no" rules answer only this offer
    assert {e["name"]: e["value"] for e in events} == {"return_allowed": False,
                                                       "warranty_claim_offered": True,
                                                       "fault_reported": None}
    cover = policies.warranty_cover(_order(session, "HG-100004"))[0]
    assert dispatcher.messages[0]["products"] == (
        f"the {cover.product} (until {cover.last_day.day} {cover.last_day:%B %Y})")
    buttons = domain["responses"]["utter_return_window_closed_warranty"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]


async def test_a_claim_goes_to_the_product_team_with_everything_known(database_url, session, domain,
                                                                      make_dispatcher):
    _no_membership(session, "HG-100004")
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    dispatcher, events = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100004",
                                    conversation.id, _claim_events())
    assert dispatcher.responses() == ["utter_warranty_claim_made", "utter_handoff_taking_over"]
    assert {e["name"]: e["value"] for e in events} == {"warranty_claim_offered": False,
                                                       "fault_reported": None, "handoff_ticket": "1"}
    store = TicketStore(company_sessions())
    admin = StaffAccounts(company_sessions()).create_user("root", "root-password-1234", Role.ADMIN)
    ticket = store.detail(store.open_ticket_for(conversation.id), admin)
    assert ticket["reasons"] == ["warranty_claim"]
    assert (ticket["tier"], ticket["skill"]) == (2, Skill.PRODUCT)
    claim = ticket["context"]["warranty_claim"]
    assert claim["order_number"] == "HG-100004" and claim["fault"] == FAULT
    products = [item.product.name for item in _order(session, "HG-100004").items]
    assert [c["product"] for c in claim["covered"]] == products and claim["ended"] == []
    assert "HG-100004" in ticket["summary"] and FAULT in ticket["summary"]
    assert ConversationStore(company_sessions()).conversation(conversation.id).state == State.QUEUED


async def test_a_claim_is_for_the_product_the_customer_named(database_url, session, domain,
                                                              make_dispatcher, now):
    """'the grinders stopped working' on an order of several products: the claim is for the
    grinder; words that name none of them claim every covered product, as before."""
    _no_membership(session, "HG-100003")
    order = _order(session, "HG-100003")
    order.shipment.delivered_at = now - timedelta(days=45)
    session.commit()
    names = [item.product.name for item in order.items]
    assert len(names) > 1
    # a product whose last word no other product of the order has: "Grinder"
    named = next(name for name in names
                 if sum(other.split()[-1] == name.split()[-1] for other in names) == 1)
    store = TicketStore(company_sessions())
    admin = StaffAccounts(company_sessions()).create_user("root", "root-password-1234", Role.ADMIN)
    for fault, claimed in [(f"the {named.split()[-1].lower()}s stopped working", [named]),
                           ("one of the things I ordered broke", names)]:
        conversation = ConversationStore(company_sessions()).create_web_conversation()
        events = [user(fault, "start_return"), bot("...shall I pass a warranty claim?"),
                  user("/affirm", "affirm")]
        dispatcher, _ = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100003",
                                   conversation.id, events)
        assert dispatcher.responses()[0] == "utter_warranty_claim_made"
        assert all((name in dispatcher.messages[0]["products"]) == (name in claimed) for name in names)
        claim = store.detail(store.open_ticket_for(conversation.id), admin)["context"]["warranty_claim"]
        assert claim["claimed"] == claimed and len(claim["covered"]) == len(names)


async def test_a_claim_outside_the_gateway_gives_the_team_contacts(database_url, domain, make_dispatcher):
    dispatcher, events = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100004",
                                    events=_claim_events())
    # no ticket, so no "passed to the product team": how to reach the team instead
    assert dispatcher.responses() == ["utter_warranty_claim_by_contact", "utter_human_contact"]
    assert {e["name"] for e in events} == {"warranty_claim_offered", "fault_reported"}


async def test_an_order_that_can_still_be_returned_is_pointed_to_the_return(database_url, domain,
                                                                           make_dispatcher):
    dispatcher, events = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100003")
    assert dispatcher.responses() == ["utter_warranty_return_instead"]
    assert {e["name"]: e["value"] for e in events} == {"warranty_claim_offered": False}
    assert domain["responses"]["utter_warranty_return_instead"][0]["buttons"][0]["payload"] == "/start_return"


async def test_no_claim_on_an_order_whose_return_is_under_way(database_url, session, domain,
                                                              make_dispatcher, now):
    order = _order(session, "HG-100004")
    session.add(ReturnRequest(rma="RMA-626262", order=order, reason="Crackles", status="requested",
                              refund_pence=100, created_at=now))
    session.commit()
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    dispatcher, events = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100004",
                                    conversation.id, _claim_events())
    assert dispatcher.responses() == ["utter_return_already_registered"]
    assert dispatcher.messages[0]["rma"] == "RMA-626262"
    assert TicketStore(company_sessions()).open_ticket_for(conversation.id) is None
    # and the refusal that says so offers no claim, so a "yes" to it makes none
    dispatcher, events = await _run(ActionCheckReturn(), domain, make_dispatcher, "HG-100004")
    assert dispatcher.responses() == ["utter_return_already_registered"]
    assert {e["name"]: e["value"] for e in events} == {"return_allowed": False,
                                                       "warranty_claim_offered": False,
                                                       "fault_reported": None}


async def test_no_to_the_offer_makes_no_claim_and_ends_the_offer(database_url, domain, make_dispatcher):
    tracker = make_tracker({**_slots("HG-100004"), "warranty_claim_offered": True}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionDeclineWarrantyClaim().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_warranty_claim_not_made"]
    assert events == [{"event": "slot", "timestamp": None, "name": "warranty_claim_offered", "value": False}]


async def test_no_claim_on_an_order_not_delivered(database_url, domain, make_dispatcher):
    dispatcher, _ = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100002")
    assert dispatcher.responses() == ["utter_warranty_not_delivered"]


async def test_a_warranty_that_has_ended_is_said_plainly(database_url, session, domain, make_dispatcher, now):
    _no_membership(session, "HG-100004")
    order = _order(session, "HG-100004")
    order.shipment.delivered_at = now - timedelta(days=365 * 6)
    session.commit()
    dispatcher, events = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100004",
                                    events=_claim_events())
    assert dispatcher.responses() == ["utter_warranty_ended"]
    assert {e["name"]: e["value"] for e in events} == {"warranty_claim_offered": False}
    dispatcher, _ = await _run(ActionCheckReturn(), domain, make_dispatcher, "HG-100004")
    assert dispatcher.responses() == ["utter_return_window_closed_warranty_ended"]


async def test_the_warranty_question_answers_for_the_order_proved(database_url, session, domain,
                                                                  make_dispatcher):
    _no_membership(session, "HG-100004")
    dispatcher, _ = await _run(ActionWarrantyInfo(), domain, make_dispatcher, "HG-100004")
    assert dispatcher.responses() == ["utter_warranty_order_covered"]
    assert _order(session, "HG-100004").items[0].product.name in dispatcher.messages[0]["products"]
    # no order proved: the general rule, as before
    tracker = make_tracker({}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionWarrantyInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_warranty_general"]


async def test_a_claim_for_a_product_whose_warranty_has_ended_says_so(database_url, session, domain,
                                                                      make_dispatcher, now):
    """'the <product> stopped working' where that product's warranty has ended and another's
    has not: no claim for the other one, the ended warranty said plainly."""
    _no_membership(session, "HG-100003")
    order = _order(session, "HG-100003")
    months = sorted({item.product.warranty_months for item in order.items})
    assert len(months) > 1
    order.shipment.delivered_at = now - timedelta(days=months[0] * 31 + 20)
    session.commit()
    ended = next(item.product.name for item in order.items if item.product.warranty_months == months[0])
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    events = [user(f"the {ended.split()[-1].lower()} stopped working", "start_return"),
              bot("...shall I pass a warranty claim?"), user("/affirm", "affirm")]
    dispatcher, _ = await _run(ActionWarrantyClaim(), domain, make_dispatcher, "HG-100003",
                               conversation.id, events)
    assert dispatcher.responses() == ["utter_warranty_ended"]
    assert ended in dispatcher.messages[0]["products"]
    assert TicketStore(company_sessions()).open_ticket_for(conversation.id) is None


async def test_a_claim_takes_the_fault_told_after_the_warranty_answer(database_url, session, domain,
                                                                     make_dispatcher):
    """'how long is the warranty on the toaster', then 'it stopped heating' (inform): the
    claim carries the fault, not the warranty question, and the fault is then spent."""
    _no_membership(session, "HG-100004")
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    events = [user("how long is the warranty on the toaster", "ask_warranty"), bot("24 months ..."),
              user("it stopped heating", "inform"), bot("...shall I pass a warranty claim?"),
              user("/affirm", "affirm")]
    tracker = make_tracker({**_slots("HG-100004"), "fault_reported": "it stopped heating"},
                           events=events, domain=domain, sender_id=conversation.id)
    dispatcher = make_dispatcher(tracker)
    result = await ActionWarrantyClaim().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[0] == "utter_warranty_claim_made"
    assert {e["name"]: e["value"] for e in result}["fault_reported"] is None
    store = TicketStore(company_sessions())
    admin = StaffAccounts(company_sessions()).create_user("root", "root-password-1234", Role.ADMIN)
    ticket = store.detail(store.open_ticket_for(conversation.id), admin)
    assert ticket["context"]["warranty_claim"]["fault"] == "it stopped heating"


def test_a_product_is_named_by_its_model_or_its_kind_not_a_describing_word():
    """'it wobbles in my office' named the Atlas Office Chair beside a lamp that had the
    fault; 'the desk lamp' still names the lamp, and words that name nothing claim all."""
    chair, lamp = Cover("Atlas Office Chair", date(2028, 1, 1)), Cover("Lumen Desk Lamp", date(2028, 1, 1))
    covers = [chair, lamp]
    assert named_covers(covers, "the lamp in my office flickers") == [lamp]
    assert named_covers(covers, "the desk lamp flickers") == [lamp]
    assert named_covers(covers, "the atlas wobbles") == [chair]
    assert named_covers(covers, "both chairs squeak") == [chair]
    assert named_covers(covers, "it broke at my desk in the office") == covers
    assert named_covers(covers, None) == covers


async def test_every_reply_to_the_offer_is_read_by_its_words(database_url, session, domain,
                                                             make_dispatcher):
    """"what happens next?" where the claim was offered was read as goodbye: the chat was
    closed with a rating request and no claim made. A question is answered and the offer
    made again; a yes or the fault told makes the claim; a no declines it."""
    from actions.warranty_replies import ActionWarrantyClaimReply

    _no_membership(session, "HG-100004")
    offered = {**_slots("HG-100004"), "warranty_claim_offered": True}
    for text, intent, said in (
            ("what happens next?", "goodbye", ["utter_warranty_claim_next_steps", "utter_ask_warranty_claim"]),
            ("how long will the product team take to get back to me", "out_of_scope",
             ["utter_warranty_claim_next_steps", "utter_ask_warranty_claim"]),
            ("hmm", "nlu_fallback", ["utter_ask_warranty_claim"]),
            # a customer run: the question made the claim, and the customer was handed over
            ("does a scratch count as damaged?", "out_of_scope",
             ["utter_warranty_claim_next_steps", "utter_ask_warranty_claim"]),
            ("yes... actually no", "affirm", ["utter_ask_warranty_claim"]),
            ("no thanks, I'll live with it", "deny", ["utter_warranty_claim_not_made"]),
            ("yes please make the claim", "affirm", ["utter_warranty_claim_made"]),
            ("it just stopped heating", "inform", ["utter_warranty_claim_made"]),
            # from a customer run: the receipt question emailed the invoice, "is it free?" got
            # the Harbor Club trial, a refund wanted got the offer again with no word on why
            ("do i need the receipt?", "request_invoice", ["utter_warranty_claim_next_steps", "utter_ask_warranty_claim"]),
            ("is it free?", "ask_free_trial", ["utter_warranty_claim_next_steps", "utter_ask_warranty_claim"]),
            ("na i'd rather just get my money back", "deny", ["utter_warranty_claim_no_refund"]),
            ("i said i want a refund not a repair", "start_return", ["utter_warranty_claim_no_refund"]),
            # from a review: leaving or thinking it over is no claim; "do it" is no question
            ("ok thanks, bye", "goodbye", ["utter_warranty_claim_not_made"]),
            ("ok cheers", "thanks", ["utter_warranty_claim_not_made"]),
            ("ok, I'll think about it", "inform", ["utter_ask_warranty_claim"]),
            ("do it", "affirm", ["utter_warranty_claim_made"]),
            # a repair asked for, behind a "no" or a "leave it" (both had declined)
            ("no, i want to keep it, just want it fixed", "deny", ["utter_warranty_claim_made"]),
            ("ill leave it with you to sort, only toasts one side", "inform", ["utter_warranty_claim_made"]),
            # a customer run: a return's reasons, not a fault, made the claim
            ("it works fine, i just dont want it anymore", "inform", ["utter_warranty_no_fault"]),
            ("its not broken, it just doesnt fit. can you make an exception?", "inform",
             ["utter_warranty_no_fault"]),
            ("nothing wrong with it, changed my mind", "deny", ["utter_warranty_no_fault"]),
            ("nothing wrong with the box but the kettle leaks", "inform", ["utter_warranty_claim_made"]),
            ("its not broken but it won't turn on", "inform", ["utter_warranty_claim_made"]),
            # a customer run: a question after "hang on" declined the claim
            ("hang on whats the warranty on the toaster", "ask_warranty",
             ["utter_warranty_claim_next_steps", "utter_ask_warranty_claim"])):
        tracker = make_tracker(offered, text=text, intent=intent, domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionWarrantyClaimReply().run(dispatcher, tracker, domain)
        # outside the gateway (no conversation) a claim is said to go to the team by contact
        responses = ["utter_warranty_claim_made" if r == "utter_warranty_claim_by_contact" else r
                     for r in dispatcher.responses() if r != "utter_human_contact"]
        assert responses == said, text
        ends = {"warranty_claim_offered": said[-1] in ("utter_ask_warranty_claim", "utter_warranty_claim_no_refund")}
        assert {e["name"]: e["value"] for e in events
                if e["name"] == "warranty_claim_offered"} == ends, text
    asked = make_dispatcher(make_tracker(offered, domain=domain))
    await ActionWarrantyClaimReply().run(asked, make_tracker(offered, text="what now?", domain=domain), domain)
    assert asked.messages[-1]["order_number"] == "HG-100004"


async def test_another_order_named_at_the_claim_offer_goes_on_with_that_order(domain, make_dispatcher):
    """"oh wait, wrong order i meant HG-…" at the warranty offer declined the claim, and the
    order the customer meant was dropped."""
    from actions.warranty_replies import ActionWarrantyClaimReply

    tracker = make_tracker({**_slots("HG-100004"), "warranty_claim_offered": True},
                           text="oh wait, wrong order i meant HG-100104", intent="inform",
                           entities=[{"entity": "order_number", "value": "HG-100104"}], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionWarrantyClaimReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_switched"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"warranty_claim_offered": None, "order_task": "return", "order_number": "HG-100104",
                     "order_verifier": None, "email": None, "postcode": None}
    assert events[-1]["name"] == "order_form"
