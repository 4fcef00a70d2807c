"""Answers "will it arrive by Saturday?" after an order's status: the order's arrival window
(company/arrival.py) against the day the customer named (company/delivery_days.py). Before,
"ordered lamps for my mum's birthday which is on saturday, will they get here in time??" got
the status alone, and the question again got the status again (a customer run)."""

from __future__ import annotations

from datetime import date
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import verification
from actions.company_db import company_session
from actions.phrasing import format_day
from actions.tracker_reading import typed_text
from company.arrival import InTime, arrival_window
from company.catalog import find_shipping_rate
from company.delivery_days import arrival_deadline, asks_when_it_arrives
from company.models import Order, OrderStatus
from ground.clock import utcnow

ACTION_NAME = "action_order_arrival"

_RESPONSES = {InTime.YES: "utter_order_arrival_in_time", InTime.MAYBE: "utter_order_arrival_maybe",
              InTime.NO: "utter_order_arrival_too_late"}


def tell_arrival_against_deadline(dispatcher: CollectingDispatcher, session: Session, order: Order,
                                  text: str, today: date, after_status: bool = True) -> bool:
    """Says whether `order` should arrive by the day `text` asks about, or when it should
    arrive where `text` asks when; False (nothing said) when it asks neither, or the order's
    arrival is no longer a question. `after_status`:
    said right after the order's status, which gave a shipped parcel's due day already."""
    deadline = arrival_deadline(text, today)
    if deadline is None and (not asks_when_it_arrives(text)
                             or (after_status and order.status == OrderStatus.SHIPPED)):
        return False  # (a shipped parcel's due day was just said with its status)
    window = arrival_window(order, find_shipping_rate(session, order.ship_country_code), today)
    if window is None:
        return False
    if deadline is None:
        dispatcher.utter_message(
            response="utter_order_arrival_on" if window.earliest == window.latest else "utter_order_arrival_between",
            earliest=format_day(window.earliest), latest=format_day(window.latest))
        return True
    in_time = window.against(deadline)
    # the shipped parcel's due day was just said with its status: not twice
    response = ("utter_order_arrival_due_in_time"
                if after_status and in_time is InTime.YES and order.status == OrderStatus.SHIPPED
                else _RESPONSES[in_time])
    dispatcher.utter_message(response=response, deadline=format_day(deadline),
                             earliest=format_day(window.earliest), latest=format_day(window.latest))
    return True


class ActionOrderArrival(Action):
    """"will it arrive by Friday?" about the order just told: whether it arrives by that day,
    not its status again (bot/policies/arrival_questions.py); the status when its arrival is
    no longer the question (delivered, late)."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is not None and tell_arrival_against_deadline(
                    dispatcher, session, order, typed_text(tracker), utcnow().date(), after_status=False):
                return []
        return [FollowupAction("action_order_status")]
