"""A question about a detail of a product that the catalogue does not hold: "is the lumen desk
lamp dimmable?", "how big is the atlas office chair".

The catalogue holds each product's price and warranty, and the help centre a few products'
care and use. Such a question fell back to the clarification buttons, and asked again in other
words went to a person as two misses; read as a product question it got the price alone (a
customer run). Where no help-centre passage answers it, the answer says what is known (the
price and the warranty), where the details are (the product's page), and offers a person.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.help_centre import answer_from_help_centre
from actions.leaning_questions import previous_topic
from actions.phrasing import join_names
from actions.topics import NOT_TOPIC_INTENTS
from actions.tracker_reading import (entity_values, latest_entities_text, product_in_slot, response_before_latest_message,
                                     message_before_latest, response_text, session_messages_newest_first, typed_text)
from company import catalog
from company.models import Product
from company.money import format_pence

DETAILS_NOT_HELD = "utter_product_details_not_held"
DETAILS_NOT_HELD_AGAIN = "utter_product_details_not_held_again"
STOCK_INTENT = "ask_stock"
# answers about one product, whose product a question naming none is about
PRODUCT_TOPICS = frozenset({"ask_product", STOCK_INTENT, "ask_warranty"})
# the answers about one product, which the product slot holds after them
PRODUCT_ANSWERS = frozenset({DETAILS_NOT_HELD, DETAILS_NOT_HELD_AGAIN, "utter_product_price", "utter_product_stock"})

_DETAIL = re.compile(
    r"\b(?:dimm(?:able|er|ing)|dim|brightness|bulbs?|warm\s+white|water\s*-?\s*(?:proof|resistant)"
    r"|splash\s*-?\s*proof|shower|bluetooth|wireless|wi-?fi|cordless|rechargeable|batter(?:y|ies)|usb(?:-c)?"
    r"|plugs?|watts?|wattage|volts?|voltage|dimensions?|measurements?|weigh(?:s|t)?|heavy|sizes?"
    r"|colou?rs?|materials?|fabric|leather|made\s+(?:of|from|in)|compatible|work\s+with|pair\s+with"
    r"|come\s+in\s+(?:a\s+|an\s+)?(?:black|white|grey|gray|silver|gold|blue|red|green|pink|navy|brown|beige|cream"
    r"|other\s+colou?rs?|different\s+colou?rs?|a\s+bigger|a\s+smaller|other\s+sizes?|different\s+sizes?)"
    r"|capacity|litres?|cups|noise|noisy|loud|quiet|decibels|adjustable|fold(?:able|s)?|dishwasher"
    r"|specs?|specifications?|features?|alexa|google\s+home|siri|app"
    r"|schedul\w*|timer|carpets?|rugs?|stairs|pet\s+hair|inch(?:es)?)\b"
    r"|\bhow\s+(?:big|small|tall|wide|high|deep|heavy|loud|quiet|bright)\b"
    # the stem alone, which the assembly passage's heading has ("Assembly")
    r"|\bassembl(?=(?:e|ed|es|y|ing)\b)|\bput\s+together\b",
    re.IGNORECASE)
# asked, not told: "the lamp is too dim" is a fault
_ASKED = re.compile(r"\?|^\W*(?:(?:hi|hey|hello|ok|okay|so|and|also|quick\s+question)\W+)*"
                    r"(?:is|are|does|do|can|could|will|would|has|have|how|what|which|whats|what's)\b",
                    re.IGNORECASE)
# what the catalogue or another answer holds: the price, the warranty, the stock; and another
# topic the detail is only part of ("can i return the lamp if it's the wrong colour?")
_HELD = re.compile(r"\b(?:price|cost|costs|how\s+much|warrant(?:y|ies)|guarantee|in\s+stock|stock|available"
                   r"|return\w*|refund\w*|exchange\w*|swap\w*|send\s+(?:it|them)\s+back|deliver\w*|arriv\w*"
                   r"|order(?:ed|s)?|broken|faulty|fault|damaged|cancel\w*|repair\w*"
                   # a fault asked about ("my kettle is too loud, is that normal?")
                   r"|normal|supposed\s+to|stopped|won'?t|doesn'?t|does\s+not|not\s+working|too\s+\w+)\b",
                   re.IGNORECASE)


# where one question of a message ends and the next begins: "how much is the desk chair and
# does it come assembled"
_NEXT_QUESTION = re.compile(
    r"[?;,]|\.(?:\s|$)|\s(?:and|also|plus|but)\s+(?=(?:is|are|does|do|can|could|will|would|has|have|how|what"
    r"|which)\b)", re.IGNORECASE)


# a question whose subject is the product, not the shop: "does the drift robot vacuum have a
# schedule mode" (read as stock, "do you have…", and answered with where stock is shown: a
# customer run), not "do you have the lamp in black"
_OF_THE_PRODUCT = re.compile(r"^\W*(?:(?:hi|hey|hello|ok|okay|so|and|also)\W+)*(?:does|do|can|will|would|is|are|has)\s+"
                             r"(?:the|it|they|this|that|these|those|your\s+(?!team|shop|site|website))\b", re.IGNORECASE)


def asks_of_the_product(text: str) -> bool:
    """Whether the question's subject is the product itself."""
    return _OF_THE_PRODUCT.search(text or "") is not None


def detail_asked(text: str) -> Optional[str]:
    """The words of a product's detail that the catalogue does not hold, when the words ask
    about one ("waterproof" in "is the cove speaker waterproof"), else None."""
    found = _DETAIL.search(text or "")
    if found is None or not _ASKED.search(text or "") or _HELD.search(text or ""):
        return None
    return found.group(0).lower()


def detail_asked_beside(text: str) -> Optional[str]:
    """The words of a detail asked in a question of its own beside one the catalogue answers
    ("assembl" in "how much is the desk chair and does it come assembled", which got the
    price alone: a customer run); None when the message asks no such second question."""
    if detail_asked(text) is not None:
        return None
    for question in _NEXT_QUESTION.split(text or "")[1:]:
        found = detail_asked(question)
        if found is not None:
            return found
    return None


def answer_detail_beside(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
                         product: Product, detail: str) -> None:
    """The help centre's passage on a detail asked beside the price, else where it is told (the
    price and the warranty were just given, so not again)."""
    if not answer_from_help_centre(dispatcher, tracker, about=detail):
        dispatcher.utter_message(
            response="utter_product_detail_not_held_beside", product=product.name,
            buttons=[{"title": response_text(domain, "utter_topic_request_human"), "payload": "/request_human"}])


def answer_detail(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
                  product: Product, detail: str) -> None:
    """The help centre's passage that speaks of the detail ("The Cove Bluetooth Speaker is
    splash-proof but not waterproof"), else what is known and where the details are (the
    assembly passage, which the search found for "how big is the atlas office chair", says
    nothing of its size)."""
    if not answer_from_help_centre(dispatcher, tracker, about=detail):
        tell_details_not_held(dispatcher, tracker, domain, product)


def product_asked_about(tracker: Tracker, session: Session) -> Optional[Product]:
    """The product the latest message names, or, naming none ("is it dimmable?"), the product
    of the answer before when that answer was about one product."""
    named = latest_entities_text(tracker, "product")
    if named is None:
        earlier = previous_topic(tracker, NOT_TOPIC_INTENTS)
        # ("does it come in black?" right after this answer to "is the lamp dimmable?", which
        # fell back and so is no topic)
        if ((earlier is None or earlier[0] not in PRODUCT_TOPICS)
                and response_before_latest_message(tracker) not in PRODUCT_ANSWERS
                and not _named_a_product_before(tracker)):
            return None
        named = product_in_slot(tracker)
    return catalog.find_product(session, named)


def _named_a_product_before(tracker: Tracker) -> bool:
    """Whether the customer's message before the latest named a product ("does it have usb
    charging" right after the help centre answered "lumen desk lamp - can i dim it…" got "not
    sure I understood": a customer run)."""
    before = message_before_latest(tracker)
    return before is not None and bool(entity_values(before.get("parse_data") or {}, "product"))


def tell_details_not_held(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
                          product: Product) -> None:
    """What is known of `product`, where its details are, and a person who can check them; a
    second detail asked right after, in fewer words."""
    again = response_before_latest_message(tracker) in (DETAILS_NOT_HELD, DETAILS_NOT_HELD_AGAIN)
    dispatcher.utter_message(
        response=DETAILS_NOT_HELD_AGAIN if again else DETAILS_NOT_HELD, product=product.name,
        price=format_pence(product.price_pence), months=product.warranty_months,
        buttons=[{"title": response_text(domain, "utter_topic_request_human"), "payload": "/request_human"}])


def tell_prices(dispatcher: CollectingDispatcher, several: List[Product]) -> None:
    """Each of two products or more asked about at once, cheapest first: the shop has no opinion
    of its own to give on which is better, and the prices tell them apart."""
    dispatcher.utter_message(response="utter_product_prices", prices=join_names(
        [f"the {each.name} is {format_pence(each.price_pence)}"
         for each in sorted(several, key=lambda each: each.price_pence)]))


# the cheapest or dearest of the range: "what's the cheapest thing you sell", "and the most expensive?"
_CHEAPEST = re.compile(r"\b(?:cheapest|least\s+expensive|lowest[\s-]+price\w*|most\s+affordable)\b", re.IGNORECASE)
_DEAREST = re.compile(r"\b(?:most\s+expensive|dearest|priciest|costliest|highest[\s-]+price\w*)\b", re.IGNORECASE)


def asks_for_a_price_extreme(text: str) -> bool:
    """Whether the words ask for the cheapest or the dearest product."""
    return _CHEAPEST.search(text or "") is not None or _DEAREST.search(text or "") is not None


def tell_price_extremes(dispatcher: CollectingDispatcher, text: str, products: Sequence[Product]) -> Optional[Product]:
    """The cheapest and/or dearest of `products`, as asked ("what's the cheapest thing you
    sell" got "Which product do you mean?" and the whole range: a customer run); the one
    told last, or None when the words ask neither."""
    if not products:
        return None
    told: Optional[Product] = None
    if _CHEAPEST.search(text or ""):
        told = min(products, key=lambda each: each.price_pence)
        dispatcher.utter_message(response="utter_product_cheapest", product=told.name,
                                 price=format_pence(told.price_pence))
    if _DEAREST.search(text or ""):
        told = max(products, key=lambda each: each.price_pence)
        dispatcher.utter_message(response="utter_product_dearest", product=told.name,
                                 price=format_pence(told.price_pence))
    return told


# a question about the products just talked about, naming none: "which one has the longer
# warranty" after the kettle's price and "and the toaster?"
_WHICH_OF_THEM = re.compile(r"\bwhich\s+(?:one|of\s+(?:them|the\s+two|those|these))\b|\bwhich\s+is\b|\bboth\b"
                            r"|\beither\s+of\b", re.IGNORECASE)
_COMPARED_BACK = 4  # customer messages back in which the products compared were named


def products_compared(tracker: Tracker, session: Session) -> List[Product]:
    """The products of the last few messages, each once, newest first, when the latest names
    none and asks which of them (two or more; else none): "which one has the longer warranty"
    got the toaster's alone, after the kettle's price and "and the toaster?" (a customer run)."""
    if latest_entities_text(tracker, "product") or not _WHICH_OF_THEM.search(typed_text(tracker)):
        return []
    found: List[Product] = []
    for event in islice(session_messages_newest_first(tracker), 1, 1 + _COMPARED_BACK):
        for named in entity_values(event.get("parse_data") or {}, "product"):
            product = catalog.find_product(session, named)
            if product is not None and product not in found:
                found.append(product)
    return found if len(found) > 1 else []
