"""Whether the shop sells something it does not: "do you sell sofas?".

Such a question fell back to the clarification buttons (stock, delivery, contact), and "ok
so is that a no on sofas then?" was handed to a person (a customer run); "do you sell bikes"
and "do you do mattresses" the same. Where the model is not sure what such a message asks,
`action_clarify` answers it (actions/fallback.py): nothing in the catalogue is named by its
words, so the answer says so and lists what the shop sells. Words that name a service rather
than goods ("do you do next day delivery", "do you have gift cards") are left to the
clarification, as are words that name a product, however loosely ("standing desks": the desk
lamp), so that no product the shop sells is ever said not to be sold.
"""

from __future__ import annotations

import re
from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.help_centre import answer_from_help_centre
from actions.phrasing import join_names

from company import catalog
from company.models import Product
from company.money import format_pence
from company.range_asked import thing_asked_about

_PRICE_MATCH = re.compile(
    r"\bprice[\s-]*match\w*|\bmatch\s+(?:the|their|that|this|a|your|its)\s+price|\bbeat\s+(?:the|their|that|this)\s+price"
    r"|\bcheaper\s+(?:at|on|from|elsewhere|somewhere|anywhere|online\s+at)\b", re.IGNORECASE)


# the words of the help centre's heading that answers it
PRICE_MATCHING = ("price", "match")


def asks_to_match_a_price(text: str) -> bool:
    """Whether the words ask the shop to match another's price ("do you price match? the
    drift vacuum is £40 cheaper at argos")."""
    return _PRICE_MATCH.search(text or "") is not None


def other_goods_asked(text: str, named: Optional[str]) -> Optional[str]:
    """The goods a "do you sell …?" question asks about when they are not the product the
    message also names ("do you sell standing desks to go with the office chair?" was answered
    with the chair's price, a customer run), or None."""
    thing = thing_asked_about(text)
    if thing is None or not named or catalog.name_words(thing) & catalog.name_words(named):
        return None
    return thing


def products_called(session: Session, thing: str) -> List[Product]:
    """The catalogue's products whose names have every word of `thing` ("speakers": the Cove
    and the Orbit)."""
    wanted = catalog.name_words(thing)
    return [product for product in catalog.products(session) if wanted and wanted <= catalog.name_words(product.name)]


def product_called(session: Session, thing: str) -> Optional[Product]:
    """The catalogue's product whose name has every word of `thing`, if exactly one has."""
    found = products_called(session, thing)
    return found[0] if len(found) == 1 else None


def tell_product_price(dispatcher: CollectingDispatcher, product: Product) -> None:
    """The product's price and warranty (utter_product_price)."""
    dispatcher.utter_message(response="utter_product_price", product=product.name,
                             price=format_pence(product.price_pence), months=product.warranty_months)


def tell_not_sold(dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, thing: str) -> None:
    """Tells the customer `thing` is not in the range, with the range; or, where the help
    centre's passage for the message speaks of it, that passage ("do you sell spare filters
    to go with the Drift Robot Vacuum?" was told they are not in the range, where the vacuum's
    care article says packs of three are sold: a customer run)."""
    if not answer_from_help_centre(dispatcher, tracker, about=thing.split()[-1].rstrip("s")):
        dispatcher.utter_message(response="utter_product_not_sold", thing=thing,
                                 products=join_names([p.name for p in catalog.products(session)]))


def names_nothing_sold(session: Session, thing: str) -> bool:
    """Whether no product of the catalogue shares a word with `thing` (plurals as singular)."""
    wanted = catalog.name_words(thing)
    return bool(wanted) and not any(wanted & catalog.name_words(product.name)
                                    for product in catalog.products(session))
