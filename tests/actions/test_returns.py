from sqlalchemy import select

from actions.returns import (
    ActionCheckReturn,
    ActionReportFault,
    ActionReturnPolicy,
    ActionStartReturn,
    ValidateReturnForm,
)
from actions.verification import VERIFIED
from company import policies
from company.models import ReturnRequest
from tests.conftest import entity, make_tracker


def _slots(number, **extra):
    return {"order_number": number, "order_verifier": VERIFIED, "verified_order": number, **extra}


async def test_policy_answer_uses_the_policy_values(domain, make_dispatcher):
    tracker = make_tracker(domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionReturnPolicy().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["window_days"] == policies.RETURN_WINDOW_DAYS


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
    for bad in ["", "??", "😀😀😀", "x" * 600]:
        assert form.validate_return_reason(bad, make_dispatcher(tracker), tracker, domain) == {"return_reason": None}
    assert form.validate_return_reason(" Wrong size ", make_dispatcher(tracker), tracker, domain) == {
        "return_reason": "Wrong size"}


async def test_return_is_registered_once(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100003", return_reason="It arrived damaged"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionStartReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_return_started"]
    request = session.execute(select(ReturnRequest)).scalar_one()
    assert request.reason == "It arrived damaged" and dispatcher.messages[0]["rma"] == request.rma
    dispatcher = make_dispatcher(tracker)
    await ActionStartReturn().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_return_closed"]
    assert len(session.execute(select(ReturnRequest)).scalars().all()) == 1


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
                                 ("HG-100004", None, "it stopped heating"),
                                 # not delivered: neither
                                 ("HG-100002", None, None)]:
        tracker = checked(number)
        events = {e["name"]: e["value"]
                  for e in await ActionCheckReturn().run(make_dispatcher(tracker), tracker, domain)}
        assert events.get("return_reason") == reason and events["fault_reported"] == kept, number
