"""A deadline asked about the order just told (bot/policies/arrival_questions.py,
actions/arrivals.ActionOrderArrival): the policy on trackers, the action on the demo data."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import List, Optional

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from sqlalchemy import select

from actions.arrivals import ActionOrderArrival
from actions.verification import VERIFIED
from bot.policies.arrival_questions import ArrivalQuestionPolicy
from bot.policies.order_waits import OrderWaitPolicy
from company.models import Order
from ground.clock import utcnow
from tests.bot.policies.written_predictions import predicted
from tests.conftest import make_tracker

PROVED = [SlotSet("order_number", "HG-100002"), SlotSet("order_verifier", VERIFIED),
          SlotSet("verified_order", "HG-100002")]


def _asked(text: str, intent: str, entities=None) -> List[Event]:
    return [ActionExecuted("action_order_status"), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 0.7}, entities or [])]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(ArrivalQuestionPolicy, tmp_path, domain, events)


def test_a_deadline_asked_about_the_proved_order_is_answered(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: after "It should arrive by Wednesday 9 December", "will it arrive by
    friday tho? i need it for a party" got the wait's "I can't make it come any faster", and
    "so wednesday is before friday right? so it will be there in time?" the opening hours."""
    for text, intent in (("will it arrive by friday tho? i need it for a party", "order_status"),
                         ("so wednesday is before friday right? so it will be there in time?", "ask_opening_hours")):
        assert _predicted(tmp_path, rasa_domain, PROVED + _asked(text, intent)) == "action_order_arrival", text
        # the wait's answer leaves it to this one, though it is impatience too
        waiting = PROVED + [ActionExecuted("action_order_status"),
                            BotUttered("It should arrive by Wednesday.", metadata={"utter_action": "utter_order_status_shipped"}),
                            *_asked(text, "complaint")[1:]]
        assert predicted(OrderWaitPolicy, tmp_path, rasa_domain, waiting) is None, text
    done = PROVED + _asked("will it arrive by friday", "order_status") + [ActionExecuted("action_order_arrival")]
    assert _predicted(tmp_path, rasa_domain, done) == "action_listen"
    # no order proved, another order named, or no day asked about: not this policy's
    assert _predicted(tmp_path, rasa_domain, _asked("will it arrive by friday", "order_status")) is None
    other = _asked("will HG-100003 arrive by friday", "order_status", [{"entity": "order_number", "value": "HG-100003"}])
    assert _predicted(tmp_path, rasa_domain, PROVED + other) is None
    assert _predicted(tmp_path, rasa_domain, PROVED + _asked("why is it taking so long", "complaint")) is None
    # impatience without a day is still the wait's
    waiting = PROVED + [ActionExecuted("action_order_status"),
                        BotUttered("It should arrive by Wednesday.", metadata={"utter_action": "utter_order_status_shipped"}),
                        *_asked("why is it taking so long", "complaint")[1:]]
    assert predicted(OrderWaitPolicy, tmp_path, rasa_domain, waiting) == "action_order_wait"


async def test_the_arrival_is_said_against_the_day_asked(database_url, session, domain, make_dispatcher) -> None:
    due = session.execute(select(Order).where(Order.number == "HG-100002")).scalar_one().shipment.estimated_delivery
    slots = {"order_number": "HG-100002", "order_verifier": VERIFIED, "verified_order": "HG-100002"}
    text = f"will it be here by {due.day} {due:%B}?"
    tracker = make_tracker(slots, text=text, intent="order_status", domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert await ActionOrderArrival().run(dispatcher, tracker, domain) == []
    # the due day in words, as the status is not said again
    assert dispatcher.responses() == ["utter_order_arrival_in_time"]
    if due - timedelta(days=1) >= utcnow().date():
        early = due - timedelta(days=1)
        tracker = make_tracker(slots, text=f"will it be here by {early.day} {early:%B}?", intent="order_status",
                               domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionOrderArrival().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_order_arrival_too_late"]
    # a delivered order's arrival is no question: its status answers
    delivered = {"order_number": "HG-100003", "order_verifier": VERIFIED, "verified_order": "HG-100003"}
    tracker = make_tracker(delivered, text="will it be here by friday?", intent="order_status", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionOrderArrival().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == [] and events == [{"event": "followup", "timestamp": None,
                                                         "name": "action_order_status"}]


def test_when_the_proved_order_arrives_is_answered_right_after_its_status(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "ok but roughly when will it get to me?" after "being packed" got the same
    status again."""
    for text in ("ok but roughly when will it get to me?", "whats the eta", "when will it arrive"):
        assert _predicted(tmp_path, rasa_domain, PROVED + _asked(text, "order_status")) == "action_order_arrival", text
    # a later run: the returns policy
    assert _predicted(tmp_path, rasa_domain, PROVED + _asked("how long does that take usually", "ask_return_policy")
                      ) == "action_order_arrival"
    # not after another answer, not about another thing's arrival, nor a delivery to a country
    later = PROVED + [ActionExecuted("action_shipping_info"), ActionExecuted("action_listen"),
                      UserUttered("how long will it take", {"name": "ask_shipping", "confidence": 0.7})]
    assert _predicted(tmp_path, rasa_domain, later) is None
    assert _predicted(tmp_path, rasa_domain, PROVED + _asked("when will my refund arrive", "refund_status")) is None
    france = _asked("how long will it take to france", "ask_shipping", [{"entity": "country", "value": "France"}])
    assert _predicted(tmp_path, rasa_domain, PROVED + france) is None


async def test_when_the_order_arrives_is_its_arrival_window(database_url, session, domain, make_dispatcher) -> None:
    for number, response in (("HG-100001", "utter_order_arrival_between"), ("HG-100002", "utter_order_arrival_on")):
        order = session.execute(select(Order).where(Order.number == number)).scalar_one()
        if order.shipment is not None and order.shipment.estimated_delivery < utcnow().date():
            continue  # the demo parcel is past its due day: its status answers (tested above)
        slots = {"order_number": number, "order_verifier": VERIFIED, "verified_order": number}
        tracker = make_tracker(slots, text="ok but roughly when will it get to me?", intent="order_status", domain=domain)
        dispatcher = make_dispatcher(tracker)
        assert await ActionOrderArrival().run(dispatcher, tracker, domain) == []
        assert dispatcher.responses() == [response], number
