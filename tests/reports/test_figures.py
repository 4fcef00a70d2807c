"""The report's figures against the hand-computed history of tests/reports/history.py,
on SQLite and PostgreSQL, with Rasa's own tracker store for the intents."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.schema import upgrade
from ground.database import create_database_engine
from conversations.store import ConversationStore
from feedback.nps import record_nps
from handoff.escalation import Decision, Reason
from handoff.tickets import TicketStore
from handoff.ratings import record_rating
from reports.figures import ServiceReport, service_report
from reports.period import Period
from reports.tracker import tracker_engine
from tests.databases import Clock
from tests.handoff.test_ratings import resolved_case
from tests.reports.history import (CONTAINED, CONTAINMENT, CONVERSATIONS, CSAT_AVERAGE,
                                   CSAT_DISTRIBUTION, CSAT_SATISFIED, DETRACTORS, ESCALATIONS,
                                   FALLBACK, FIRST_RESPONSE, NEEDS_PER_WEEK, NOW, NPS_SCORE,
                                   PASSIVES, PERIOD, PROMOTERS, RESOLUTION, TOP_INTENTS,
                                   write_product_history, write_tracker)


@pytest.fixture
def report(database: str, clock: Clock, tmp_path: Path) -> Iterator[ServiceReport]:
    upgrade(database)
    engine = create_database_engine(database)
    sessions = sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
    write_product_history(sessions)
    write_tracker(tmp_path / "tracker.db")
    tracker = tracker_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    clock.now = NOW
    yield service_report(sessions, tracker, PERIOD, clock())
    tracker.dispose()
    engine.dispose()


def test_containment_counts_conversations_with_customer_messages_in_the_range(report: ServiceReport) -> None:
    assert report.conversations == CONVERSATIONS
    assert (report.containment.numerator, report.containment.denominator) == (CONTAINED, CONVERSATIONS)
    assert report.containment.percent == CONTAINMENT


def test_escalations_by_first_reason_with_labels(report: ServiceReport) -> None:
    assert [(c.key, c.label, c.count) for c in report.escalations] == ESCALATIONS
    assert report.tickets == 5


def test_sla_shares_count_misses_and_leave_out_what_is_not_due(report: ServiceReport) -> None:
    first = report.first_response
    assert (first.numerator, first.denominator, first.percent) == FIRST_RESPONSE
    resolution = report.resolution
    assert (resolution.numerator, resolution.denominator, resolution.percent) == RESOLUTION


def test_csat_and_nps(report: ServiceReport) -> None:
    assert report.csat_average == CSAT_AVERAGE
    assert report.csat_distribution == CSAT_DISTRIBUTION
    satisfied = report.csat_satisfied
    assert (satisfied.numerator, satisfied.denominator, satisfied.percent) == CSAT_SATISFIED
    assert report.nps == NPS_SCORE
    assert (report.nps_promoters, report.nps_detractors, report.nps_answers) == (
        PROMOTERS, DETRACTORS, PROMOTERS + PASSIVES + DETRACTORS)


def test_intents_and_fallback_rate_from_the_tracker_store(report: ServiceReport) -> None:
    assert report.tracker_available
    assert [(c.key, c.count) for c in report.top_intents] == TOP_INTENTS
    fallback = report.fallback
    assert (fallback.numerator, fallback.denominator, fallback.percent) == FALLBACK


def test_needs_per_week(report: ServiceReport) -> None:
    assert [(c.key, c.count) for c in report.needs_per_week] == NEEDS_PER_WEEK
    assert report.needs == 4


def test_json_carries_the_targets(report: ServiceReport) -> None:
    data = report.to_json()
    assert data["from"] == "2026-11-13" and data["to"] == "2026-11-22"
    assert data["first_response_within_1h"]["target"] == 100.0
    assert data["resolution_within_72h"]["target"] == 95.0
    assert data["nps"]["target"] == 85.0 and data["nps"]["passives"] == PASSIVES


def test_each_score_question_is_counted_once(sessions: sessionmaker, clock: Clock) -> None:
    """Answers that reach storage more than once for one question (a resend, a race) are
    one answer in CSAT and NPS."""
    conversation, tickets, _, _ = resolved_case(sessions, clock)
    for key, score in (("rating:c:1.5", 2), ("rating:c:1.5", 2), ("rating:c:2.5", 5)):
        record_rating(sessions, tickets, conversation.id, score, {"profile": {}}, clock, question_key=key)
    for key, score in (("nps:c:3.5", 0),) * 5 + (("nps:c:4.5", 10),):
        record_nps(sessions, conversation.id, score, clock=clock, question_key=key)
    today = clock.now.date()
    report = service_report(sessions, None, Period(today, today), clock())
    assert report.csat_distribution == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert (report.nps_answers, report.nps_detractors, report.nps) == (2, 1, 0.0)


def test_a_missing_tracker_store_is_reported_not_created(tmp_path: Path) -> None:
    from reports.tracker import intent_counts

    missing = tmp_path / "no-tracker.db"
    counts = intent_counts(tracker_engine(f"sqlite:///{missing}"), PERIOD.start, PERIOD.end)
    assert not counts.available and counts.turns == 0
    assert not missing.exists()


@pytest.mark.parametrize("first, last, message", [
    ("2026-11-13", None, "to is required"),
    ("13/11/2026", "2026-11-22", "from must be a date as YYYY-MM-DD"),
    ("2026-11-23", "2026-11-22", "is after to"),
    ("2025-11-21", "2026-11-22", "at most 366"),
    ("2026-02-30", "2026-03-01", "from must be a date"),
])
def test_bad_ranges_are_refused_with_a_reason(first: str, last: str, message: str) -> None:
    from reports.period import PeriodError

    with pytest.raises(PeriodError, match=message):
        Period.parse(first, last)


def test_a_range_of_366_days_is_allowed_and_ends_are_whole_days() -> None:
    period = Period.parse("2024-01-01", "2024-12-31")
    assert period.days == 366
    assert period.start == datetime(2024, 1, 1) and period.end == datetime(2025, 1, 1)


def test_a_queue_left_by_the_customer_is_no_resolution_and_late_only_after_the_hour(
        sessions: sessionmaker, clock: Clock) -> None:
    """Tickets the customer withdrew from the queue: nobody resolved them, so they are out of
    the resolution share; the first response is missed only for one who waited past the hour."""
    conversations, tickets = ConversationStore(sessions, clock), TicketStore(sessions, clock=clock)
    waited = {}
    for minutes in (20, 90):
        conversation = conversations.create_web_conversation()
        tickets.open(conversation.id, Decision(True, (Reason.REQUESTED,)), {}, "s")
        waited[minutes] = conversation.id
    clock.now += timedelta(minutes=20)
    tickets.withdraw(waited[20])
    clock.now += timedelta(minutes=70)
    tickets.withdraw(waited[90])
    clock.now += timedelta(days=4)
    today = clock.now.date()
    report = service_report(sessions, None, Period(today - timedelta(days=5), today), clock())
    assert (report.first_response.numerator, report.first_response.denominator) == (0, 1)
    assert report.resolution.denominator == 0
    assert report.tickets == 2  # still escalations: the assistant handed both over
