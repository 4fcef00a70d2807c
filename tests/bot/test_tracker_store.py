"""The Rasa server's tracker store (bot.runtime.tracker_store): the same rows as Rasa's
SQLTrackerStore, each turn's new events appended once without counting the stored ones,
the SQLite file in WAL mode, readable by the service report's read-only connection."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (ActionExecuted, BotUttered, Event, SessionStarted,
                                     SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event, text

from bot.runtime.tracker_store import LeanSQLTrackerStore
from reports.tracker import tracker_engine
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT_ROOT / "domain"))


def turn(number: int) -> List[Event]:
    """One turn's events, with timestamps of their own (they are stored)."""
    at = 1_000_000.0 + 10 * number
    return [UserUttered(f"message {number}", {"name": "greet", "confidence": 0.9},
                        timestamp=at),
            ActionExecuted("utter_greet", timestamp=at + 1),
            BotUttered(f"answer {number}", timestamp=at + 2),
            SlotSet("rating", str(number), timestamp=at + 3),
            ActionExecuted("action_listen", timestamp=at + 4)]


def rows(path: Path) -> List[tuple]:
    engine = tracker_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        found = connection.execute(text(
            "SELECT sender_id, type_name, intent_name, action_name, data FROM events "
            "ORDER BY id")).all()
    engine.dispose()
    return [tuple(row) for row in found]


async def converse(store, sender: str, turns: int) -> None:
    for number in range(turns):
        tracker = await store.retrieve(sender)
        if tracker is None:
            tracker = DialogueStateTracker(sender, store.domain.slots)
            tracker.update(ActionExecuted("action_session_start", timestamp=999_990.0))
            tracker.update(SessionStarted(timestamp=999_991.0))
        for turn_event in turn(number):
            tracker.update(turn_event)
        await store.save(tracker)


def test_the_same_rows_as_rasas_sql_tracker_store(tmp_path: Path, domain,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ours = LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasas = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    counted: dict = {}
    for store in (ours, rasas):
        statements = counted.setdefault(type(store).__name__, [])
        event.listen(store.engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *rest, found=statements:
                     found.append(statement.lower()))
    for store in (ours, rasas):
        asyncio.run(converse(store, "alice", 4))
        asyncio.run(converse(store, "bob", 2))
    assert rows(tmp_path / "ours.db") == rows(tmp_path / "rasa.db")
    assert len(rows(tmp_path / "ours.db")) == 2 + 4 * 5 + 2 + 2 * 5
    # 6 turns, each read first: Rasa also counts the stored events before each save; ours
    # only before the first save of a conversation it did not read (a new one)
    counts = {name: sum("count(" in statement for statement in statements)
              for name, statements in counted.items()}
    assert counts == {"SQLTrackerStore": 6, "LeanSQLTrackerStore": 2}
    # one statement per read, one per write (all of a turn's events in one insert)
    ours_statements = [s for s in counted["LeanSQLTrackerStore"] if not s.startswith("pragma")]
    assert len(ours_statements) == 6 + 2 + 6

    tracker = asyncio.run(ours.retrieve("alice"))
    assert tracker.latest_message.text == "message 3"
    assert tracker.get_slot("rating") == "3"
    ours.engine.dispose()
    rasas.engine.dispose()


def test_a_tracker_it_did_not_read_is_counted_as_before(tmp_path: Path, domain) -> None:
    store = LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    asyncio.run(converse(store, "carol", 2))
    # another copy of the conversation (e.g. rebuilt from its events) is saved: only the
    # events the table does not have are appended
    events = list(asyncio.run(store.retrieve("carol")).events)
    copy = DialogueStateTracker.from_events("carol", events, domain.slots)
    for turn_event in turn(9):
        copy.update(turn_event)
    asyncio.run(store.save(copy))
    assert len(rows(tmp_path / "tracker.db")) == 2 + 3 * 5
    store.engine.dispose()


def test_the_sqlite_file_is_in_wal_mode_and_readable_while_written(tmp_path: Path,
                                                                   domain) -> None:
    path = tmp_path / "tracker.db"
    store = LeanSQLTrackerStore(domain, dialect="sqlite", db=str(path))
    asyncio.run(converse(store, "dan", 1))
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    assert len(rows(path)) == 7  # the report's read-only connection, the writer open
    store.engine.dispose()
    assert len(rows(path)) == 7  # and once it is closed


def test_endpoints_yml_gives_the_rasa_server_this_store(tmp_path: Path, domain,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa falls back to its in-memory store, with a warning only, when the class of
    endpoints.yml cannot be imported: conversations would be lost at each restart."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import read_endpoints_from_path

    monkeypatch.setenv("TRACKER_DB_PATH", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_SECRET", "secret")
    endpoints = read_endpoints_from_path(str(PROJECT_ROOT / "endpoints.yml"))
    store = TrackerStore.create(endpoints.tracker_store, domain=domain)
    assert isinstance(store, LeanSQLTrackerStore)
    assert Path(store.engine.url.database) == tmp_path / "tracker.db"
    store.engine.dispose()
