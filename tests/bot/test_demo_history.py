"""The demo history: written once, fills every figure of the last 30 days, and leaves a
tracker store that Rasa's own SQLTrackerStore reads back."""

from __future__ import annotations

import asyncio
import random
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import Conversation
from bot.schema import upgrade
from ground.database import create_database_engine
from bot.demo_history import SEED, seed_history
from reports.figures import service_report
from reports.period import Period
from reports.tracker import tracker_engine

NOW = datetime(2026, 11, 24, 9, 0)


def test_the_demo_history_fills_the_report_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'caredesk.db'}"
    upgrade(url)
    engine = create_database_engine(url)
    sessions = sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
    tracker_path = tmp_path / "tracker.db"

    added = seed_history(sessions, tracker_path, NOW, random.Random(SEED))
    assert added > 100
    assert seed_history(sessions, tracker_path, NOW, random.Random(SEED)) == 0
    with sessions() as session:
        assert session.execute(select(func.count(Conversation.id))).scalar_one() == added

    tracker = tracker_engine(f"sqlite:///{tracker_path}")
    report = service_report(sessions, tracker, Period.last_days(date(2026, 11, 24)), NOW)
    assert report.conversations > 50 and 0 < report.containment.numerator < report.conversations
    assert len(report.escalations) >= 4 and report.ratings > 10 and report.nps_answers > 5
    assert 0 < report.first_response.numerator < report.first_response.denominator  # a few misses
    assert report.resolution.denominator > 10 and report.csat_average is not None
    assert report.needs > 0 and len(report.top_intents) == 10
    assert report.tracker_available and 0 < report.fallback.numerator < report.fallback.denominator
    tracker.dispose()
    engine.dispose()

    from rasa.core.tracker_store import SQLTrackerStore

    store = SQLTrackerStore(dialect="sqlite", db=str(tracker_path))
    tracker_of_demo = asyncio.run(store.retrieve("demo-00000"))
    assert tracker_of_demo is not None and tracker_of_demo.latest_message.intent.get("name")
    assert tracker_of_demo.events[1].type_name == "session_started"
    store.engine.dispose()
