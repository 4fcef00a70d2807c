"""The service report's figures for a date range (`reports.period.Period`: whole UTC days,
both ends included), from the product database and Rasa's tracker store.

Definitions (shown on the report page too):

- **Containment**: of the conversations with at least one customer message in the range,
  the share that got no ticket opened in the range. (A Telegram chat keeps one
  conversation for ever, so "never had a ticket" would count a months-old handoff against
  every later month.)
- **Escalations by reason**: tickets opened in the range (follow-up tickets of low ratings
  included; a VIP's 30-day check-in task is not an escalation and counts nowhere), each
  counted once, by the reason it was opened for: the first of its reasons, which the
  escalation decision lists most urgent first.
- **First response within 1 hour** (target 100%): of the tickets opened in the range that
  have had a first human reply or whose first-response due time has passed, the share
  answered by the due time. A ticket still waiting but not yet due is left out; an
  unanswered overdue one is a miss.
- **Resolution within 72 hours** (target 95%): the same with the resolution due time.
- **CSAT**: the 1-5 ratings given in the range: average, distribution, share of 4 and 5.
- **NPS** (target 85): of the 0-10 answers given in the range, % promoters (9-10) minus %
  detractors (0-6).
- Each rating and NPS answer counts once per question the assistant asked: one is stored
  only as the first answer to that question, and its row carries the question's key under
  a unique index (`actions.scores`), so a resend or a second number adds nothing. Rows from
  before the key existed (null) count as they were stored.
- **Top intents**: customer turns in the range by intent (Rasa's tracker store; see
  `reports.tracker` for what is counted), the ten most frequent, not counting
  `nlu_fallback`.
- **Fallback rate**: of the typed customer messages in the range (button presses never
  reach the NLU), the share the FallbackClassifier marked `nlu_fallback`: top intent
  confidence below 0.4 or the top two within 0.05 (config.yml). `out_of_scope` messages
  were understood (as off-topic) and are not fallbacks.
- **Needs captured**: requirement sheets confirmed in the range, also per week (weeks
  start on Monday).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from conversations.models import Author, Direction, Message
from feedback.models import NpsResponse
from handoff.escalation import Reason
from handoff.models import Rating, Ticket
from handoff.tickets import REASON_LABELS, withdrawn
from needs.models import Requirement
from reports.period import Period
from reports.tracker import FALLBACK_INTENT, intent_counts

FIRST_RESPONSE_TARGET = 100.0
RESOLUTION_TARGET = 95.0
NPS_TARGET = 85.0
TOP_INTENTS = 10


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Optional[float]:
        """One decimal; None when there is nothing to count."""
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None

    def to_json(self) -> Dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator,
                "percent": self.percent}


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int

    def to_json(self) -> Dict[str, Any]:
        return {"key": self.key, "label": self.label, "count": self.count}


@dataclass(frozen=True)
class ServiceReport:
    period: Period
    conversations: int
    containment: Ratio
    escalations: List[Count]
    first_response: Ratio
    resolution: Ratio
    csat_distribution: Dict[int, int]
    nps_scores: Dict[int, int]
    top_intents: List[Count]
    fallback: Ratio
    tracker_available: bool
    needs_per_week: List[Count] = field(default_factory=list)

    @property
    def tickets(self) -> int:
        return sum(c.count for c in self.escalations)

    @property
    def ratings(self) -> int:
        return sum(self.csat_distribution.values())

    @property
    def csat_average(self) -> Optional[float]:
        total = sum(score * n for score, n in self.csat_distribution.items())
        return round(total / self.ratings, 2) if self.ratings else None

    @property
    def csat_satisfied(self) -> Ratio:
        return Ratio(self.csat_distribution[4] + self.csat_distribution[5], self.ratings)

    @property
    def nps_promoters(self) -> int:
        return sum(n for score, n in self.nps_scores.items() if score >= 9)

    @property
    def nps_detractors(self) -> int:
        return sum(n for score, n in self.nps_scores.items() if score <= 6)

    @property
    def nps_answers(self) -> int:
        return sum(self.nps_scores.values())

    @property
    def nps(self) -> Optional[float]:
        if not self.nps_answers:
            return None
        return round(100 * (self.nps_promoters - self.nps_detractors) / self.nps_answers, 1)

    @property
    def needs(self) -> int:
        return sum(c.count for c in self.needs_per_week)

    def to_json(self) -> Dict[str, Any]:
        return {
            "from": self.period.first.isoformat(), "to": self.period.last.isoformat(),
            "conversations": self.conversations,
            "containment": self.containment.to_json(),
            "escalations": {"total": self.tickets, "by_reason": [c.to_json() for c in self.escalations]},
            "first_response_within_1h": dict(self.first_response.to_json(), target=FIRST_RESPONSE_TARGET),
            "resolution_within_72h": dict(self.resolution.to_json(), target=RESOLUTION_TARGET),
            "csat": {"average": self.csat_average, "ratings": self.ratings,
                     "distribution": {str(k): v for k, v in self.csat_distribution.items()},
                     "satisfied": self.csat_satisfied.to_json()},
            "nps": {"score": self.nps, "target": NPS_TARGET, "answers": self.nps_answers,
                    "promoters": self.nps_promoters, "detractors": self.nps_detractors,
                    "passives": self.nps_answers - self.nps_promoters - self.nps_detractors},
            "intents": {"available": self.tracker_available,
                        "top": [c.to_json() for c in self.top_intents],
                        "fallback": self.fallback.to_json()},
            "needs": {"total": self.needs, "per_week": [c.to_json() for c in self.needs_per_week]},
        }


def service_report(sessions: sessionmaker, tracker: Optional[Engine], period: Period,
                   now: datetime) -> ServiceReport:
    """Every figure for `period`; `now` decides which SLA due times have passed."""
    start, end = period.start, period.end
    with sessions() as session:
        talked = set(session.execute(
            select(Message.conversation_id).distinct().where(
                Message.author == Author.CUSTOMER, Message.direction == Direction.INBOUND,
                Message.created_at >= start, Message.created_at < end)).scalars())
        tickets = session.execute(
            select(Ticket.conversation_id, Ticket.reasons, Ticket.first_response_due,
                   Ticket.first_response_at, Ticket.resolution_due, Ticket.resolved_at,
                   Ticket.outcome)
            .where(Ticket.created_at >= start, Ticket.created_at < end)).all()
        ratings = session.execute(select(Rating.score).where(
            Rating.created_at >= start, Rating.created_at < end)).scalars().all()
        nps = session.execute(select(NpsResponse.score).where(
            NpsResponse.created_at >= start, NpsResponse.created_at < end)).scalars().all()
        needs = session.execute(select(Requirement.created_at).where(
            Requirement.created_at >= start, Requirement.created_at < end)).scalars().all()
    # a VIP's 30-day check-in is a task for their account manager, not an escalation
    tickets = [t for t in tickets if Reason.CHECK_IN not in (t.reasons or ())]
    escalated = {t.conversation_id for t in tickets}
    intents = intent_counts(tracker, start, end)
    return ServiceReport(
        period=period,
        conversations=len(talked),
        containment=Ratio(len(talked - escalated), len(talked)),
        escalations=_by_reason(t.reasons for t in tickets),
        first_response=_within((clock for clock in map(_first_response_clock, tickets)
                                if clock is not None), now),
        # a case the customer withdrew from the queue was not resolved by anyone
        resolution=_within(((t.resolution_due, t.resolved_at) for t in tickets
                            if not withdrawn(t.outcome)), now),
        csat_distribution={score: Counter(ratings)[score] for score in range(1, 6)},
        nps_scores={score: Counter(nps)[score] for score in range(0, 11)},
        top_intents=[Count(name, name, n) for name, n in sorted(
            ((k, v) for k, v in intents.by_intent.items() if k != FALLBACK_INTENT),
            key=lambda item: (-item[1], item[0]))[:TOP_INTENTS]],
        fallback=Ratio(intents.fallbacks, intents.typed),
        tracker_available=intents.available,
        needs_per_week=_per_week(needs, period),
    )


def _by_reason(reasons: Any) -> List[Count]:
    counts = Counter((r[0] if r else "unknown") for r in reasons)
    return [Count(code, REASON_LABELS.get(code, code.replace("_", " ")), n)
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _first_response_clock(ticket: Any) -> Optional[tuple[datetime, Optional[datetime]]]:
    """(due, done) of the first human response. A customer who left the queue before anyone
    answered needed none (not counted), unless they had already waited past the due time:
    then it counts as a miss."""
    if ticket.first_response_at is None and withdrawn(ticket.outcome):
        if ticket.resolved_at <= ticket.first_response_due:
            return None
        return ticket.first_response_due, ticket.resolved_at
    return ticket.first_response_due, ticket.first_response_at


def _within(clocks: Any, now: datetime) -> Ratio:
    """(due, done) pairs: met when done by due; counted when done or due has passed."""
    met = counted = 0
    for due, done in clocks:
        if done is None and due > now:
            continue
        counted += 1
        met += done is not None and done <= due
    return Ratio(met, counted)


def _per_week(moments: Sequence[datetime], period: Period) -> List[Count]:
    """Every week (Monday) the period touches, with the needs captured in it."""
    monday = period.first - timedelta(days=period.first.weekday())
    counts = Counter((m.date() - timedelta(days=m.weekday())) for m in moments)
    weeks = []
    while monday <= period.last:
        weeks.append(Count(monday.isoformat(), f"week of {monday:%d %b}", counts[monday]))
        monday += timedelta(days=7)
    return weeks
