"""The last day to order for a day it must arrive by, asked before ordering: "when do i need
to order by to get it before christmas" got how to place an order (a customer run), in
December. `action_how_to_order` answers how to order otherwise; the delivery answer and the
clarification ask here first too.

The days come from the delivery rates (company/arrival.py): standard delivery leaves the
warehouse within a working day and takes its most working days; next-day delivery in the UK
(ordered by 8pm) and express abroad leave the same day. Bank holidays are no working days.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session
from actions.phrasing import country_in_a_sentence, format_day
from actions.tracker_reading import entity_values, typed_text
from company import catalog
from company.arrival import last_order_days
from company.delivery_areas import countries_of_cities
from company.delivery_days import last_order_deadline
from company.policies import HOME_COUNTRY
from ground.clock import utcnow

ACTION_NAME = "action_how_to_order"


def tell_last_order_days(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """The last days to order for the day the words name, to the country they name (the UK's
    when none); False (nothing said) when the words ask no such thing."""
    text = typed_text(tracker)
    today = utcnow().date()
    deadline = last_order_deadline(text, today)
    if deadline is None:
        return False
    named = entity_values(tracker.latest_message, "country") or countries_of_cities(text)
    with company_session() as session:
        rate = catalog.find_shipping_rate(session, named[-1] if named else HOME_COUNTRY)
        if rate is None:
            return False  # a country not delivered to: the delivery answer says so
        order_by = last_order_days(rate, deadline, today)
        home = rate.country_code == HOME_COUNTRY
        place = country_in_a_sentence(rate.country_name)
    days = {"deadline": format_day(deadline), "country": place,
            "standard_day": format_day(order_by.standard) if order_by.standard else "",
            "express_day": format_day(order_by.express) if order_by.express else ""}
    if order_by.standard and order_by.express:
        response = "utter_order_by_uk" if home else "utter_order_by_abroad"
    elif order_by.standard:
        response = "utter_order_by_abroad_standard"
    elif order_by.express:
        response = "utter_order_by_uk_next_day_only" if home else "utter_order_by_abroad_express_only"
    else:
        response = "utter_order_by_too_late"
    dispatcher.utter_message(response=response, **days)
    return True


# the assistant asked to place the order itself: "ok can you order one for me" after a price
# (a customer run: the packaging article), "could you put the order in for me"
_ORDER_FOR_ME = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:just\s+)?(?:order|buy|purchase)\b.*\b(?:for|on)\s+"
    r"(?:me|my\s+behalf)\b"
    # told to do it: "order it for me please", not "i want to buy one for me"
    r"|^\W*(?:(?:ok|okay|so|then|yes|yeah|please|pls|just)\W+)*(?:order|buy|purchase)\s+(?:it|one|them|that|this"
    r"|the\s+[\w ]+?)\s+for\s+me\b"
    r"|\b(?:place|put)\s+(?:an?|the|my)\s+order\s+(?:in\s+)?(?:for\s+me|on\s+my\s+behalf)\b", re.IGNORECASE)


def asks_to_be_ordered_for(text: str) -> bool:
    """Whether the words ask the assistant to place an order itself, which it cannot."""
    return _ORDER_FOR_ME.search(text or "") is not None


def tell_how_to_order(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """How to place an order, said first not to happen in the chat when that was asked."""
    if asks_to_be_ordered_for(typed_text(tracker)):
        dispatcher.utter_message(response="utter_cannot_order_in_chat")
    dispatcher.utter_message(response="utter_how_to_order")


class ActionHowToOrder(Action):
    """How to place an order, or the last day to order for a day asked about."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if not tell_last_order_days(dispatcher, tracker):
            tell_how_to_order(dispatcher, tracker)
        return []
