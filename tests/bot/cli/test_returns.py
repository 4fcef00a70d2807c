"""The returns desk's command line on the demo database: it records a parcel's arrival and
the refund, refuses the impossible with a clear message and exit code 2, and its records
are what the refund answer reads."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from company import orders, policies
from company.models import ReturnRequest, Order, OrderStatus
from ground.envfile import PROJECT_ROOT


def cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "RASA_TOKEN": "test-token-not-secret"}
    return subprocess.run([sys.executable, "-m", "bot.cli.returns", *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def test_a_parcel_received_then_refunded_from_the_command_line(database_url, session, now):
    order = session.execute(select(Order).where(Order.status == OrderStatus.DELIVERED)
                            .order_by(Order.number)).scalars().first()
    order.returns.clear()
    order.shipment.delivered_at = now - timedelta(days=2)
    session.commit()
    registered = now - timedelta(minutes=10)  # before the clock of the command line's run
    rma = orders.start_return(session, order, "too small", registered).rma

    refused = cli(database_url, "refunded", rma)
    assert refused.returncode == 2 and "not been recorded as received" in refused.stderr
    for bad in ("yesterday", "2999-01-01"):
        wrong = cli(database_url, "received", rma, "--at", bad)
        assert wrong.returncode == 2 and "--at" in wrong.stderr, wrong.stderr
    assert cli(database_url, "received", "RMA-000000").returncode == 2

    # a plain date: that day, after the registration (today: now), not its midnight before it
    done = cli(database_url, "received", rma, "--at", registered.date().isoformat())
    assert done.returncode == 0 and f"{rma}: parcel received" in done.stdout, done.stderr
    paid = cli(database_url, "refunded", rma, "--at", registered.date().isoformat())
    assert paid.returncode == 0 and f"{rma}: refund paid" in paid.stdout, paid.stderr

    session.expire_all()
    refund = policies.refund_of(session.get(Order, order.id))
    assert refund.received_at.date() == registered.date() and refund.received_at >= registered
    assert refund.paid and refund.paid_at >= refund.received_at
    returned = session.execute(select(ReturnRequest).where(ReturnRequest.rma == rma)).scalar_one()
    assert returned.received_by == returned.refunded_by == "command line"
