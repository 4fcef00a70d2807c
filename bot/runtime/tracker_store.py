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

This store keeps one pooled connection, writes the SQLite file in WAL mode with
`synchronous=NORMAL` (a commit appends to the write-ahead log without waiting for the
disk; a power cut can lose the last turns, never the file's consistency; a crash of the
process loses nothing), and remembers on each tracker it hands out how many of its events
are stored, so that saving it needs no count (a tracker it did not read is counted as
before). The rows are Rasa's own (the same table and columns), so the service report, the
trainer's inbox and the demo history read and write them as before, and the WAL file is
read by their read-only connections too. Other dialects (PostgreSQL) keep their engine and
get only the remembered count.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

STORED = "_caredesk_stored_events"  # on a tracker: how many of its events are in the table


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class LeanSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with one pooled WAL connection on SQLite and no count per save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (
                None, "", ":memory:"):
            url = self.engine.url
            self.engine.dispose()
            # the Rasa server uses the store from its event loop's thread; a model loads in
            # a worker thread (bot.runtime.model_loading), so the pool may not be tied to one
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                connect_args={"check_same_thread": False, "timeout": 15})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        setattr(tracker, STORED, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED, None)
        if stored is None or stored > len(tracker.events) or tracker.events.maxlen is not None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))
