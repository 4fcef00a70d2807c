from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from conversations.models import ChatCustomer
from company.models import Customer, Order, OrderStatus, Plan, ShippingRate
from bot.schema import alembic_config
from bot.cli.seed import main
from company.seed import DEMO_ORDERS, is_empty


def test_demo_orders_match_what_the_readme_promises(session):
    for demo in DEMO_ORDERS:
        order = session.execute(select(Order).where(Order.number == demo.number)).scalar_one()
        assert order.status == demo.status
        assert order.customer.email == demo.customer_email
        assert order.ship_postcode == demo.postcode


def test_cancelled_orders_were_refunded_when_they_were_cancelled(session):
    """As company.orders.cancel_order does: the invoice refunded, on the cancellation's day."""
    cancelled = session.execute(select(Order).where(Order.status == OrderStatus.CANCELLED)).scalars().all()
    assert cancelled
    for order in cancelled:
        assert (order.invoice.status, order.invoice.refunded_at) == ("refunded", order.cancelled_at)
    others = session.execute(select(Order).where(Order.status != OrderStatus.CANCELLED)).scalars().all()
    assert {(o.invoice.status, o.invoice.refunded_at) for o in others} == {("paid", None)}


def test_parcels_are_expected_on_working_days(session):
    """Tracking said "should arrive by Sunday 6 December" where the help centre says
    deliveries come on working days."""
    from company.models import Shipment
    from company.policies import bank_holidays

    expected = session.scalars(select(Shipment.estimated_delivery)).all()
    assert expected and all(day.weekday() < 5 and day not in bank_holidays(day.year) for day in expected)


def test_seed_fills_every_table(session):
    assert not is_empty(session)
    assert session.execute(select(func.count(Order.id))).scalar_one() >= 100
    assert session.execute(select(func.count(Customer.id)).where(Customer.is_vip)).scalar_one() >= 1
    assert session.execute(select(func.count(Plan.id))).scalar_one() == 3
    assert session.execute(select(func.count(ShippingRate.id))).scalar_one() >= 5


def test_reset_recreates_the_company_data_and_leaves_the_rest(database_url, session, now):
    session.get(Order, 1).status = OrderStatus.CANCELLED
    session.add(Customer(name="Extra", email="extra@example.com", address_line="1 Road",
                         city="York", postcode="YO1 1AA", created_at=now))
    session.add(ChatCustomer(display_name="someone on the web chat", created_at=now))
    session.commit()

    assert main(["--reset"]) == 0

    session.expire_all()
    test_demo_orders_match_what_the_readme_promises(session)
    assert session.execute(select(Customer).where(Customer.email == "extra@example.com")).first() is None
    assert session.execute(select(func.count(Customer.id))).scalar_one() == 39
    # another package's rows and the schema's version are not the seed's to touch
    assert session.execute(select(ChatCustomer.display_name)).scalars().all() == [
        "someone on the web chat"]
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    assert session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head


def test_reset_changes_nothing_while_a_conversation_refers_to_a_customer(session, now, capsys):
    alice = session.execute(select(Customer).where(Customer.email == DEMO_ORDERS[0].customer_email)).scalar_one()
    session.add(ChatCustomer(customer_id=alice.id, created_at=now))
    session.commit()
    customers = session.execute(select(func.count(Customer.id))).scalar_one()

    assert main(["--reset"]) == 1

    assert "not reset" in capsys.readouterr().err
    session.expire_all()
    assert session.execute(select(func.count(Customer.id))).scalar_one() == customers
    assert session.execute(select(func.count(Order.id))).scalar_one() > 100
