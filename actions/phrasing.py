"""Turns stored values into the short forms customers read (dates, money, item lists)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Dict, Sequence, Union

from company import policies
from company.models import Order
from company.money import format_pence
from ground.settings import Settings
from handoff.team_hours import reply_hours


def format_day(value: Union[date, datetime]) -> str:
    """'Tuesday 24 November'."""
    return f"{value:%A} {value.day} {value:%B}"


def format_date(value: Union[date, datetime]) -> str:
    """'19 October 2028': a day that may be in another year."""
    return f"{value.day} {value:%B %Y}"


# country names said with "the" ("To United States: …", a customer run)
_WITH_THE = re.compile(r"^(?:united\s|netherlands$|czech\s+republic$|philippines$)", re.IGNORECASE)


def country_in_a_sentence(name: str) -> str:
    """A country's name as a sentence says it: 'the United States', 'Germany'."""
    return f"the {name}" if _WITH_THE.match(name or "") else name


def join_names(names: Sequence[str]) -> str:
    """'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def format_items(order: Order) -> str:
    """'Nimbus Headphones ×2, Aurora Kettle'."""
    return ", ".join(
        item.product.name if item.quantity == 1 else f"{item.product.name} ×{item.quantity}"
        for item in order.items
    )


def order_total(order: Order) -> str:
    return format_pence(order.total_pence)


def registered_return(order: Order) -> Dict[str, str]:
    """The order's latest return as `utter_return_already_registered` names it."""
    latest = policies.latest_return(order)
    if latest is None:
        return {"rma": "", "registered": ""}
    return {"rma": latest.rma, "registered": format_date(latest.created_at)}


def team_hours() -> Dict[str, str]:
    """The support team's hours for the replies that name them (`{team_hours}`,
    `{team_schedule}`), from the SUPPORT_HOURS setting."""
    settings = Settings.from_env()
    return reply_hours(settings.support_hours, settings.support_timezone)
