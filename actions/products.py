"""A product's price and options (ask_product), or whether it is in stock (ask_stock):
`action_product_info`.

The catalogue holds each product's price and warranty, not its stock, so a stock question
is told where stock is shown and what happens when an item is sold out (the same facts as
the help centre's stock article). A product the shop does not sell, or none named, gets the
list of what it does sell; a question naming none ("and how much is it") is about the
product named earlier in the chat.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session
from actions.phrasing import join_names
from actions.tracker_reading import latest_entity, latest_intent, slot_text
from company import catalog
from company.money import format_pence

STOCK_INTENT = "ask_stock"


class ActionProductInfo(Action):
    def name(self) -> Text:
        return "action_product_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # "and how much is it": the product named earlier in the chat
        named = latest_entity(tracker, "product") or slot_text(tracker.get_slot("product"))
        with company_session() as session:
            product = catalog.find_product(session, named)
            if product is None:
                names = [p.name for p in catalog.products(session)]
                dispatcher.utter_message(response="utter_product_which", products=join_names(names))
                return []
            details = {"product": product.name, "price": format_pence(product.price_pence)}
            if latest_intent(tracker) == STOCK_INTENT:
                dispatcher.utter_message(response="utter_product_stock", **details)
            else:
                dispatcher.utter_message(response="utter_product_price", months=product.warranty_months,
                                         **details)
        return [SlotSet("product", product.name)]
