"""A product's price and options, or whether it is in stock: `action_product_info`.

The catalogue holds each product's price and warranty, not its stock, so a stock question
is told where stock is shown and what happens when an item is sold out (the same facts as
the help centre's stock article). A product the shop does not sell, or none named, gets the
list of what it does sell.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session
from actions.phrasing import join_names
from actions.tracker_reading import latest_entity
from company import catalog
from company.money import format_pence

_ABOUT_STOCK = re.compile(
    r"\b(?:(?:in|out\s+of|back\s+in)\s+stock|stock|restock\w*|sold\s*out|available|availability"
    r"|left|get\s+more|any\s+more|can\s+i\s+still\s+(?:buy|get|order))\b", re.IGNORECASE)


def asks_about_stock(text: str) -> bool:
    return bool(_ABOUT_STOCK.search(text))


class ActionProductInfo(Action):
    def name(self) -> Text:
        return "action_product_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        named = latest_entity(tracker, "product")
        with company_session() as session:
            product = catalog.find_product(session, named)
            if product is None:
                names = [p.name for p in catalog.products(session)]
                dispatcher.utter_message(response="utter_product_which", products=join_names(names))
                return []
            details = {"product": product.name, "price": format_pence(product.price_pence)}
            if asks_about_stock(tracker.latest_message.get("text") or ""):
                dispatcher.utter_message(response="utter_product_stock", **details)
            else:
                dispatcher.utter_message(response="utter_product_price", months=product.warranty_months,
                                         **details)
        return [SlotSet("product", product.name)]
