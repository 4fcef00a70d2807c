"""The database every package shares: the declarative base, engines (SQLite by default, any
SQLAlchemy URL otherwise) and one session factory per URL.

Connecting never creates or changes tables: the schema is Alembic's (`bot/schema.py`), and a
database is brought to it by `upgrade()` before anything opens sessions on it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

# every table of every package is declared on this base
Base = declarative_base()


def create_database_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their folder, WAL journaling, foreign keys and a
    pool of kept connections.

    SQLAlchemy 1.4 opens and closes a new connection for every session on a SQLite file
    (NullPool); closing the last connection to a WAL database checkpoints and removes the
    log each time, which was the largest part of the gateway's CPU per turn. Kept
    connections avoid both; the WAL file is checkpointed as it grows, as usual."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    pooled = {}
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        pooled = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 15}
    engine = create_engine(
        url, future=True, connect_args={"check_same_thread": False, "timeout": 15}, **pooled
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    return engine


@lru_cache(maxsize=4)
def session_factory(url: str) -> sessionmaker:
    """One session factory (and connection pool) per database URL for this process."""
    engine = create_database_engine(url)
    return sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
