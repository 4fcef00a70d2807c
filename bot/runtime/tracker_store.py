"""The Rasa server's tracker store (endpoints.yml `tracker_store.type`): Rasa's SQL tracker
store with less work per turn.

Rasa 3.6's SQLTrackerStore reads a conversation (its latest session) at the start of each
turn and appends the turn's new events at the end. On SQLite it paid, per turn:

- a new database connection for every read and every write (SQLAlchemy 1.4 does not pool
  SQLite files);
- two synced commits' worth of journal writes (the rollback journal, `synchronous=FULL`),
  the largest part of the store's CPU time per turn (about 10 ms under load);
- a query counting the stored events of the session before each write, to know which
  of the tracker's events are new.

- the ORM's work around it: a session, the query built and its cache key worked out, an
  object made for every row read or written.

This store keeps one pooled connection, writes the SQLite file in WAL mode with
`synchronous=NORMAL` (a commit appends to the write-ahead log without waiting for the
disk; a power cut can lose the last turns, never the file's consistency; a crash of the
process loses nothing), reads and writes with two statements built once (Rasa's query for
the latest session, its columns for each new event), and remembers on each tracker it
hands out how many of its events are stored, so that saving it needs no count (a tracker
it did not read is counted as before). The rows are Rasa's own (the same table, columns
and JSON), so the service report, the trainer's inbox and the demo history read and write
them as before, and the WAL file is read by their read-only connections too. Other
dialects (PostgreSQL) keep Rasa's engine and queries and get only the remembered count.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Dict, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

STORED = "_caredesk_stored_events"  # on a tracker: how many of its events are in the table


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class LeanSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with one pooled WAL connection and two prepared statements on
    SQLite, and no count per save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lean = self.engine.dialect.name == "sqlite" and self.engine.url.database not in (
            None, "", ":memory:")
        if self._lean:
            url = self.engine.url
            self.engine.dispose()
            # the Rasa server uses the store from its event loop's thread; a model loads in
            # a worker thread (bot.runtime.model_loading), so the pool may not be tied to one
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                connect_args={"check_same_thread": False, "timeout": 15})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        table = self.SQLEvent.__table__
        sender = sa.bindparam("sender_id")
        session_start = (sa.select(sa.func.max(table.c.timestamp))
                         .where(table.c.sender_id == sender,
                                table.c.type_name == SessionStarted.type_name)
                         .scalar_subquery())
        # SQLTrackerStore._event_query(fetch_events_from_all_sessions=False), data only
        self._latest_session = (sa.select(table.c.data)
                                .where(table.c.sender_id == sender)
                                .where(sa.or_(table.c.timestamp >= session_start,
                                              session_start.is_(None)))
                                .order_by(table.c.id))
        self._insert = table.insert()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if self._lean:
            with self.engine.connect() as connection:
                rows = connection.execute(self._latest_session,
                                          {"sender_id": sender_id}).scalars().all()
            events = [json.loads(data) for data in rows]
            tracker = (DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
                       if self.domain and events else None)
        else:
            tracker = await super().retrieve(sender_id)
        if tracker is not None:
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self._lean:
            await self.stream_events(tracker)
            with self.engine.begin() as connection:
                rows = [event_row(tracker.sender_id, event)
                        for event in self._additional_events(connection, tracker)]
                if rows:
                    connection.execute(self._insert, rows)
        else:
            await super().save(tracker)
        setattr(tracker, STORED, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED, None)
        if stored is None or stored > len(tracker.events) or tracker.events.maxlen is not None:
            if isinstance(session, sa.engine.Connection):  # the lean save's connection
                count = session.execute(
                    sa.select(sa.func.count()).select_from(self._latest_session.subquery()),
                    {"sender_id": tracker.sender_id}).scalar_one()
                return itertools.islice(tracker.events, count, len(tracker.events))
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))


def event_row(sender_id: Text, event: Any) -> Dict[str, Any]:
    """The row SQLTrackerStore.save writes for an event."""
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}
