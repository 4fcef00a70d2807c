"""The products a customer's request names, against the order it is about: "the kettle I got
in HG-100154 leaks" of an order with no kettle is told so, with what the order holds, before
anything is done to the order (a return, a claim, a cancellation)."""

from __future__ import annotations

import re
from typing import Any, List, Optional

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.tracker_reading import entity_values, session_messages_newest_first
from company import catalog
from company.identifiers import normalise_order_number
from company.models import Order


def products_named(tracker: Tracker, request: str) -> List[str]:
    """The products the request's message named (its `product` entities)."""
    if not request:
        return []
    for event in session_messages_newest_first(tracker):
        if (event.get("text") or "") == request:
            return entity_values(event.get("parse_data") or {}, "product")
    return []


def order_items_in_words(order: Order, words: str) -> List[Any]:
    """The order's products that the words name by their kind ("the speaker" of an order that
    holds one speaker: the catalogue has two, so the name alone found none, and "I want to
    return the speaker" was summed up as the whole order's return; a customer run)."""
    found: List[Any] = []
    for item in order.items:
        kind = item.product.name.split()[-1].lower().rstrip("s")
        if re.search(rf"\b{re.escape(kind)}s?\b", words, re.IGNORECASE) and item.product not in found:
            found.append(item.product)
    kinds = [product.name.split()[-1].lower().rstrip("s") for product in found]
    return [] if len(set(kinds)) != len(kinds) else found


def named_but_not_in(order: Order, named: List[Any]) -> Optional[str]:
    """The product the customer named, when none of the products named is in `order`."""
    in_order = {item.product_id for item in order.items}
    if not named or any(product.id in in_order for product in named):
        return None
    return named[0].name


def products_in_request(tracker: Tracker, session: Session, order: Order, request: str) -> List[Any]:
    """The catalogue's products the request names by name, or else the order's items it names
    by their kind."""
    named = [product for product in (catalog.find_product(session, name)
                                     for name in products_named(tracker, request)) if product]
    return named or order_items_in_words(order, request)


def products_named_with_the_order(tracker: Tracker, session: Session, order: Order) -> List[Any]:
    """The catalogue's products named in the latest message of this session that named the
    order with a product ("my toaster arrived with the door snapped off, order HG-100003",
    then "i want to return it": the whole order was offered for return, and it held no
    toaster; a customer run)."""
    for event in session_messages_newest_first(tracker):
        parse = event.get("parse_data") or {}
        numbers = {normalise_order_number(value) for value in entity_values(parse, "order_number")}
        names = entity_values(parse, "product")
        if order.number in numbers and names:
            return [product for product in (catalog.find_product(session, name) for name in names) if product]
    return []


def product_missing_from(tracker: Tracker, session: Session, order: Order, request: str) -> Optional[str]:
    """The product the request names (or, naming none, the product told with the order
    earlier), when none of those it names is in `order`; None when it names none or one
    that is there."""
    named = products_in_request(tracker, session, order, request) or products_named_with_the_order(
        tracker, session, order)
    return named_but_not_in(order, named)
