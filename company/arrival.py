"""When an order should reach the customer, for "will it arrive by Saturday?".

A shipped parcel has the courier's due day. An order not shipped yet leaves the warehouse
within one working day (utter_order_status_placed) and then takes its delivery method's
working days to the order's country (the shipping rates: standard min–max days, next-day
its express days). Parcels come on working days only (company/delivery_days.py), so a
Saturday deadline is met by a Friday arrival.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Optional

from company.models import Order, OrderStatus, ShippingRate
from company.policies import add_working_days

# working days an order waits in the warehouse at most before it is shipped
DISPATCH_WORKING_DAYS = 1
NEXT_DAY = "next_day"


class InTime(str, Enum):
    """What the arrival window says about a deadline."""

    YES = "yes"  # due by the deadline at the latest
    MAYBE = "maybe"  # the window spans the deadline
    NO = "no"  # due after it at the earliest


@dataclass(frozen=True)
class ArrivalWindow:
    """The first and last day an order should arrive."""

    earliest: date
    latest: date

    def against(self, deadline: date) -> InTime:
        if self.latest <= deadline:
            return InTime.YES
        return InTime.NO if self.earliest > deadline else InTime.MAYBE


def arrival_window(order: Order, rate: Optional[ShippingRate], today: date) -> Optional[ArrivalWindow]:
    """When `order` should arrive, from `today`; None when that is no longer a question
    (delivered, cancelled, returned, a shipped parcel already past its due day) or when the
    order's country has no rate to count from."""
    shipment = order.shipment
    if order.status == OrderStatus.SHIPPED and shipment is not None:
        due = shipment.estimated_delivery
        return ArrivalWindow(due, due) if due >= today else None
    if order.status not in (OrderStatus.PLACED, OrderStatus.PROCESSING) or rate is None:
        return None
    if order.delivery_method == NEXT_DAY and rate.express_days:
        low = high = rate.express_days
    else:
        low, high = rate.min_days, rate.max_days
    return ArrivalWindow(add_working_days(today, low), add_working_days(today, DISPATCH_WORKING_DAYS + high))


def last_order_day(deadline: date, working_days: int, today: date) -> Optional[date]:
    """The last day from `today` on which an order placed (before that day's cut-off) arrives
    by `deadline`, `working_days` after it; None when none is in time."""
    day = deadline
    while day >= today:
        if add_working_days(day, working_days) <= deadline:
            return day
        day -= timedelta(days=1)
    return None


@dataclass(frozen=True)
class OrderBy:
    """The last days to order for a deadline: with standard delivery and with the fastest."""

    standard: Optional[date]
    express: Optional[date]


def last_order_days(rate: ShippingRate, deadline: date, today: date) -> OrderBy:
    """For an order to `rate`'s country: standard delivery leaves the warehouse within a working
    day and takes its most working days; the fastest (next-day in the UK, ordered by 8pm)
    leaves the same day."""
    standard = last_order_day(deadline, DISPATCH_WORKING_DAYS + rate.max_days, today)
    express = (last_order_day(deadline, rate.express_days, today)
               if rate.express_pence and rate.express_days else None)
    return OrderBy(standard, express)

