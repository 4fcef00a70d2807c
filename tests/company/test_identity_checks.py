"""Failed identity checks add up in the database, across conversations and channels, and
lock self-service on an order, a customer or a client address (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import sessionmaker

from company.identity_checks import (ACCOUNT, ADDRESS_SCOPE, CUSTOMER_SCOPE, ORDER, ORDER_SCOPE,
                                     REFUSED, Attempt, IdentityChecks, IdentityLimits)
from company.models import Customer
from tests.databases import Clock

LIMITS = IdentityLimits(failures=5, window=timedelta(hours=24), address_failures=10,
                        address_window=timedelta(hours=1))


@pytest.fixture
def checks(sessions: sessionmaker, clock: Clock) -> IdentityChecks:
    return IdentityChecks(sessions, LIMITS, clock)


@pytest.fixture
def customer_id(sessions: sessionmaker, clock: Clock) -> int:
    with sessions.begin() as session:
        customer = Customer(name="Ann Owner", email="ann@example.com", address_line="1 Road",
                            city="Leeds", postcode="LS1 1AA", created_at=clock.now)
        session.add(customer)
        session.flush()
        return customer.id


def conversation(n: int, channel: str = "web") -> Attempt:
    """A new conversation each time, from a new address each time."""
    address = f"203.0.113.{n}" if channel == "web" else f"telegram:{9000 + n}"
    return Attempt(conversation_id=f"c{n}", channel=channel, client_address=address)


def test_guesses_add_up_across_conversations_and_channels(checks: IdentityChecks, clock: Clock,
                                                          customer_id: int) -> None:
    for n in range(4):
        assert checks.lock(order_number="HG-100003", customer_id=customer_id) is None
        checks.record(conversation(n, "web" if n % 2 else "telegram"), ORDER, "HG-100003",
                      customer_id)
        clock.now += timedelta(minutes=10)
    checks.record(conversation(5), ORDER, "HG-100003", customer_id)
    lock = checks.lock(order_number="HG-100003", customer_id=customer_id)
    assert lock is not None and lock.scope == ORDER_SCOPE and lock.failures == 5
    # a fresh conversation from a fresh address is refused as well
    assert checks.lock(order_number="HG-100003", customer_id=customer_id,
                       client_address="198.51.100.1") is not None
    assert checks.conversations_tried(order_number="HG-100003") == 5


def test_guesses_at_different_orders_of_one_customer_lock_the_customer(
        checks: IdentityChecks, customer_id: int) -> None:
    for n in range(5):
        checks.record(conversation(n), ORDER, f"HG-10000{n % 2 + 3}", customer_id)
    assert checks.lock(order_number="HG-100003") is None  # three on this order alone
    lock = checks.lock(order_number="HG-100004", customer_id=customer_id)
    assert lock is not None and lock.scope == CUSTOMER_SCOPE
    # the account (contact details) is the same customer
    assert checks.lock(customer_id=customer_id) is not None


def test_account_checks_count_towards_the_customer(checks: IdentityChecks, customer_id: int) -> None:
    for n in range(5):
        checks.record(conversation(n), ACCOUNT, "ann@example.com", customer_id)
    assert checks.lock(order_number="HG-100099", customer_id=customer_id).scope == CUSTOMER_SCOPE


def test_order_numbers_that_do_not_exist_lock_like_any_other(checks: IdentityChecks) -> None:
    for n in range(5):
        checks.record(conversation(n), ORDER, "HG-999999", None)
    assert checks.lock(order_number="HG-999999").scope == ORDER_SCOPE


def test_one_address_guessing_at_many_targets_is_locked(checks: IdentityChecks, clock: Clock) -> None:
    address = Attempt(conversation_id="x", channel="web", client_address="192.0.2.9")
    for n in range(10):
        checks.record(address, ORDER, f"HG-2000{n:02d}", None)
    lock = checks.lock(order_number="HG-300000", client_address="192.0.2.9")
    assert lock is not None and lock.scope == ADDRESS_SCOPE
    assert checks.lock(order_number="HG-300000", client_address="192.0.2.10") is None
    clock.now += timedelta(hours=1, seconds=1)
    assert checks.lock(order_number="HG-300000", client_address="192.0.2.9") is None


def test_a_lock_ends_when_its_failures_leave_the_window(checks: IdentityChecks, clock: Clock) -> None:
    for n in range(5):
        checks.record(conversation(n), ORDER, "HG-100003", None)
        clock.now += timedelta(hours=1)
    lock = checks.lock(order_number="HG-100003")
    assert lock is not None
    # refused attempts while locked are kept for staff but do not make the lock longer
    checks.record(conversation(9), ORDER, "HG-100003", None, REFUSED)
    assert checks.lock(order_number="HG-100003").until == lock.until
    clock.now = lock.until + timedelta(seconds=1)
    assert checks.lock(order_number="HG-100003") is None
    outcomes = [row["outcome"] for row in checks.recent(order_number="HG-100003")]
    assert outcomes.count("refused") == 1 and outcomes.count("failed") == 5
