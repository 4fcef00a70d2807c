"""The demo company's business data: customers, catalogue, orders and what follows them.

Harbor Goods is a fictional UK online retailer that also sells "Harbor Club" subscription
plans. Money is stored in pence (integers) so that SQLite and PostgreSQL agree exactly.
Written in SQLAlchemy's 2.0 style (typed attributes, `select()` queries) on the 1.4 release
that Rasa 3.6 pins.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import List, Optional

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, relationship

from ground.database import Base


class OrderStatus:
    """The life of an order; an order moves forward only."""

    PLACED = "placed"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(120), nullable=False)
    email: Mapped[str] = Column(String(254), nullable=False, unique=True)
    phone: Mapped[Optional[str]] = Column(String(32))
    address_line: Mapped[str] = Column(String(200), nullable=False)
    city: Mapped[str] = Column(String(80), nullable=False)
    postcode: Mapped[str] = Column(String(16), nullable=False)
    country_code: Mapped[str] = Column(String(2), nullable=False, default="GB")
    tier: Mapped[str] = Column(String(16), nullable=False, default="standard")
    is_vip: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    yearly_spend_pence: Mapped[int] = Column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)

    orders: Mapped[List["Order"]] = relationship("Order", back_populates="customer")
    subscriptions: Mapped[List["Subscription"]] = relationship(
        "Subscription", back_populates="customer"
    )


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = Column(Integer, primary_key=True)
    sku: Mapped[str] = Column(String(32), nullable=False, unique=True)
    name: Mapped[str] = Column(String(120), nullable=False, unique=True)
    category: Mapped[str] = Column(String(40), nullable=False)
    price_pence: Mapped[int] = Column(Integer, nullable=False)
    warranty_months: Mapped[int] = Column(Integer, nullable=False)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = Column(Integer, primary_key=True)
    number: Mapped[str] = Column(String(16), nullable=False, unique=True)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False, index=True)
    status: Mapped[str] = Column(String(16), nullable=False, default=OrderStatus.PLACED)
    delivery_method: Mapped[str] = Column(String(16), nullable=False, default="standard")
    placed_at: Mapped[datetime] = Column(DateTime, nullable=False)
    updated_at: Mapped[datetime] = Column(DateTime, nullable=False)
    cancelled_at: Mapped[Optional[datetime]] = Column(DateTime)
    ship_address_line: Mapped[str] = Column(String(200), nullable=False)
    ship_city: Mapped[str] = Column(String(80), nullable=False)
    ship_postcode: Mapped[str] = Column(String(16), nullable=False)
    ship_country_code: Mapped[str] = Column(String(2), nullable=False, default="GB")
    total_pence: Mapped[int] = Column(Integer, nullable=False)

    customer: Mapped[Customer] = relationship("Customer", back_populates="orders")
    items: Mapped[List["OrderItem"]] = relationship(
        "OrderItem", back_populates="order", cascade="all, delete-orphan"
    )
    shipment: Mapped[Optional["Shipment"]] = relationship(
        "Shipment", back_populates="order", uselist=False, cascade="all, delete-orphan"
    )
    invoice: Mapped[Optional["Invoice"]] = relationship(
        "Invoice", back_populates="order", uselist=False, cascade="all, delete-orphan"
    )
    returns: Mapped[List["ReturnRequest"]] = relationship(
        "ReturnRequest", back_populates="order", cascade="all, delete-orphan"
    )


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = Column(Integer, primary_key=True)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), nullable=False, index=True)
    product_id: Mapped[int] = Column(ForeignKey("products.id"), nullable=False)
    quantity: Mapped[int] = Column(Integer, nullable=False, default=1)
    unit_price_pence: Mapped[int] = Column(Integer, nullable=False)

    order: Mapped[Order] = relationship("Order", back_populates="items")
    product: Mapped[Product] = relationship("Product")


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = Column(Integer, primary_key=True)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), nullable=False, unique=True)
    carrier: Mapped[str] = Column(String(40), nullable=False)
    tracking_number: Mapped[str] = Column(String(40), nullable=False)
    status: Mapped[str] = Column(String(24), nullable=False)
    shipped_at: Mapped[datetime] = Column(DateTime, nullable=False)
    estimated_delivery: Mapped[date] = Column(Date, nullable=False)
    delivered_at: Mapped[Optional[datetime]] = Column(DateTime)

    order: Mapped[Order] = relationship("Order", back_populates="shipment")


class InvoiceStatus:
    """The life of an invoice: paid by the customer, then, if the order is cancelled,
    refunded (paid back to the customer's payment method)."""

    PAID = "paid"
    REFUNDED = "refunded"


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = Column(Integer, primary_key=True)
    number: Mapped[str] = Column(String(20), nullable=False, unique=True)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), nullable=False, unique=True)
    issued_at: Mapped[datetime] = Column(DateTime, nullable=False)
    amount_pence: Mapped[int] = Column(Integer, nullable=False)
    status: Mapped[str] = Column(String(16), nullable=False, default=InvoiceStatus.PAID)
    # when the company paid the amount back (status REFUNDED); empty while it is not, and
    # for a refund recorded before the date was kept
    refunded_at: Mapped[Optional[datetime]] = Column(DateTime)

    order: Mapped[Order] = relationship("Order", back_populates="invoice")


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = Column(Integer, primary_key=True)
    code: Mapped[str] = Column(String(24), nullable=False, unique=True)
    name: Mapped[str] = Column(String(60), nullable=False)
    monthly_price_pence: Mapped[int] = Column(Integer, nullable=False)
    trial_days: Mapped[int] = Column(Integer, nullable=False, default=7)
    perks: Mapped[str] = Column(Text, nullable=False)
    position: Mapped[int] = Column(Integer, nullable=False, default=0)


class Subscription(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False, index=True)
    plan_id: Mapped[int] = Column(ForeignKey("plans.id"), nullable=False)
    status: Mapped[str] = Column(String(16), nullable=False)
    started_at: Mapped[datetime] = Column(DateTime, nullable=False)
    trial_ends_at: Mapped[Optional[datetime]] = Column(DateTime)
    renews_at: Mapped[Optional[datetime]] = Column(DateTime)

    customer: Mapped[Customer] = relationship("Customer", back_populates="subscriptions")
    plan: Mapped[Plan] = relationship("Plan")


class ShippingRate(Base):
    __tablename__ = "shipping_rates"

    id: Mapped[int] = Column(Integer, primary_key=True)
    country_code: Mapped[str] = Column(String(2), nullable=False, unique=True)
    country_name: Mapped[str] = Column(String(60), nullable=False)
    standard_pence: Mapped[int] = Column(Integer, nullable=False)
    free_over_pence: Mapped[Optional[int]] = Column(Integer)
    min_days: Mapped[int] = Column(Integer, nullable=False)
    max_days: Mapped[int] = Column(Integer, nullable=False)
    express_pence: Mapped[Optional[int]] = Column(Integer)
    express_days: Mapped[Optional[int]] = Column(Integer)


class ReturnStatus:
    """The life of a return: registered (label sent), then refunded. The parcel reaching
    us in between is kept as the return's `received_at`, not as a status of its own: the
    refund's working days count from that day, so the day is what matters."""

    REQUESTED = "requested"
    REFUNDED = "refunded"


RECORDED_BY_LENGTH = 64


class ReturnRequest(Base):
    __tablename__ = "returns"

    id: Mapped[int] = Column(Integer, primary_key=True)
    rma: Mapped[str] = Column(String(16), nullable=False, unique=True)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), nullable=False, index=True)
    reason: Mapped[str] = Column(String(500), nullable=False)
    status: Mapped[str] = Column(String(16), nullable=False, default=ReturnStatus.REQUESTED)
    refund_pence: Mapped[int] = Column(Integer, nullable=False)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
    # when the returned parcel reached us (the refund is due REFUND_MAX_WORKING_DAYS working
    # days later); empty until it does, and for a return recorded before the date was kept
    received_at: Mapped[Optional[datetime]] = Column(DateTime)
    # when the refund was paid (status REFUNDED); empty while it is not, and for a refund
    # recorded before the date was kept
    refunded_at: Mapped[Optional[datetime]] = Column(DateTime)
    # who recorded the arrival and the refund: a staff member's user name, or the command
    # line; empty before it was kept
    received_by: Mapped[Optional[str]] = Column(String(RECORDED_BY_LENGTH))
    refunded_by: Mapped[Optional[str]] = Column(String(RECORDED_BY_LENGTH))
    # the mail that carried the free returns label; empty for a return recorded without one
    label_email_id: Mapped[Optional[int]] = Column(ForeignKey("email_outbox.id"))

    order: Mapped[Order] = relationship("Order", back_populates="returns")
    label_email: Mapped[Optional["OutboundEmail"]] = relationship("OutboundEmail")


class AddressChange(Base):
    """Audit trail of delivery-address changes made through the assistant."""

    __tablename__ = "address_changes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), nullable=False, index=True)
    old_address: Mapped[str] = Column(String(300), nullable=False)
    new_address: Mapped[str] = Column(String(300), nullable=False)
    changed_at: Mapped[datetime] = Column(DateTime, nullable=False)


class OutboundEmail(Base):
    """Mail the company owes a customer (invoice copies, reset links).

    A mail relay delivers rows with `sent_at` empty; the demo has none configured, so rows
    wait here, which is also what tests inspect.
    """

    __tablename__ = "email_outbox"

    id: Mapped[int] = Column(Integer, primary_key=True)
    to_address: Mapped[str] = Column(String(254), nullable=False)
    template: Mapped[str] = Column(String(40), nullable=False)
    subject: Mapped[str] = Column(String(200), nullable=False)
    body: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
    sent_at: Mapped[Optional[datetime]] = Column(DateTime)


class PasswordReset(Base):
    __tablename__ = "password_resets"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False, index=True)
    token_hash: Mapped[str] = Column(String(64), nullable=False)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = Column(DateTime, nullable=False)
    used_at: Mapped[Optional[datetime]] = Column(DateTime)


class IdentityCheck(Base):
    """A failed (or refused) proof of identity for self-service on an order or an account.

    Counted across conversations and channels by company.identity_checks, which derives
    the locks from these rows; they are also the record staff read of who tried what.
    """

    __tablename__ = "identity_checks"
    __table_args__ = (Index("ix_identity_checks_target", "kind", "target", "created_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    created_at: Mapped[datetime] = Column(DateTime, nullable=False, index=True)
    # "order" (an order number, existing or not) or "account" (an account email)
    kind: Mapped[str] = Column(String(12), nullable=False)
    target: Mapped[str] = Column(String(254), nullable=False)
    # the owner of the order or account, when there is one
    customer_id: Mapped[Optional[int]] = Column(ForeignKey("customers.id"), index=True)
    # the client's network address (web) or chat ("telegram:<chat id>")
    client_address: Mapped[Optional[str]] = Column(String(64), index=True)
    conversation_id: Mapped[Optional[str]] = Column(String(64))
    channel: Mapped[Optional[str]] = Column(String(16))
    # "failed": the details did not match; "refused": not checked, self-service was locked
    outcome: Mapped[str] = Column(String(12), nullable=False)


class ErasureStatus:
    """Where an erasure request stands; the assistant only ever records PENDING."""

    PENDING = "pending"  # recorded; a person confirms and carries it out by `due_by`
    COMPLETED = "completed"  # the account is closed and the personal data erased
    REFUSED = "refused"  # not carried out (e.g. withdrawn, or identity not confirmed)

    ALL = (PENDING, COMPLETED, REFUSED)


class ErasureRequest(Base):
    """A customer's request to close their account and erase their personal data (UK GDPR
    art. 17), recorded by the assistant once the customer confirmed it and proved the
    account is theirs. A person confirms and completes it within one month (art. 12(3)):
    `due_by`. The row is the company's record that the request was made and answered, so
    it outlives the account (`customer_id` becomes empty when the customer row goes)."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[Optional[int]] = Column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    # the account's email when the request was made
    email: Mapped[str] = Column(String(254), nullable=False)
    # the gateway conversation and channel it was made in (no foreign key: a company table)
    conversation_id: Mapped[Optional[str]] = Column(String(64), index=True)
    channel: Mapped[Optional[str]] = Column(String(16))
    requested_at: Mapped[datetime] = Column(DateTime, nullable=False)
    due_by: Mapped[datetime] = Column(DateTime, nullable=False)
    status: Mapped[str] = Column(String(16), nullable=False, default=ErasureStatus.PENDING)
    # the handoff ticket a person works it from (tickets are the handoff's table)
    ticket_id: Mapped[Optional[int]] = Column(Integer)
    completed_at: Mapped[Optional[datetime]] = Column(DateTime)


class NewsletterPreference(Base):
    """Whether a customer wants the newsletter (marketing mail), and where they said so.

    One row per customer, written only when the customer says so; no row means no
    newsletter (marketing mail needs the customer's consent). The outbox reads it before
    queueing any marketing mail (company.newsletter, company.outbox).
    """

    __tablename__ = "newsletter_preferences"

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[int] = Column(
        ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, unique=True)
    subscribed: Mapped[bool] = Column(Boolean, nullable=False)
    changed_at: Mapped[datetime] = Column(DateTime, nullable=False)
    # the record of consent (or its withdrawal): the conversation and channel it was given in
    conversation_id: Mapped[Optional[str]] = Column(String(64))
    channel: Mapped[Optional[str]] = Column(String(16))
