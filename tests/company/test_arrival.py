"""When an order should arrive (company/arrival.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from company.arrival import ArrivalWindow, InTime, arrival_window
from company.models import Order, OrderStatus, Shipment, ShippingRate

MONDAY = date(2026, 12, 7)
UK = ShippingRate(country_code="GB", country_name="United Kingdom", standard_pence=399, min_days=2, max_days=4,
                  express_pence=699, express_days=1)


def _order(status: str, method: str = "standard", due: date | None = None) -> Order:
    order = Order(number="HG-1", status=status, delivery_method=method)
    if due is not None:
        order.shipment = Shipment(carrier="Royal Mail", tracking_number="T1", status="in_transit",
                                  shipped_at=datetime(2026, 12, 4), estimated_delivery=due)
    return order


def test_an_order_not_shipped_yet_leaves_within_a_working_day_then_takes_its_methods_days() -> None:
    # standard: 2-4 working days, plus a working day at most in the warehouse
    assert arrival_window(_order(OrderStatus.PROCESSING), UK, MONDAY) == ArrivalWindow(
        date(2026, 12, 9), date(2026, 12, 14))
    assert arrival_window(_order(OrderStatus.PLACED, "next_day"), UK, MONDAY) == ArrivalWindow(
        date(2026, 12, 8), date(2026, 12, 9))
    # working days only: asked on a Friday, standard is due by the next Friday at the latest
    assert arrival_window(_order(OrderStatus.PROCESSING), UK, date(2026, 12, 11)).latest == date(2026, 12, 18)


def test_a_shipped_parcel_is_due_on_its_couriers_day() -> None:
    assert arrival_window(_order(OrderStatus.SHIPPED, due=date(2026, 12, 9)), UK, MONDAY) == ArrivalWindow(
        date(2026, 12, 9), date(2026, 12, 9))


@pytest.mark.parametrize("order, rate", [
    (_order(OrderStatus.SHIPPED, due=date(2026, 12, 4)), UK),  # late: its own answer says so
    (_order(OrderStatus.DELIVERED, due=date(2026, 12, 4)), UK),
    (_order(OrderStatus.CANCELLED), UK),
    (_order(OrderStatus.PROCESSING), None),  # a country with no rate
])
def test_no_window_where_arrival_is_no_longer_the_question(order: Order, rate: ShippingRate) -> None:
    assert arrival_window(order, rate, MONDAY) is None


def test_a_deadline_against_the_window() -> None:
    window = ArrivalWindow(date(2026, 12, 9), date(2026, 12, 11))
    assert window.against(date(2026, 12, 12)) == InTime.YES  # a Saturday: Friday's arrival is in time
    assert window.against(date(2026, 12, 11)) == InTime.YES
    assert window.against(date(2026, 12, 10)) == InTime.MAYBE
    assert window.against(date(2026, 12, 8)) == InTime.NO


def test_the_last_day_to_order_for_christmas_counts_working_days_and_bank_holidays() -> None:
    """Christmas Day 2026 is a Friday: standard delivery (a working day in the warehouse, then
    up to four) must be ordered by Thursday 17 December; next-day by Wednesday 23 December
    (Thursday's next working day is Tuesday 29, after the bank holidays)."""
    from company.arrival import last_order_day, last_order_days

    christmas = date(2026, 12, 25)
    order_by = last_order_days(UK, christmas, MONDAY)
    assert (order_by.standard, order_by.express) == (date(2026, 12, 17), date(2026, 12, 23))
    # too late for either, and a rate with no express
    assert last_order_days(UK, christmas, date(2026, 12, 24)) == type(order_by)(None, None)
    spain = ShippingRate(country_code="ES", country_name="Spain", standard_pence=1195, min_days=5, max_days=7)
    assert last_order_days(spain, christmas, MONDAY).express is None
    assert last_order_day(christmas, 8, MONDAY) == date(2026, 12, 14)
