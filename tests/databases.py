"""Real databases for store tests: an SQLite file and a PostgreSQL server from Debian's
package (started once per test session), each test with its own fresh database; and a
clock the test moves by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Iterator, List

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.schema import upgrade
from ground.database import create_database_engine
from tests.postgres import create_database, postgres_server


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    yield from postgres_server()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database: an SQLite file, or a fresh schema-less PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gateway.db'}"
        return
    yield create_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sessions(database: str) -> Iterator[sessionmaker]:
    """Sessions on a migrated `database` (SQLite and PostgreSQL)."""
    upgrade(database)
    engine = create_database_engine(database)
    yield sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
    engine.dispose()


def rows(database_url: str, sql: str, **params: object) -> List[dict]:
    """Runs one statement in its own transaction on the gateways' database; the rows it
    returns, as dicts."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return [dict(row._mapping) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def insert_customer(database_url: str, created_at: object) -> None:
    """Customer 1, Alice Morgan, in the columns every revision of `customers` has: the row a
    migration test's orders belong to."""
    rows(database_url, "INSERT INTO customers (id, name, email, address_line, city, postcode,"
                       " country_code, tier, is_vip, yearly_spend_pence, created_at) VALUES (1,"
                       " 'Alice Morgan', 'alice@example.com', '14 Mill Lane', 'Leeds', 'LS6 2QT',"
                       " 'GB', 'standard', false, 0, :created)", created=created_at)
