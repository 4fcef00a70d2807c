"""The order lookup ended by "no order yet" (actions/no_order_yet.py) against a real database."""

from actions.no_order_yet import ActionNoOrderYet
from tests.conftest import make_tracker


async def test_a_status_question_gets_the_delivery_times_and_the_lookup_ends(database_url, domain, make_dispatcher):
    tracker = make_tracker({"order_task": "status", "requested_slot": "order_number"}, text="i havent ordered yet",
                           intent="order_status", active_loop="order_form", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionNoOrderYet().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[:2] == ["utter_no_order_yet_delivery", "utter_shipping_overview"]
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["order_task"] is None


async def test_another_task_is_told_there_is_nothing_to_look_up(database_url, domain, make_dispatcher):
    tracker = make_tracker({"order_task": "invoice"}, text="no order yet", intent="inform", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionNoOrderYet().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_no_order_yet"]
