"""The demo company's data from the command line: `python -m bot.cli.seed [--reset]` (`make
seed`). The database is brought to the current schema by the migrations first."""

from __future__ import annotations

import argparse
import random
import sys
from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.schema import upgrade
from company.models import Customer, Order
from company.seed import clear, is_empty, seed
from ground.clock import utcnow
from ground.database import session_factory
from ground.settings import Settings


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reset", action="store_true", help="delete all company data first")
    args = parser.parse_args(argv)
    url = Settings.from_env().database_url
    upgrade(url)
    with session_factory(url)() as session:
        if args.reset:
            try:
                clear(session)
            except IntegrityError:
                session.rollback()
                print("company data not reset: conversations, tickets or feedback refer to its "
                      "customers; seed an empty database instead (a new DATABASE_URL, or "
                      "delete var/caredesk.db)", file=sys.stderr)
                return 1
        if not is_empty(session):
            print("company data already present; use --reset to recreate it")
            return 0
        seed(session, utcnow(), random.Random(20261123))
        orders = session.execute(select(func.count(Order.id))).scalar_one()
        customers = session.execute(select(func.count(Customer.id))).scalar_one()
    print(f"seeded {customers} customers and {orders} orders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
