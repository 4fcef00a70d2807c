from sqlalchemy import func, select

from company.models import Customer, Order, Plan, ShippingRate
from company.seed import DEMO_ORDERS, is_empty


def test_demo_orders_match_what_the_readme_promises(session):
    for demo in DEMO_ORDERS:
        order = session.execute(select(Order).where(Order.number == demo.number)).scalar_one()
        assert order.status == demo.status
        assert order.customer.email == demo.customer_email
        assert order.ship_postcode == demo.postcode


def test_seed_fills_every_table(session):
    assert not is_empty(session)
    assert session.execute(select(func.count(Order.id))).scalar_one() >= 100
    assert session.execute(select(func.count(Customer.id)).where(Customer.is_vip)).scalar_one() >= 1
    assert session.execute(select(func.count(Plan.id))).scalar_one() == 3
    assert session.execute(select(func.count(ShippingRate.id))).scalar_one() >= 5
