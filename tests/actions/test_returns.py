import pytest
from sqlalchemy import select

from actions.returns import (
    ActionAskReturnConfirmed,
    ActionCheckReturn,
    ActionReportFault,
    ActionReturnPolicy,
    ActionStartReturn,
    ValidateReturnForm,
    reason_in_request,
    reason_to_return,
    sent_the_wrong_item,
    wants_a_gift_card_refund,
)
from actions.verification import VERIFIED
from company import policies
from company.models import Order, OrderStatus, ReturnRequest
from tests.conftest import entity, make_tracker


def _slots(number, **extra):
    return {"order_number": number, "order_verifier": VERIFIED, "verified_order": number, **extra}


async def test_policy_answer_uses_the_policy_values(domain, make_dispatcher):
    tracker = make_tracker(domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionReturnPolicy().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["window_days"] == policies.RETURN_WINDOW_DAYS


async def test_a_returns_question_from_abroad_is_answered_for_that_country(database_url, domain, make_dispatcher):
    """A customer run: "i live in spain, can i return things" was told that returns within the
    UK are free, and "is it free for me" after it got the membership's free trial."""
    asked = {"event": "user", "text": "i live in spain, can i return things",
             "parse_data": {"intent": {"name": "ask_return_policy"}, "entities": [entity("country", "spain")]}}
    for text, entities, events in (("i live in spain, can i return things", [entity("country", "spain")], []),
                                   ("is it free for me", [], [asked])):
        tracker = make_tracker(text=text, entities=entities, domain=domain,
                               events=events + [{"event": "user", "text": text, "parse_data": {
                                   "intent": {"name": "ask_free_trial"}, "entities": entities}}])
        dispatcher = make_dispatcher(tracker)
        await ActionReturnPolicy().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_return_policy_abroad"], text
        assert dispatcher.messages[0]["country"] == "Spain"
    # the home country, a country not delivered to, or one told for something else: the policy
    delivery = {"event": "user", "text": "how much is delivery to spain",
                "parse_data": {"intent": {"name": "ask_shipping"}, "entities": [entity("country", "spain")]}}
    for text, entities, events in (("can i return things from england", [entity("country", "england")], []),
                                   ("i live in peru, can i return things", [entity("country", "peru")], []),
                                   ("whats your returns policy", [], [delivery])):
        tracker = make_tracker(text=text, entities=entities, domain=domain, events=events + [
            {"event": "user", "text": text, "parse_data": {"intent": {"name": "ask_return_policy"},
                                                          "entities": entities}}])
        dispatcher = make_dispatcher(tracker)
        await ActionReturnPolicy().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_return_policy"], text


async def test_return_eligibility_by_order(database_url, domain, make_dispatcher):
    for number, allowed, response in [
        ("HG-100003", True, "utter_return_allowed"),
        # past the window, the toaster is still under its 24-month warranty: a claim is offered
        ("HG-100004", False, "utter_return_window_closed_warranty"),
        ("HG-100002", False, "utter_return_not_delivered"),
    ]:
        tracker = make_tracker(_slots(number), domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCheckReturn().run(dispatcher, tracker, domain)
        assert {e["name"]: e["value"] for e in events}["return_allowed"] is allowed
        assert dispatcher.responses() == [response]


def test_reason_must_say_something(domain, make_dispatcher):
    form = ValidateReturnForm()
    tracker = make_tracker(domain=domain)
    for bad in ["", "??", "😀😀😀", "x" * 600, "ok fine", "yes please go ahead"]:
        assert form.validate_return_reason(bad, make_dispatcher(tracker), tracker, domain) == {"return_reason": None}
    assert form.validate_return_reason(" Wrong size ", make_dispatcher(tracker), tracker, domain) == {
        "return_reason": "Wrong size"}


async def test_only_some_of_the_items_typed_goes_to_a_person_as_the_button_does(
        database_url, session, domain, make_dispatcher):
    """"actually its only the headphones i want to return", "yes but only the headphones" at
    "a return here covers the whole of order …": the question came again, or a stock answer
    (3 of 3 in a customer run); the question's button for it brings a person."""
    form = ValidateReturnForm()
    for text, intent, wanted in (("actually its only the blender i want to return", "start_return", True),
                                 ("yes but only the blender", "affirm", True),
                                 ("not the whole order, keep the rest", "deny", True),
                                 ("yes the whole order please", "affirm", False), ("no", "deny", False)):
        tracker = make_tracker(_slots("HG-100003", requested_slot="return_confirmed"), text=text,
                               intent=intent, active_loop="return_form", domain=domain)
        extracted = await form.extract_return_confirmed(make_dispatcher(tracker), tracker, domain)
        assert extracted == ({"return_confirmed": False} if wanted else {}), text
        value = extracted.get("return_confirmed", intent != "deny")
        validated = form.validate_return_confirmed(value, make_dispatcher(tracker), tracker, domain)
        assert (validated.get("return_for_a_person") == "only_some") is wanted, text
    # one item: there is nothing to split
    single = next(o.number for o in session.execute(select(Order)).scalars()
                  if sum(item.quantity for item in o.items) == 1)
    tracker = make_tracker(_slots(single, requested_slot="return_confirmed"), text="yes but only the kettle",
                           intent="affirm", domain=domain)
    assert await form.extract_return_confirmed(make_dispatcher(tracker), tracker, domain) == {}
    tracker = make_tracker(_slots("HG-100003", return_reason="broken", return_confirmed=False,
                                  return_for_a_person="only_some"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionStartReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_return_only_some"] and events[-1]["name"] == "action_handoff"
    assert session.execute(select(ReturnRequest)).first() is None


@pytest.mark.parametrize("text, reason", [
    # from a customer run: each was asked for again after the order was proved
    ("I wish to make the return of the product because it not function", True),
    ("someone sent me a coffee grinder as a present but I already have one", True),
    ("the colour is not same as picture", True),
    ("does it still function after a year?", False), ("I already have one order open", False),
])
def test_reasons_in_other_words(text, reason):
    assert (reason_to_return(text) is not None) is reason


async def test_one_product_named_of_an_order_of_several_goes_to_a_person(database_url, session, domain,
                                                                          make_dispatcher):
    """A customer run: "i want to return my headphones from HG-100003" (which also holds a
    speaker and a grinder) was summed up as the whole order's return and registered on a yes.
    Naming every product of the order, or none, is the whole order's return."""
    from company.models import Order

    order = session.execute(select(Order).where(Order.number == "HG-100003")).scalar_one()
    names = sorted({item.product.name for item in order.items})
    assert len(names) > 1
    for products, said in (([names[0]], "utter_return_only_some"), (names, "utter_return_allowed"),
                           ([], "utter_return_allowed")):
        text = "i want to return " + (" and ".join(products) or "my order") + " from HG-100003"
        entities = [{"entity": "product", "value": name, "start": text.index(name), "end": text.index(name) + len(name)}
                    for name in products]
        asked = {"event": "user", "text": text,
                 "parse_data": {"text": text, "intent": {"name": "start_return"}, "entities": entities}}
        tracker = make_tracker(_slots("HG-100003"), events=[asked], domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCheckReturn().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [said], text
        assert (events[-1].get("name") == "action_handoff") is (said == "utter_return_only_some"), text
    assert session.execute(select(ReturnRequest)).first() is None


async def test_some_of_the_items_named_as_the_reason_go_to_a_person(database_url, session, domain, make_dispatcher):
    """A customer run: "the headphones" to "What's the reason for the return?", of an order
    with a speaker and a grinder too, was summed up as the whole order's £406 return."""
    from company.models import Order

    order = session.execute(select(Order).where(Order.number == "HG-100003")).scalar_one()
    kinds = sorted({item.product.name.split()[-1].lower() for item in order.items})
    assert len(kinds) > 1
    form = ValidateReturnForm()
    for text, wanted in ((f"the {kinds[0]}", "only_some"), (f"the {kinds[0]} doesn't work", "only_some"),
                         (" and ".join(f"the {kind}" for kind in kinds) + " are all faulty", None),
                         ("it arrived damaged", None),
                         # a review: the whole order said, or one product compared with another
                         (f"the {kinds[0]} stopped working so I'm sending the whole order back", None)):
        at_reason = make_tracker(_slots("HG-100003", requested_slot="return_reason"), text=text, domain=domain)
        validated = form.validate_return_reason(text, make_dispatcher(at_reason), at_reason, domain)
        assert validated.get("return_for_a_person") == wanted, (text, validated)
        assert (validated.get("return_confirmed") is False) is (wanted is not None), (text, validated)


async def test_the_wrong_item_sent_goes_to_a_person_within_the_window_too(database_url, session, domain,
                                                                          make_dispatcher):
    """A customer run: "hi i got the wrong item in HG-…, ordered a backpack and got a kettle
    instead" was summed up as a refund, with no way to get the item ordered; told where the
    reason is asked ("Wrong item", a button, or "i want the right thing sent"), the same."""
    responses, events = await _checked_return(
        "HG-100003", "hi i got the wrong item in HG-100003, ordered a grinder and got a kettle instead", domain,
        make_dispatcher)
    assert responses == ["utter_return_wrong_item"] and events[-1]["name"] == "action_handoff"
    form = ValidateReturnForm()
    for text, wanted in (("Wrong item", "wrong_item"), ("i dont want a refund i want the right thing sent", "replacement"),
                         ("Changed my mind", None)):
        at_reason = make_tracker(_slots("HG-100003", requested_slot="return_reason"), text=text, domain=domain)
        validated = form.validate_return_reason(text, make_dispatcher(at_reason), at_reason, domain)
        assert validated.get("return_for_a_person") == wanted, text
    done = make_tracker(_slots("HG-100003", return_reason="Wrong item", return_confirmed=False,
                               return_for_a_person="wrong_item"), domain=domain)
    dispatcher = make_dispatcher(done)
    events = await ActionStartReturn().run(dispatcher, done, domain)
    assert dispatcher.responses() == ["utter_return_wrong_item"] and events[-1]["name"] == "action_handoff"
    assert session.execute(select(ReturnRequest)).first() is None


async def test_a_replacement_instead_of_a_refund_goes_to_a_person(database_url, session, domain, make_dispatcher):
    """"i don't want a refund, i want a replacement toaster that isn't broken", at the summary,
    got the same summary again with those words as the reason (a customer run)."""
    form = ValidateReturnForm()
    text = "i don't want a refund, i want a replacement toaster that isn't broken"
    at_summary = make_tracker(_slots("HG-100003", requested_slot="return_confirmed", return_reason="smashed"),
                              text=text, intent="deny", active_loop="return_form", domain=domain)
    assert await form.extract_return_confirmed(make_dispatcher(at_summary), at_summary, domain) == {
        "return_confirmed": False}
    assert form.validate_return_confirmed(False, make_dispatcher(at_summary), at_summary, domain) == {
        "return_confirmed": False, "return_for_a_person": "replacement"}
    at_reason = make_tracker(_slots("HG-100003", requested_slot="return_reason"),
                             text="its cracked, can I get a replacement?", intent="start_return", domain=domain)
    assert form.validate_return_reason("its cracked, can I get a replacement?", make_dispatcher(at_reason),
                                       at_reason, domain) == {
        "return_reason": "its cracked, can I get a replacement?", "return_confirmed": False,
        "return_for_a_person": "replacement"}
    refund = make_tracker(_slots("HG-100003", requested_slot="return_reason"),
                          text="its cracked, no replacement thanks just a refund", domain=domain)
    assert "return_for_a_person" not in form.validate_return_reason(
        "its cracked, no replacement thanks just a refund", make_dispatcher(refund), refund, domain)
    done = make_tracker(_slots("HG-100003", return_reason="smashed", return_confirmed=False,
                               return_for_a_person="replacement"), domain=domain)
    dispatcher = make_dispatcher(done)
    events = await ActionStartReturn().run(dispatcher, done, domain)
    assert dispatcher.responses() == ["utter_return_replacement"] and events[-1]["name"] == "action_handoff"
    assert session.execute(select(ReturnRequest)).first() is None


@pytest.mark.parametrize("text, only_some", [
    ("actually its only the headphones i want to return", True), ("yes but only the headphones", True),
    ("not the whole order, keep the rest", True),
    # from a customer run and a review
    ("i dont want to send the whole lot back tho, only the backpack", True),
    ("can I just send back the toaster?", True), ("keep the speaker, return the rest", True),
    ("yes everything except the kettle", True), ("yes, the entire order but not the free gift", True),
    ("i only want to return 1", True), ("i want to keep one of them", True),
    ("yes the whole order please", False), ("yes return everything", False), ("yes just do it", False),
    ("yes just the one order", False), ("yes, just the one parcel", False),
    ("yes please just the refund to my card", False), ("yes only the box is damaged, send it all back", False),
    # a customer run: the whole order's return was registered
    ("I'd like to return the headphones only, they're uncomfortable", True),
    ("can i send back the blue mug only", True),
    ("return it only if you pay postage", False), ("return the order only if it is late", False),
    # a review: the whole order, asked in the request
    ("I just want to return my order HG-100003, it is too small", False), ("i just want to send my order back", False),
    ("can you just cancel my order HG-100100", False), ("yes just cancel my order please", False),
    ("remove the order please", False), ("yes but only my headphones", True),
    # a later run: handed to a person to set up a part return nobody asked for
    ("no i dont need anyone, just the whole order is fine", False),
    # another: the whole order's return asked again
    ("no!! i don't want to return everything, just get the one headphones repaired", True),
    ("just get the one order sent back", False),
    ("I don't want to return everything, only the kettle", True),
    # a review: no negation of the whole order, or no item
    ("i don't care just cancel the whole order", False),
    ("yes please, i just have one question: how long does the refund take?", False),
])
def test_only_some_of_the_items_in_words(text, only_some):
    from actions.returns import wants_only_some

    assert wants_only_some(text) is only_some


@pytest.mark.parametrize("text, arrived", [
    ("my parcel turned up and the box is ripped open", True), ("it came damaged", True),
    ("I want to return it, it arrived broken", True),
    # from a review: each was handed over as if the parcel had come
    ("it hasnt arrived yet but I want to return it", False), ("can I return it once its delivered", False),
    ("I received an email saying I can return it", False),
])
def test_a_parcel_said_to_have_arrived(text, arrived):
    from actions.returns import says_it_arrived

    assert says_it_arrived(text) is arrived


async def test_another_order_named_registers_nothing_and_goes_on_with_that_order(
        database_url, session, domain, make_dispatcher):
    """"wait wrong order, i meant HG-…" where the reason was asked got no reply, and the
    return was lost (3 of 3 in a customer run)."""
    text = "wait wrong order, i meant HG-100001"
    tracker = make_tracker(_slots("HG-100001", verified_order="HG-100003", return_reason=text,
                                  return_confirmed=True),
                           text=text, entities=[{"entity": "order_number", "value": "HG-100001"}], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionStartReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_switched"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["order_number"] == "HG-100001" and slots["order_task"] == "return"
    assert slots["order_verifier"] is None and slots["return_reason"] is None
    assert events[-1]["name"] == "order_form"
    assert session.execute(select(ReturnRequest)).first() is None


async def test_return_is_registered_once(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100003", return_reason="It arrived damaged",
                                  return_confirmed=True), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionStartReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_return_started"]
    request = session.execute(select(ReturnRequest)).scalar_one()
    assert request.reason == "It arrived damaged" and dispatcher.messages[0]["rma"] == request.rma
    dispatcher = make_dispatcher(tracker)
    await ActionStartReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_return_closed"]
    assert len(session.execute(select(ReturnRequest)).scalars().all()) == 1


async def test_a_product_the_order_does_not_hold_is_said(database_url, session, domain, make_dispatcher):
    """A customer run: "my headphones from order HG-100004 stopped working" was offered a
    warranty claim for its toaster (the order's only item), and "the kettle i got in HG-…
    leaks" the return of the whole order."""
    from company import catalog
    from company.models import Order

    order = session.execute(select(Order).where(Order.number == "HG-100004")).scalar_one()
    held = {item.product.name for item in order.items}
    other = next(p.name for p in catalog.products(session) if p.name not in held)
    kind = {"Aurora Kettle": "kettle"}.get(other, other.split()[-1].lower())
    mine = sorted(held)[0].split()[-1].lower()
    for product, said in ((kind, "utter_product_not_in_order"), (mine, "utter_return_window_closed_warranty"),
                          (None, "utter_return_window_closed_warranty")):
        text = f"my {product or 'order'} from order HG-100004 stopped working"
        entities = ([{"entity": "product", "value": product, "start": text.index(product),
                      "end": text.index(product) + len(product)}] if product else [])
        asked = {"event": "user", "text": text,
                 "parse_data": {"text": text, "intent": {"name": "start_return"}, "entities": entities}}
        tracker = make_tracker(_slots("HG-100004"), events=[asked], domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCheckReturn().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [said], text
        if said == "utter_product_not_in_order":
            assert dispatcher.messages[0]["product"] == other
            assert {e["name"]: e["value"] for e in events}["warranty_claim_offered"] is False


async def test_a_product_told_with_the_order_before_the_return_is_checked(database_url, session, domain,
                                                                           make_dispatcher):
    """A customer run: "my toaster arrived with the door thing completely snapped off, order
    HG-100003", then "i want to return it, it arrived broken", was offered the return of the
    whole order, which held no toaster."""
    from company import catalog
    from company.models import Order

    order = session.execute(select(Order).where(Order.number == "HG-100003")).scalar_one()
    held = {item.product.name for item in order.items}
    other = next(p.name for p in catalog.products(session) if p.name not in held)
    later = "i want to return it, it arrived broken"
    asked = {"event": "user", "text": later, "parse_data": {"text": later, "intent": {"name": "start_return"},
                                                           "entities": []}}
    for product, missing in ((other, True), (sorted(held)[0], False)):
        told = f"my {product.lower()} arrived with the door thing completely snapped off, order HG-100003"
        first = {"event": "user", "text": told, "parse_data": {"text": told, "intent": {"name": "nlu_fallback"},
                 "entities": [{"entity": "product", "value": product.lower()},
                              {"entity": "order_number", "value": "HG-100003"}]}}
        tracker = make_tracker(_slots("HG-100003"), events=[first, asked], domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionCheckReturn().run(dispatcher, tracker, domain)
        assert ("utter_product_not_in_order" in dispatcher.responses()) is missing, product
        if missing:
            assert dispatcher.messages[0]["product"] == other


async def test_a_second_return_names_the_one_registered(database_url, session, domain, make_dispatcher, now):
    from company.models import Order

    order = session.execute(select(Order).where(Order.number == "HG-100003")).scalar_one()
    session.add(ReturnRequest(rma="RMA-515151", order=order, reason="Crackles", status="requested",
                              refund_pence=4550, created_at=now))
    session.commit()
    tracker = make_tracker(_slots("HG-100003"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckReturn().run(dispatcher, tracker, domain)
    assert {e["name"]: e["value"] for e in events}["return_allowed"] is False
    assert dispatcher.responses() == ["utter_return_already_registered"]
    assert dispatcher.messages[0]["rma"] == "RMA-515151" and dispatcher.messages[0]["registered"]


async def test_a_fault_told_after_the_warranty_answer_is_the_return_reason(database_url, domain,
                                                                          make_dispatcher):
    """'it stopped heating' (inform) after "if it has a fault, tell me": the order is looked
    for, and once the return is allowed the form has its reason and asks nothing again."""
    tracker = make_tracker(text="it stopped heating", intent="inform", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionReportFault().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_fault_noted"]
    assert {e["name"]: e["value"] for e in events} == {"order_task": "return",
                                                       "fault_reported": "it stopped heating"}
    # an email told there proves the order; it is no fault
    tracker = make_tracker(text="it's me@example.com", intent="inform", domain=domain,
                           entities=[entity("email", "me@example.com")])
    dispatcher = make_dispatcher(tracker)
    assert {e["name"]: e["value"] for e in await ActionReportFault().run(dispatcher, tracker, domain)} == {
        "order_task": "return"}
    assert dispatcher.responses() == []

    def checked(number):
        return make_tracker(_slots(number, fault_reported="it stopped heating"), domain=domain)

    for number, reason, kept in [("HG-100003", "it stopped heating", None),
                                 # past the window, a claim is offered: the fault waits for it
                                 ("HG-100004", None, "it stopped heating")]:
        tracker = checked(number)
        events = {e["name"]: e["value"]
                  for e in await ActionCheckReturn().run(make_dispatcher(tracker), tracker, domain)}
        assert events.get("return_reason") == reason and events["fault_reported"] == kept, number
    # in transit to the courier: a fault told means the customer has it, which a person sorts out
    tracker = checked("HG-100002")
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_return_arrived_before_recorded"]
    assert events[-1] == {"event": "followup", "name": "action_handoff", "timestamp": None}


async def test_a_reason_told_with_the_request_is_not_asked_for_again(database_url, domain, make_dispatcher):
    """"parcel arrived smashed, the vacuum box was crushed and it wont turn on" got "What's
    the reason for the return?" once the order was proved. A reason told with another
    order's return, or no reason at all, leaves the form to ask."""
    def asked(text, named=None):
        entities = [{"entity": "order_number", "value": named}] if named else []
        return {"event": "user", "text": text,
                "parse_data": {"intent": {"name": "start_return", "confidence": 0.9}, "entities": entities}}

    proof = {"event": "user", "text": "LS6 2QT", "parse_data": {"intent": {"name": "inform"}, "entities": []}}
    smashed = "parcel arrived smashed, the vacuum box was crushed and it wont turn on"
    for events, reason in (([asked(smashed), proof], smashed),
                           ([asked(smashed, "HG-100001"), proof], None),
                           ([asked("i want to return HG-100003", "HG-100003"), proof], None)):
        tracker = make_tracker(_slots("HG-100003"), events=events, domain=domain)
        checked = {e["name"]: e["value"]
                   for e in await ActionCheckReturn().run(make_dispatcher(tracker), tracker, domain)}
        assert checked["return_reason"] == reason, events[0]["text"]


async def _checked_return(number, text, domain, make_dispatcher):
    """What action_check_return says, and its events, for a return asked in `text`."""
    asked = {"event": "user", "text": text,
             "parse_data": {"intent": {"name": "start_return", "confidence": 0.9},
                            "entities": [{"entity": "order_number", "value": number}]}}
    tracker = make_tracker(_slots(number), events=[asked], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckReturn().run(dispatcher, tracker, domain)
    return dispatcher.responses(), events


async def test_a_parcel_the_customer_has_that_the_courier_has_not_recorded_goes_to_a_person(
        database_url, session, domain, make_dispatcher):
    """"my parcel HG-… turned up and the box is ripped open" (in transit, to the courier)
    got "hasn't been delivered yet, so there's nothing to return... refuse the delivery"."""
    shipped = session.execute(select(Order).where(Order.status == OrderStatus.SHIPPED)).scalars().first()
    for text, said, handed in ((f"my parcel {shipped.number} turned up and the box is ripped open",
                                "utter_return_arrived_before_recorded", True),
                               # a fault only the one holding it can tell (a customer run:
                               # "IT IS BROKEN. I want a replacement" was told nothing had come)
                               (f"{shipped.number} IS BROKEN. I want a replacement",
                                "utter_return_arrived_before_recorded", True),
                               (f"return {shipped.number} its faulty, wont turn on",
                                "utter_return_arrived_before_recorded", True),
                               (f"I want to return {shipped.number}", "utter_return_not_delivered", False),
                               (f"return {shipped.number}, what if it breaks?", "utter_return_not_delivered", False),
                               (f"{shipped.number} hasnt arrived and the tracking is dead, i want to return it",
                                "utter_return_not_delivered", False)):
        responses, events = await _checked_return(shipped.number, text, domain, make_dispatcher)
        assert responses == [said], text
        assert (events[-1].get("name") == "action_handoff") is handed, text


async def test_a_wrong_item_told_after_the_window_goes_to_a_person_not_to_a_warranty_claim(
        database_url, domain, make_dispatcher):
    """A customer run: "i want to return HG-100004, you sent me the wrong item" (delivered 45
    days ago) was offered a warranty claim, as if the item were faulty. A wrong item is the
    shop's mistake: a person puts it right; a fault there still gets the claim offered."""
    for text, said, handed in (("i want to return HG-100004, you sent me the wrong item",
                                "utter_return_wrong_item", True),
                               ("HG-100004 isnt what i ordered, i want to send it back",
                                "utter_return_wrong_item", True),
                               ("return HG-100004, the toaster stopped working",
                                "utter_return_window_closed_warranty", False),
                               ("i ordered the wrong size, can i return HG-100004",
                                "utter_return_window_closed_warranty", False)):
        responses, events = await _checked_return("HG-100004", text, domain, make_dispatcher)
        assert responses == [said], text
        assert (events[-1].get("name") == "action_handoff") is handed, text


@pytest.mark.parametrize("text, sent_wrong", [
    ("you sent me the wrong item", True),
    ("Wrong item", True),
    ("got the wrong colour", True),
    ("received someone elses order", True),
    ("this is not what i ordered", True),
    ("the parcel came with the wrong kettle in it", True),
    ("i ordered the wrong size", False),
    ("I accidentally picked the wrong colour", False),
    # from a review: a wrong fit, someone else's slip, a wrong detail
    ("it's the wrong size for me, can I return it", False), ("the jacket is the wrong colour for my room", False),
    ("my husband ordered the wrong size", False), ("I received the wrong tracking number", False),
    ("i sent the wrong item back by mistake", False),
    ("sorry wrong order number", False),
    ("it stopped working", False),
])
def test_the_wrong_item_sent_in_words(text, sent_wrong):
    assert sent_the_wrong_item(text) is sent_wrong


async def _after_the_warranty_answer(text, domain, make_dispatcher):
    """What the rules run on a detail (inform) said after a warranty answer, for an order that
    can be returned: action_report_fault, then (the order found) action_check_return, then,
    when the return form has its reason at once, action_start_return. Returns what the fault
    action said, the reason the form was given and what the return said."""
    tracker = make_tracker(text=text, intent="inform", domain=domain)
    dispatcher = make_dispatcher(tracker)
    told = {e["name"]: e["value"] for e in await ActionReportFault().run(dispatcher, tracker, domain)}
    noted = dispatcher.responses()
    tracker = make_tracker(_slots("HG-100003", **told), domain=domain)
    checked = {e["name"]: e["value"]
               for e in await ActionCheckReturn().run(make_dispatcher(tracker), tracker, domain)}
    reason = checked["return_reason"]
    if reason is None:  # the form asks for the reason: nothing is registered yet
        return noted, None, []
    tracker = make_tracker(_slots("HG-100003", return_reason=reason, return_confirmed=True),
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionStartReturn().run(dispatcher, tracker, domain)
    return noted, reason, dispatcher.responses()


@pytest.mark.parametrize("text", [
    "I ordered two of them",
    "mine is the black one",
    "it was a present for my son",
    "what if it stops working?",
    "and if it breaks?",
    "does that cover a cracked lid?",
    "sorry, wrong order number",
    "I'm missing the order number",
])
async def test_a_detail_after_the_warranty_answer_registers_no_return(database_url, session, domain,
                                                                     make_dispatcher, text):
    """"I ordered two of them" (inform at 0.97) after "if it has a fault, tell me" is no
    fault: it is not acknowledged as one, and the return form asks for the reason instead of
    registering a return and emailing a label."""
    noted, reason, said = await _after_the_warranty_answer(text, domain, make_dispatcher)
    assert noted == [] and reason is None and said == []
    assert session.execute(select(ReturnRequest)).scalars().all() == []


@pytest.mark.parametrize("text, told", [
    ("it stopped heating", "it stopped heating"),
    ("the lid has cracked", "the lid has cracked"),
    ("it's faulty, won't turn on", "it's faulty, won't turn on"),
    ("the handle snapped off", "the handle snapped off"),
    ("it doesn't work even if I charge it", "it doesn't work even if I charge it"),
    # the words that tell the fault, without the question beside them
    ("it's broken, is it covered?", "it's broken"),
    ("it's the wrong colour", "it's the wrong colour"),
])
async def test_a_fault_after_the_warranty_answer_is_still_the_reason(database_url, session, domain,
                                                                    make_dispatcher, text, told):
    noted, reason, said = await _after_the_warranty_answer(text, domain, make_dispatcher)
    assert noted == ["utter_fault_noted"] and reason == told and said == ["utter_return_started"]
    assert session.execute(select(ReturnRequest)).scalar_one().reason == told


def test_the_reason_in_a_request_is_the_words_that_tell_it():
    """A customer run: the summary's reason was the whole first message ("hi i got my order
    HG-100003 but the jacket is the wrong size, can i send it back? my email is …")."""
    assert reason_in_request("hi i got my order HG-100003 but the jacket is the wrong size, can i send it back? "
                             "my email is ben.okafor@example.com") == "the jacket is the wrong size"
    assert reason_in_request("it stopped working after a week, and the handle is loose") == (
        "it stopped working after a week, the handle is loose")
    assert reason_in_request("I want to return my kettle") is None


async def test_words_kept_that_say_no_reason_leave_the_form_to_ask(database_url, domain,
                                                                  make_dispatcher):
    """A detail kept by another path (a clarification that offered a return) is the reason
    only when it says one."""
    for kept, reason in [("I ordered two of them", None),
                         ("I ordered the wrong size", "I ordered the wrong size")]:
        tracker = make_tracker(_slots("HG-100003", fault_reported=kept), domain=domain)
        events = {e["name"]: e["value"]
                  for e in await ActionCheckReturn().run(make_dispatcher(tracker), tracker, domain)}
        assert events["return_reason"] == reason, kept


@pytest.mark.parametrize("text", [
    "it arrived broken", "wrong size", "it doesn't work", "the lid was cracked when it came",
    "not what I ordered", "changed my mind", "the colour is diffrent from the photos", "too small",
    "I got sent two by mistake", "the battery drains in about an hour",
    "damaged packageing and a dent on the side", "it stoped charging after two days",
    "doesnt fit under my desk", "makes a horrible grinding noise", "it just stopped working",
    "ordered the wrong one by accident", "found it cheaper elsewhere tbh",
    "it's missing the power cable", "the grinder isn't for me", "the lamp flickers",
    "It's faulty", "It arrived damaged", "Wrong item",
])
def test_the_reasons_customers_give_read_as_reasons(text):
    assert reason_to_return(text) == text


@pytest.mark.parametrize("text", [
    "I ordered two of them", "mine is the black one", "I bought it last week", "I still have the box",
    "I haven't opened it yet", "I can't find my order number", "my mistake, it's HG-100004",
    "it's a different order", "I don't want to lose the warranty", "if it stops working is it covered",
    "what happens if it breaks", "I want to return it", "??",
])
def test_details_and_questions_are_no_reason(text):
    assert reason_to_return(text) is None


async def test_nothing_is_registered_without_the_customers_yes(database_url, session, domain,
                                                               make_dispatcher):
    """The reason alone registers nothing: the return is summed up and asked about first, and
    a "no" (or no answer) leaves the order as it was."""
    for confirmed in (None, False):
        tracker = make_tracker(_slots("HG-100003", return_reason="It arrived damaged",
                                      return_confirmed=confirmed), domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionStartReturn().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_return_not_started"]
        assert {e["name"]: e["value"] for e in events}["return_confirmed"] is None
    assert session.execute(select(ReturnRequest)).first() is None


async def test_the_question_sums_the_return_up(database_url, session, domain, make_dispatcher):
    """Order, items, the whole order's refund and the reason in the customer's words; an
    order of several items says that the return covers all of them and offers a person for
    only some."""
    from company.models import Order

    orders = session.execute(select(Order)).scalars().all()
    single = next(o for o in orders if sum(i.quantity for i in o.items) == 1)
    several = next(o for o in orders if sum(i.quantity for i in o.items) > 1)
    for number, response in ((single.number, "utter_ask_return_confirmed"),
                             (several.number, "utter_ask_return_confirmed_whole_order")):
        tracker = make_tracker(_slots(number, return_reason="too small"), domain=domain)
        dispatcher = make_dispatcher(tracker)
        assert await ActionAskReturnConfirmed().run(dispatcher, tracker, domain) == []
        assert dispatcher.responses() == [response]
        said = dispatcher.messages[0]
        assert said["order_number"] == number and said["reason"] == "too small"
        assert said["refund"].startswith("£") and said["items"]
    buttons = {b["payload"] for b in domain["responses"]["utter_ask_return_confirmed_whole_order"][0]["buttons"]}
    assert buttons == {"/confirm_return", "/deny", "/request_human"}


@pytest.mark.parametrize("text, expected", [
    ("actually I don't want to return it anymore", {"return_reason": None, "return_confirmed": False}),
    ("never mind, I'll keep it", {"return_reason": None, "return_confirmed": False}),
    ("where do I post it?", {"return_reason": None}),
    ("do I need the original packaging?", {"return_reason": None}),
    ("so what do I do with the toaster?", {"return_reason": None}),
    ("I'll keep the charger but the phone is broken",
     {"return_reason": "I'll keep the charger but the phone is broken"}),
    ("Changed my mind", {"return_reason": "Changed my mind"}),
    ("I don't want it anymore", {"return_reason": "I don't want it anymore"}),
    ("can't use it", {"return_reason": "can't use it"}),
    ("the lid cracked, can I get a new one?", {"return_reason": "the lid cracked, can I get a new one?"}),
    # from a customer run: the reason question came back, or these became the reason
    ("actually scrap that, im keeping it", {"return_reason": None, "return_confirmed": False}),
    ("changed my mind, not returning it", {"return_reason": None, "return_confirmed": False}),
    ("ok what do i do then", {"return_reason": None}),
    # from a review: a change of mind about the product is still the reason
    ("I changed my mind about the colour", {"return_reason": "I changed my mind about the colour"}),
    ("changed my mind about returning it", {"return_reason": None, "return_confirmed": False}),
    ("stop", {"return_reason": None, "return_confirmed": False}),
    ("leave it for now ta", {"return_reason": None, "return_confirmed": False}),
    # typed without the apostrophe, it was registered as the reason
    ("ok whats the deadline exactly", {"return_reason": None}),
    ("hows that work", {"return_reason": None}),
])
def test_a_refusal_or_a_question_is_no_reason(text, expected, domain, make_dispatcher):
    tracker = make_tracker(domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert ValidateReturnForm().validate_return_reason(text, dispatcher, tracker, domain) == expected
    if "return_confirmed" not in expected and expected["return_reason"] is None:
        assert dispatcher.responses() == ["utter_return_reason_question"]


def test_a_hesitation_where_the_reason_is_asked_is_no_reason(domain, make_dispatcher):
    """A customer run: "idk" was registered as the return's reason."""
    for text in ("idk", "hmm", "not sure tbh"):
        tracker = make_tracker(domain=domain)
        dispatcher = make_dispatcher(tracker)
        assert ValidateReturnForm().validate_return_reason(text, dispatcher, tracker, domain) == {
            "return_reason": None}, text
        assert dispatcher.responses() == ["utter_take_your_time"]


@pytest.mark.parametrize("text, which", [
    # a customer run: handed to a person; a first fix took the question as the reason
    ("what's the difference between faulty and damaged?", True),
    ("does a scratch count as damaged?", True), ("which one should I pick?", True),
    ("what does faulty mean", True),
    # a later run: handed over, or answered with the returns label
    ("is a crack faulty or damaged?", True), ("whats the diffrence between faulty n damaged", True),
    ("Sorry, I'm not sure which reason applies. Which should I pick?", True),
    ("which do i choose?", True),
    ("it's cracked, does that count as damaged?", False),  # tells the reason too
])
def test_a_question_about_which_reason_explains_the_kinds(text, which, domain, make_dispatcher):
    tracker = make_tracker(domain=domain)
    dispatcher = make_dispatcher(tracker)
    expected = {"return_reason": None} if which else {"return_reason": text}
    assert ValidateReturnForm().validate_return_reason(text, dispatcher, tracker, domain) == expected
    assert dispatcher.responses() == (["utter_return_reason_kinds"] if which else [])


async def test_a_declined_return_ends_the_form(domain, make_dispatcher):
    form = ValidateReturnForm()
    slots = ["return_reason", "return_confirmed"]
    declined = make_tracker({"return_confirmed": False}, domain=domain)
    # nothing left to ask: the "no" itself is all that is validated
    assert await form.required_slots(slots, make_dispatcher(declined), declined, domain) == ["return_confirmed"]
    asking = make_tracker(domain=domain)
    assert await form.required_slots(slots, make_dispatcher(asking), asking, domain) == slots


async def test_the_return_given_up_in_words_read_as_another_topic_ends_the_form(domain, make_dispatcher):
    """"no forget the return" is the returns policy to the model: the policy was answered and
    the reason asked again, with no way out (4 of 4 in a customer run)."""
    for text, intent, ends in (("no forget the return", "ask_return_policy", True),
                               ("actually scrap that, im keeping it", "deny", True),
                               ("what's your returns policy", "ask_return_policy", False)):
        tracker = make_tracker({"requested_slot": "return_reason"}, text=text, intent=intent,
                               active_loop="return_form", domain=domain)
        events = await ValidateReturnForm().run(make_dispatcher(tracker), tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert (slots.get("return_confirmed") is False and slots.get("requested_slot", "") is None) is ends, (text, slots)


async def test_a_reason_read_as_a_no_is_the_reason_and_a_plain_no_ends_the_return(domain, make_dispatcher):
    """"no reason just dont like it" is a "no" to the model, and a rule ended the return on
    every "no" where the reason was asked: the customer's reason was lost with the return."""
    for text, reason, ends in (("no reason just dont like it", "no reason just dont like it", False),
                               ("no, its broken", "no, its broken", False),
                               # a review: "changed my mind" is a reason, but after a no it ends
                               ("no, changed my mind", None, True),
                               ("no", None, True), ("nope", None, True), ("/deny", None, True)):
        tracker = make_tracker({"requested_slot": "return_reason"}, text=text, intent="deny",
                               active_loop="return_form", domain=domain)
        events = await ValidateReturnForm().run(make_dispatcher(tracker), tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert slots.get("return_reason") == reason, (text, slots)
        assert (slots.get("return_confirmed") is False) is ends, (text, slots)


def test_only_the_summarys_own_yes_confirms(domain, make_dispatcher):
    """A help article's "Yes, thanks" (the affirm button), shown beside the summary after a
    question asked there, registered the whole order's return. The summary's own button and
    a typed yes still confirm."""
    form = ValidateReturnForm()
    for text, intent, confirmed in (("/affirm", "affirm", None), ("/confirm_return", "confirm_return", True),
                                    ("yes please", "affirm", True), ("/deny", "deny", False)):
        tracker = make_tracker(text=text, intent=intent, domain=domain)
        value = {"affirm": True, "confirm_return": True, "deny": False}[intent]
        assert form.validate_return_confirmed(value, make_dispatcher(tracker), tracker, domain) == {
            "return_confirmed": confirmed}, text


async def test_only_some_items_or_a_replacement_asked_in_the_request_goes_to_a_person(
        database_url, session, domain, make_dispatcher, now):
    """"I'd like to return the headphones only, they're uncomfortable" registered the return of
    all four items; "it flickers all the time. can you send me a new one?" a refund (a
    customer run). Both go to a person with nothing registered; a plain request goes on."""
    delivered = session.execute(select(Order).where(Order.status == OrderStatus.DELIVERED)).scalars().all()
    several = next(o for o in delivered if sum(i.quantity for i in o.items) > 1
                   and policies.return_decision(o, now).allowed)
    for text, said, handed in (
            (f"I received order {several.number} last week. I'd like to return the headphones only",
             "utter_return_only_some", True),
            (f"the lamp from {several.number} flickers all the time. can you send me a new one?",
             "utter_return_replacement", True),
            (f"I want to return {several.number}", "utter_return_allowed", False)):
        responses, events = await _checked_return(several.number, text, domain, make_dispatcher)
        assert responses == [said], text
        assert (events[-1].get("name") == "action_handoff") is handed, text
    assert session.execute(select(ReturnRequest)).first() is None


async def test_a_replacement_asked_with_the_fault_before_the_order_goes_to_a_person(
        database_url, session, domain, make_dispatcher, now):
    """A customer run: "ive cleaned it already. its broken. i want it replaced under warranty"
    (the warranty's answer kept it as the fault), then the postcode, was offered the whole
    order's £406 refund."""
    delivered = session.execute(select(Order).where(Order.status == OrderStatus.DELIVERED)).scalars().all()
    order = next(o for o in delivered if policies.return_decision(o, now).allowed)
    for fault, said, handed in (("ive cleaned it already. its broken. i want it replaced under warranty",
                                 "utter_return_replacement", True),
                                ("its broken, it wont grind", "utter_return_allowed", False),
                                ("i dont want it replaced, i just want a refund", "utter_return_allowed", False)):
        tracker = make_tracker({**_slots(order.number), "fault_reported": fault}, text="m3 4lq", intent="inform",
                               domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCheckReturn().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [said], fault
        assert (events[-1].get("name") == "action_handoff") is handed, fault
    assert session.execute(select(ReturnRequest)).first() is None


async def test_a_gifts_return_for_its_recipient_goes_to_a_person(database_url, session, domain, make_dispatcher, now):
    """"it was a present tho, can i get a gift card instead? dont want the money going back to
    my aunts card" was registered with the refund to the buyer's card and the label emailed to
    the buyer (a customer run). Said in the request, or where the reason is asked, a person
    sets it up with nothing registered."""
    delivered = session.execute(select(Order).where(Order.status == OrderStatus.DELIVERED)).scalars().all()
    order = next(o for o in delivered if policies.return_decision(o, now).allowed)
    text = f"i got a gift from my aunt, the order number on the gift receipt is {order.number}. i'd like to return it"
    responses, events = await _checked_return(order.number, text, domain, make_dispatcher)
    assert responses == ["utter_return_gift"] and events[-1]["name"] == "action_handoff"
    reply = "it was a present tho, can i get a gift card instead?"
    tracker = make_tracker(_slots(order.number, requested_slot="return_reason"), text=reply, domain=domain)
    validated = ValidateReturnForm().validate_return_reason(reply, make_dispatcher(tracker), tracker, domain)
    assert validated["return_confirmed"] is False and validated["return_for_a_person"] == "gift"
    done = make_tracker(_slots(order.number, **validated), domain=domain)
    dispatcher = make_dispatcher(done)
    events = await ActionStartReturn().run(dispatcher, done, domain)
    assert dispatcher.responses() == ["utter_return_gift"] and events[-1]["name"] == "action_handoff"
    assert session.execute(select(ReturnRequest)).first() is None


async def test_a_return_chosen_by_a_button_reads_the_message_the_button_clarified(database_url, session, domain,
                                                                                  make_dispatcher):
    """A customer run: "the Cove speaker from order HG-100003 is faulty", then "Start a return"
    among the clarification buttons, was summed up as the whole order's return, with the
    speaker's fault as the reason."""
    from company.models import Order

    order = session.execute(select(Order).where(Order.number == "HG-100003")).scalar_one()
    name = sorted({item.product.name for item in order.items})[0]
    text = f"the {name} from order HG-100003 is faulty"
    clarified = {"event": "user", "text": text,
                 "parse_data": {"text": text, "intent": {"name": "nlu_fallback"},
                                "entities": [{"entity": "product", "value": name, "start": 4, "end": 4 + len(name)},
                                             {"entity": "order_number", "value": "HG-100003"}]}}
    pressed = {"event": "user", "text": "/start_return",
               "parse_data": {"text": "/start_return", "intent": {"name": "start_return"}, "entities": []}}
    tracker = make_tracker(_slots("HG-100003"), events=[clarified, {"event": "bot", "text": "Did you mean…"}, pressed],
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_return_only_some"] and events[-1]["name"] == "action_handoff"


@pytest.mark.parametrize("text, wanted", [
    # a customer run: offered the buyer's refund
    ("HG-100104 was a gift for my nephew, can he return it? he doesnt want me to get the money back he wants a "
     "gift card", True),
    ("i would like a gift card instead of the refund", True), ("can i have the refund as a gift card", True),
    # from a review: no gift card wanted, or buying one (which also kept a fraud report from a person)
    ("I never ordered this!! I don't want a gift card, I want my money back", False),
    ("I want a gift card for my mum's birthday", False), ("i'd like gift cards for my staff", False),
])
def test_the_refund_wanted_as_a_gift_card(text, wanted):
    assert wants_a_gift_card_refund(text) is wanted


async def test_a_product_named_by_its_kind_is_the_orders_one(database_url, session, domain, make_dispatcher):
    """A customer run: "I want to return the speaker" of HG-100003 (one speaker among its
    items; the catalogue has two, so the name alone found none) was summed up as the whole
    order's return, and registered."""
    from company.models import Order

    order = session.execute(select(Order).where(Order.number == "HG-100003")).scalar_one()
    kinds = [item.product.name.split()[-1].lower() for item in order.items]
    assert len(set(kinds)) > 1  # (the demo data's items are drawn at random)
    kind = next(k for k in kinds if kinds.count(k) == 1)
    responses, events = await _checked_return("HG-100003", f"I want to return the {kind} from HG-100003", domain,
                                              make_dispatcher)
    assert responses == ["utter_return_only_some"] and events[-1]["name"] == "action_handoff"
    responses, _ = await _checked_return("HG-100003", "I want to return my order HG-100003", domain, make_dispatcher)
    assert responses == ["utter_return_allowed"]


async def test_the_return_policy_asked_while_a_return_is_started_does_not_offer_one(domain, make_dispatcher):
    """A customer run: "do i need the original box to send it back?" at a return's "Shall I
    start it?" ended with "Just tell me when you'd like to start a return"."""
    asked = make_tracker({"requested_slot": "return_confirmed"}, active_loop="return_form",
                         text="do i need the original box to send it back?", intent="ask_return_policy", domain=domain)
    dispatcher = make_dispatcher(asked)
    await ActionReturnPolicy().run(dispatcher, asked, domain)
    assert dispatcher.responses() == ["utter_return_policy_during_return"]
    alone = make_tracker(text="what's your returns policy", intent="ask_return_policy", domain=domain)
    dispatcher = make_dispatcher(alone)
    await ActionReturnPolicy().run(dispatcher, alone, domain)
    assert dispatcher.responses() == ["utter_return_policy"]
