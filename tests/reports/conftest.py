"""The hand-computed history (tests/reports/history.py), written once into the running
product's databases, 52 weeks earlier (same weekdays), so that every SLA due time has
passed by the real clock and nothing the other tests create falls into its range."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ground.database import create_database_engine
from reports.period import Period
from tests.product import RunningProcess
from tests.reports.history import PERIOD, write_product_history, write_tracker

SHIFT = -timedelta(weeks=52)
PRODUCT_PERIOD = Period(PERIOD.first + SHIFT, PERIOD.last + SHIFT)


@pytest.fixture(scope="session")
def product_history(product: RunningProcess) -> Period:
    engine = create_database_engine(product.env["DATABASE_URL"])
    write_product_history(sessionmaker(bind=engine, class_=Session, future=True), SHIFT)
    engine.dispose()
    write_tracker(Path(product.env["TRACKER_DB_PATH"]), shift=SHIFT)
    return PRODUCT_PERIOD
