"""Turns stored values into the short forms customers read (dates, money, item lists)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Union

from company.models import Order
from company.money import format_pence


def format_day(value: Union[date, datetime]) -> str:
    """'Tuesday 24 November'."""
    return f"{value:%A} {value.day} {value:%B}"


def format_date(value: Union[date, datetime]) -> str:
    """'19 October 2028': a day that may be in another year."""
    return f"{value.day} {value:%B %Y}"


def format_items(order: Order) -> str:
    """'Nimbus Headphones ×2, Aurora Kettle'."""
    return ", ".join(
        item.product.name if item.quantity == 1 else f"{item.product.name} ×{item.quantity}"
        for item in order.items
    )


def order_total(order: Order) -> str:
    return format_pence(order.total_pence)
