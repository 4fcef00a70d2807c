"""A lone gateway (no Rasa: the returns desk needs none) on a copy of the session's demo
database, and returns registered in it as the assistant registers them, for the returns
desk's API and page tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional, Tuple

from sqlalchemy import select

from company import orders
from company.models import Order, OrderStatus, ReturnRequest
from ground.clock import utcnow
from ground.database import session_factory
from tests.product import RunningProcess, product_environment, start_gateway

STAFF_REQUESTS_PER_MINUTE = 60


def start_desk_gateway(folder: Path, demo_database_file: Path) -> RunningProcess:
    shutil.copyfile(demo_database_file, folder / "caredesk.db")  # product_environment's file
    env = product_environment(folder, RASA_PORT="9", ACTION_PORT="9",
                              STAFF_REQUESTS_PER_MINUTE=str(STAFF_REQUESTS_PER_MINUTE))
    return start_gateway(folder, env)


@dataclass(frozen=True)
class Registered:
    rma: str
    order_number: str
    products: Tuple[str, ...]
    registered_at: datetime


def register_return(gateway: RunningProcess, reason: str = "too small",
                    registered_at: Optional[datetime] = None) -> Registered:
    """A return of a delivered order that has none yet, registered `registered_at` (a minute
    ago by default) with the customer's `reason`."""
    at = registered_at or utcnow() - timedelta(minutes=1)
    with session_factory(gateway.env["DATABASE_URL"])() as session:
        order = session.execute(
            select(Order).where(Order.status == OrderStatus.DELIVERED, ~Order.returns.any())
            .order_by(Order.number)).scalars().first()
        assert order is not None, "no delivered order without a return left"
        order.shipment.delivered_at = at - timedelta(days=2)
        session.commit()
        request = orders.start_return(session, order, reason, at)
        return Registered(request.rma, order.number,
                          tuple(item.product.name for item in order.items), request.created_at)


def stored(gateway: RunningProcess, rma: str) -> ReturnRequest:
    """The return as the database holds it now."""
    with session_factory(gateway.env["DATABASE_URL"])() as session:
        return session.execute(select(ReturnRequest).where(ReturnRequest.rma == rma)).scalar_one()
