"""Fills the company database with realistic demo data (`python -m bot.cli.seed [--reset]`).

The seed writes rows only, into a database the migrations made; `clear` (`--reset`)
deletes the company's rows, never its tables.

The first five orders are fixed so that the README can point at them (see "Try it"); the
rest are generated from a fixed random seed, with dates relative to the moment of seeding so
that delivery estimates and return windows always make sense.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from company.policies import add_working_days
from company.models import (
    Base,
    Customer,
    Invoice,
    InvoiceStatus,
    Order,
    OrderItem,
    OrderStatus,
    Plan,
    Product,
    Shipment,
    ShippingRate,
    Subscription,
)

PRODUCTS = [
    # sku, name, category, price (pence), warranty (months)
    ("HG-KET-01", "Aurora Kettle", "kitchen", 4999, 24),
    ("HG-HPH-02", "Nimbus Headphones", "audio", 12900, 24),
    ("HG-GRD-03", "Terra Coffee Grinder", "kitchen", 8900, 24),
    ("HG-LMP-04", "Lumen Desk Lamp", "home", 3900, 12),
    ("HG-SPK-05", "Orbit Smart Speaker", "audio", 9900, 24),
    ("HG-VAC-06", "Drift Robot Vacuum", "home", 29900, 36),
    ("HG-BTS-07", "Cove Bluetooth Speaker", "audio", 5900, 24),
    ("HG-BAG-08", "Summit Backpack", "travel", 7500, 60),
    ("HG-AIR-09", "Breeze Air Purifier", "home", 17900, 36),
    ("HG-FRM-10", "Pixel Photo Frame", "home", 6900, 12),
    ("HG-CHR-11", "Atlas Office Chair", "office", 24900, 60),
    ("HG-TST-12", "Ember Toaster", "kitchen", 3900, 24),
]

PLANS = [
    # code, name, monthly price (pence), perks
    ("essential", "Harbor Club Essential", 499, "free standard delivery on every order"),
    ("plus", "Harbor Club Plus", 999,
     "free next-day delivery, an extra year of warranty and priority support"),
    ("premium", "Harbor Club Premium", 1499,
     "everything in Plus, free returns collection from your door and early access to sales"),
]

SHIPPING_RATES = [
    # code, name, standard (pence), free over (pence), min days, max days, express, express days
    ("GB", "United Kingdom", 395, 5000, 2, 3, 695, 1),
    ("IE", "Ireland", 795, 10000, 3, 5, 1495, 2),
    ("FR", "France", 995, 15000, 4, 6, 1995, 2),
    ("DE", "Germany", 995, 15000, 4, 6, 1995, 2),
    ("NL", "Netherlands", 995, 15000, 3, 5, 1995, 2),
    ("BE", "Belgium", 995, 15000, 3, 5, 1995, 2),
    ("ES", "Spain", 1195, 15000, 5, 7, None, None),
    ("IT", "Italy", 1195, 15000, 5, 7, None, None),
    ("US", "United States", 1995, None, 7, 10, None, None),
]

FIRST_NAMES = [
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Chloe", "Ella", "Freya",
    "Noah", "Oliver", "George", "Harry", "Leo", "Jack", "Oscar", "Arthur", "Samir", "Priya",
    "Kwame", "Aisha", "Tomasz", "Mei", "Ruairi", "Niamh", "Dafydd", "Eilidh", "Ravi", "Zara",
]
LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Khan",
    "Patel", "Murphy", "Walsh", "Campbell", "Nowak", "Chen", "Okafor", "Hughes", "Price",
]
ADDRESSES = [
    # street, city, postcode
    ("14 Mill Lane", "Leeds", "LS6 2QT"), ("22 Baker Street", "London", "NW1 6XE"),
    ("7 Castle Wynd", "Edinburgh", "EH1 2NG"), ("3 Park Row", "Bristol", "BS8 1TH"),
    ("41 Queen Street", "Cardiff", "CF10 3AT"), ("9 Deansgate", "Manchester", "M3 4LQ"),
    ("18 Bold Street", "Liverpool", "L1 4DN"), ("5 High Street", "Oxford", "OX1 4AH"),
    ("27 King's Parade", "Cambridge", "CB2 1ST"), ("62 Grey Street", "Newcastle", "NE1 6AE"),
    ("11 Victoria Road", "Belfast", "BT3 9DT"), ("8 Broad Street", "Birmingham", "B1 2HF"),
]
CARRIERS = ["Royal Mail", "DPD", "Evri", "DHL"]


@dataclass(frozen=True)
class DemoOrder:
    """A fixed order the README points at, with the verification a tester needs."""

    number: str
    status: str
    customer_email: str
    postcode: str
    story: str


DEMO_ORDERS = [
    DemoOrder("HG-100001", OrderStatus.PROCESSING, "alice.morgan@example.com", "LS6 2QT",
              "being packed: address change and cancellation allowed"),
    DemoOrder("HG-100002", OrderStatus.SHIPPED, "alice.morgan@example.com", "LS6 2QT",
              "with the carrier: too late to change or cancel"),
    DemoOrder("HG-100003", OrderStatus.DELIVERED, "ben.okafor@example.com", "M3 4LQ",
              "delivered 10 days ago: can be returned"),
    DemoOrder("HG-100004", OrderStatus.DELIVERED, "ben.okafor@example.com", "M3 4LQ",
              "delivered 45 days ago: return window closed"),
    DemoOrder("HG-100005", OrderStatus.PLACED, "victoria.hughes@example.com", "NW1 6XE",
              "just placed, by a VIP customer"),
]


def seed(session: Session, now: datetime, rng: random.Random) -> None:
    """Writes the whole demo data set into an empty database."""
    products = [
        Product(sku=sku, name=name, category=category, price_pence=price, warranty_months=months)
        for sku, name, category, price, months in PRODUCTS
    ]
    plans = [
        Plan(code=code, name=name, monthly_price_pence=price, trial_days=7, perks=perks,
             position=index)
        for index, (code, name, price, perks) in enumerate(PLANS)
    ]
    session.add_all(products + plans)
    session.add_all(
        ShippingRate(country_code=code, country_name=name, standard_pence=standard,
                     free_over_pence=free_over, min_days=low, max_days=high,
                     express_pence=express, express_days=express_days)
        for code, name, standard, free_over, low, high, express, express_days in SHIPPING_RATES
    )
    customers = _demo_customers(now) + _random_customers(now, rng, count=36)
    session.add_all(customers)
    session.flush()
    by_email = {customer.email: customer for customer in customers}

    ages = {"HG-100001": 1, "HG-100002": 3, "HG-100003": 14, "HG-100004": 50, "HG-100005": 0}
    delivered_days_ago = {"HG-100003": 10, "HG-100004": 45}
    for demo in DEMO_ORDERS:
        _add_order(session, demo.number, by_email[demo.customer_email], demo.status,
                   now - timedelta(days=ages[demo.number], hours=2), products, rng, now,
                   delivered_days_ago.get(demo.number))

    statuses = [OrderStatus.DELIVERED] * 6 + [OrderStatus.SHIPPED] * 2 + [
        OrderStatus.PROCESSING, OrderStatus.PLACED, OrderStatus.CANCELLED]
    for index in range(120):
        customer = rng.choice(customers)
        status = rng.choice(statuses)
        age = rng.randint(0, 2) if status in (OrderStatus.PLACED, OrderStatus.PROCESSING) else (
            rng.randint(2, 6) if status == OrderStatus.SHIPPED else rng.randint(5, 200))
        _add_order(session, f"HG-{100100 + index}", customer, status,
                   now - timedelta(days=age, hours=rng.randint(0, 23)), products, rng, now,
                   None)

    for customer in customers[::3]:
        plan = rng.choice(plans)
        started = now - timedelta(days=rng.randint(1, 400))
        trialing = now - started < timedelta(days=7)
        session.add(Subscription(
            customer=customer, plan=plan, status="trialing" if trialing else "active",
            started_at=started, trial_ends_at=started + timedelta(days=7),
            renews_at=started + timedelta(days=7 if trialing else 30 * (1 + (now - started).days // 30)),
        ))
    session.commit()


def _demo_customers(now: datetime) -> list[Customer]:
    return [
        Customer(name="Alice Morgan", email="alice.morgan@example.com", phone="+447700900101",
                 address_line="14 Mill Lane", city="Leeds", postcode="LS6 2QT", tier="silver",
                 is_vip=False, yearly_spend_pence=64000, created_at=now - timedelta(days=700)),
        Customer(name="Ben Okafor", email="ben.okafor@example.com", phone="+447700900102",
                 address_line="9 Deansgate", city="Manchester", postcode="M3 4LQ",
                 tier="standard", is_vip=False, yearly_spend_pence=21000,
                 created_at=now - timedelta(days=300)),
        Customer(name="Victoria Hughes", email="victoria.hughes@example.com",
                 phone="+447700900103", address_line="22 Baker Street", city="London",
                 postcode="NW1 6XE", tier="gold", is_vip=True, yearly_spend_pence=1240000,
                 created_at=now - timedelta(days=1500)),
    ]


def _random_customers(now: datetime, rng: random.Random, count: int) -> list[Customer]:
    customers = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        street, city, postcode = rng.choice(ADDRESSES)
        spend = rng.choice([rng.randint(2000, 60000)] * 8 + [rng.randint(300000, 2000000)])
        vip = spend > 250000
        customers.append(Customer(
            name=f"{first} {last}", email=f"{first}.{last}.{index}@example.org".lower(),
            phone=f"+4477009{index + 200:05d}", address_line=street, city=city,
            postcode=postcode, tier="gold" if vip else rng.choice(["standard", "silver"]),
            is_vip=vip, yearly_spend_pence=spend,
            created_at=now - timedelta(days=rng.randint(30, 2000)),
        ))
    return customers


def _add_order(session: Session, number: str, customer: Customer, status: str,
               placed_at: datetime, products: list[Product], rng: random.Random,
               now: datetime, delivered_days_ago: int | None) -> None:
    chosen = rng.sample(products, k=rng.choice([1, 1, 1, 2, 3]))
    items = [OrderItem(product=product, quantity=rng.choice([1, 1, 1, 2]),
                       unit_price_pence=product.price_pence) for product in chosen]
    total = sum(item.quantity * item.unit_price_pence for item in items)
    cancelled_at = placed_at + timedelta(hours=3) if status == OrderStatus.CANCELLED else None
    order = Order(
        number=number, customer=customer, status=status,
        delivery_method=rng.choice(["standard"] * 4 + ["next_day"]),
        placed_at=placed_at, updated_at=placed_at, cancelled_at=cancelled_at,
        ship_address_line=customer.address_line, ship_city=customer.city,
        ship_postcode=customer.postcode, ship_country_code="GB", total_pence=total, items=items,
    )
    session.add(order)
    if status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        shipped_at = placed_at + timedelta(days=1)
        if delivered_days_ago is not None:
            delivered_at = now - timedelta(days=delivered_days_ago)
            shipped_at = min(shipped_at, delivered_at - timedelta(days=2))
        elif status == OrderStatus.DELIVERED:
            delivered_at = shipped_at + timedelta(days=rng.randint(1, 3))
        else:
            delivered_at = None
        session.add(Shipment(
            order=order, carrier=rng.choice(CARRIERS),
            tracking_number=f"TRK{rng.randint(10**9, 10**10 - 1)}GB",
            status="delivered" if delivered_at else "in_transit", shipped_at=shipped_at,
            # standard delivery: three working days (the help centre's "working days"; a
            # calendar count had parcels "arrive by Sunday")
            estimated_delivery=add_working_days(shipped_at.date(), 3),
            delivered_at=delivered_at,
        ))
    # a cancelled order was refunded when it was cancelled, as company.orders.cancel_order does
    session.add(Invoice(number=f"INV-{number[3:]}", order=order, issued_at=placed_at,
                        amount_pence=total,
                        status=InvoiceStatus.REFUNDED if cancelled_at else InvoiceStatus.PAID,
                        refunded_at=cancelled_at))


def is_empty(session: Session) -> bool:
    return session.execute(select(func.count(Customer.id))).scalar_one() == 0


def clear(session: Session) -> None:
    """Deletes every row of the company's tables (`company.models`), rows that point at
    others first; the tables stay as the migrations made them. Raises IntegrityError while
    another package's records (a linked conversation, a ticket, feedback) still point at a
    customer."""
    company_tables = {mapper.local_table for mapper in Base.registry.mappers
                      if mapper.class_.__module__ == Customer.__module__}
    for table in reversed(Base.metadata.sorted_tables):
        if table in company_tables:
            session.execute(table.delete())
