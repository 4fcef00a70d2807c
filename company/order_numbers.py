"""A customer's order numbers sent to the account's own address, for a customer who has no
order number to give ("i dont have the order number, can you use my email?").

The chat never shows which orders an address has, nor whether it has an account: the list
goes to the address itself, as a password reset link does (company/accounts.py), and the
caller answers the same way either way. A few lists a day per address at most, so the
assistant cannot be used to flood someone's inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from company.accounts import find_customer_by_email
from company.models import Order, OutboundEmail
from company.orders import item_names
from company.outbox import queue_email

TEMPLATE = "order_numbers"
LISTS_PER_DAY = 3
ORDERS_LISTED = 10


def email_order_numbers(session: Session, email_text: str, now: datetime) -> bool:
    """Queues a list of the account's latest orders (number, date, items) to its own address
    when an account has this email and fewer than LISTS_PER_DAY went to it in the last day;
    returns whether one was queued."""
    customer = find_customer_by_email(session, email_text)
    if customer is None:
        return False
    sent_today = session.execute(
        select(func.count()).select_from(OutboundEmail).where(
            OutboundEmail.to_address == customer.email, OutboundEmail.template == TEMPLATE,
            OutboundEmail.created_at > now - timedelta(days=1))
    ).scalar_one()
    if sent_today >= LISTS_PER_DAY:
        return False
    orders = session.execute(
        select(Order).where(Order.customer_id == customer.id).order_by(Order.placed_at.desc()).limit(ORDERS_LISTED)
    ).scalars().all()
    queue_email(session, customer.email, TEMPLATE, "Your Harbor Goods order numbers", _body(orders), now)
    session.commit()
    return True


def _body(orders: "list[Order]") -> str:
    if not orders:
        return "There are no orders on your Harbor Goods account yet."
    lines = [f"{order.number}, ordered {order.placed_at.day} {order.placed_at:%B %Y}: " + ", ".join(item_names(order))
             for order in orders]
    return "Your latest orders, newest first:\n" + "\n".join(lines)
