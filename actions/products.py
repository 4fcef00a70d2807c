"""A product's price and options (ask_product), or whether it is in stock (ask_stock):
`action_product_info`.

The catalogue holds each product's price and warranty, not its stock, so a stock question
is told where stock is shown and what happens when an item is sold out (the same facts as
the help centre's stock article). A product the shop does not sell, or none named, gets the
list of what it does sell. A question naming none ("and how much is it") is about the
product of the answer before, or, after another topic's answer (delivery to Ireland), leans
on that answer and is offered its topic first, as the clarification does.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session
from actions.fallback import earlier_topic, offer_previous_topic
from actions.phrasing import join_names
from actions.help_centre import answer_with_passage_headed
from actions.product_details import (PRODUCT_TOPICS, STOCK_INTENT, answer_detail, answer_detail_beside,
                                     asks_for_a_price_extreme, asks_of_the_product, detail_asked,
                                     detail_asked_beside, products_compared, tell_price_extremes, tell_prices)
from actions.range_questions import (PRICE_MATCHING, asks_to_match_a_price, other_goods_asked, product_called,
                                     tell_not_sold, tell_product_price)
from actions.tracker_reading import entity_values, latest_entities_text, latest_intent, product_in_slot, typed_text
from company import catalog
from company.money import format_pence



_THE_OTHER = re.compile(r"\b(?:the\s+)?other\b|\banother\b|\bsecond\b", re.IGNORECASE)


class ActionProductInfo(Action):
    def name(self) -> Text:
        return "action_product_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # ("do you price match? the drift vacuum is £40 cheaper at argos" got the vacuum's price
        # alone, a customer run): what the help centre says about matching prices, after the
        # price of the product named, if one is
        typed = typed_text(tracker)
        price_match = asks_to_match_a_price(typed)
        named = latest_entities_text(tracker, "product")
        if price_match and named is None and answer_with_passage_headed(dispatcher, PRICE_MATCHING, tracker):
            return []
        if named is None and asks_for_a_price_extreme(typed):
            with company_session() as session:
                told = tell_price_extremes(dispatcher, typed, catalog.products(session))
            return [SlotSet("product", told.name)] if told is not None else []
        if named is None:
            with company_session() as session:
                compared = products_compared(tracker, session)
                if compared:
                    # "which one is cheaper" after the kettle and the toaster: both prices
                    tell_prices(dispatcher, compared)
                    return []
            earlier = earlier_topic(tracker)
            if earlier is None or earlier in PRODUCT_TOPICS:
                # "and how much is it" after the stock answer: the product named then
                named = product_in_slot(tracker)
            elif offer_previous_topic(dispatcher, tracker, domain):
                # "how much is it" after the delivery answer leans on that answer
                return []
        with company_session() as session:
            other = other_goods_asked(typed, named)
            if other is not None:
                product = product_called(session, other)
                if product is None:
                    tell_not_sold(dispatcher, tracker, session, other)
                    return []
            else:
                product = catalog.find_product(session, named)
            if product is None and _THE_OTHER.search(typed):
                # "and the other speaker?" after the Cove got "Which product do you mean?" and
                # the whole range (a customer run): the Orbit
                product = catalog.the_other_product(session, named, catalog.find_product(
                    session, product_in_slot(tracker)))
            several = [] if product is not None else catalog.products_named_apart(
                session, entity_values(tracker.latest_message, "product"))
            if len(several) > 1 and latest_intent(tracker) != STOCK_INTENT:
                # "which is cheaper the cove speaker or the orbit one" got "Which product do you
                # mean?" and the whole range (a customer run): each one's price, cheapest first
                tell_prices(dispatcher, several)
                return []
            if product is None:
                names = [p.name for p in catalog.products(session)]
                dispatcher.utter_message(response="utter_product_which", products=join_names(names))
                return []
            details = {"product": product.name, "price": format_pence(product.price_pence)}
            detail = detail_asked(typed)
            if (latest_intent(tracker) != STOCK_INTENT or asks_of_the_product(typed)) and not price_match and detail:
                # "how big is the atlas office chair" got its price alone (a customer run)
                answer_detail(dispatcher, tracker, domain, product, detail)
                return [SlotSet("product", product.name)]
            if latest_intent(tracker) == STOCK_INTENT:
                dispatcher.utter_message(response="utter_product_stock", **details)
            else:
                tell_product_price(dispatcher, product)
                beside = None if price_match else detail_asked_beside(typed)
                if beside is not None:
                    answer_detail_beside(dispatcher, tracker, domain, product, beside)
        if price_match:
            answer_with_passage_headed(dispatcher, PRICE_MATCHING, tracker)
        return [SlotSet("product", product.name)]
