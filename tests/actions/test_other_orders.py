"""Another order asked about right after an order's status or its invoice, and the money
asked about with an order, in the running product and on trackers (actions/other_orders.py,
actions/orders.py)."""

from __future__ import annotations

from tests.product import CustomerClient, RunningProcess, told_an_order_on_schedule


def test_another_order_named_after_a_status_gets_its_status(product: RunningProcess) -> None:
    """A customer run: "and HG-100002?" after a status got "What would you like to do with
    order…?" (3 of 3). The order named gets its status; the postcode that proved the first
    order proves it, the same customer's ("i gave you my email at the start!!", a later run,
    where the proof was asked again); another customer's order is proved in its turn."""
    customer = told_an_order_on_schedule(product)
    told = customer.say("and HG-100001?")
    assert "being packed" in told and "postcode" not in told and "What would you like to do" not in told, told
    assert "postcode of order HG-100003" in customer.say("and HG-100003?")


def test_the_other_order_asked_about_is_asked_for(product: RunningProcess) -> None:
    """A customer run: "what about the other one?" after a status got the account-merging
    answer and "Shall I pass you to them?" (4 of 4)."""
    customer = told_an_order_on_schedule(product)
    asked = customer.say("what about the other one?")
    assert "What's your order number?" in asked and "account" not in asked, asked
    told = customer.say("HG-100001")
    assert "being packed" in told and "postcode" not in told, told


def test_the_money_asked_about_an_order_gets_its_refund(product: RunningProcess) -> None:
    """A customer run: "where's my money for HG-100003" (order_status to the model) got the
    delivery, 3 of 3."""
    customer = CustomerClient(product.gateway_url)
    customer.say("where's my money for HG-100003")
    told = customer.say("M3 4LQ")
    assert "no refund is on its way" in told and "was delivered" not in told, told


def test_a_task_for_the_other_order_asks_which_order(product: RunningProcess) -> None:
    """A customer run: "cancel the other order please" right after HG-100001's status asked to
    cancel HG-100001, the order just talked about (3 of 3)."""
    customer = CustomerClient(product.gateway_url)
    customer.say("where is HG-100001")
    assert "being packed" in customer.say("LS6 2QT")
    asked = customer.say("cancel the other order please")
    assert "What's your order number?" in asked and "Are you sure" not in asked, asked
    # the order named is the one asked about (the postcode told proves it: the same customer's)
    assert "order HG-100002 has already left our warehouse" in customer.say("HG-100002")


async def test_the_second_one_is_the_other_order_named_before(domain, make_dispatcher) -> None:
    """A customer run: "where are HG-100001 and HG-100002", the first one's status, then "and
    the second one?" was asked for an order number. The other order named is checked; with
    none named before, or no words about another order, the form asks which."""
    from actions.other_orders import ActionOtherOrderStatus
    from tests.conftest import make_tracker

    text = "where are HG-100001 and HG-100002"
    both = [{"entity": "order_number", "value": "HG-100001"}, {"entity": "order_number", "value": "HG-100002"}]
    first = {"event": "user", "text": text, "parse_data": {"text": text, "entities": both,
                                                           "intent": {"name": "order_status"}}}

    async def asked(words, earlier=(first,)):
        latest = {"event": "user", "text": words, "parse_data": {"text": words, "entities": [],
                                                                 "intent": {"name": "nlu_fallback"}}}
        tracker = make_tracker({"order_number": "HG-100001", "verified_order": "HG-100001"}, text=words,
                               intent="nlu_fallback", events=[*earlier, latest], domain=domain)
        events = await ActionOtherOrderStatus().run(make_dispatcher(tracker), tracker, domain)
        return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}["order_number"]

    assert await asked("and the second one?") == "HG-100002"
    assert await asked("what about the other one") == "HG-100002"
    assert await asked("and?") is None
    assert await asked("and the second one?", earlier=()) is None


async def test_the_other_order_after_an_invoice_gets_its_invoice(domain, make_dispatcher) -> None:
    """A customer run: "And for the other order as well please, HG-100001?" right after an
    invoice got that order's status."""
    from actions.other_orders import ActionOtherOrderInvoice
    from tests.conftest import entity, make_tracker

    tracker = make_tracker({"order_number": "HG-100002"}, text="And for the other order as well please, HG-100001?",
                           intent="order_status", entities=[entity("order_number", "HG-100001")], domain=domain)
    events = await ActionOtherOrderInvoice().run(make_dispatcher(tracker), tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (slots["order_task"], slots["order_number"]) == ("invoice", "HG-100001")
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_form"}
