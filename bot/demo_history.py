"""A deterministic demo service history, so the report at /reports has something to show:
`python -m bot.demo_history` (`make run` adds it when DEMO_HISTORY is on and it is missing).

Over the last 60 days: web conversations with their messages, about a third handed to a
person (tickets with reasons, realistic first-response and resolution times, a few SLA
misses, all resolved so none waits in the live queue), ratings, NPS answers, captured
needs, and the customers' turns in Rasa's tracker store, written by Rasa's own
SQLTrackerStore so the Rasa server reads that file as its own. Conversation ids start with
`demo-`; the history is written once (a second run changes nothing).
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from conversations.models import ChannelIdentity, ChatCustomer, Conversation, Message
from feedback.models import NpsResponse
from handoff.models import EventKind, Rating, Ticket, TicketEvent, TicketStatus
from needs.models import Requirement

PREFIX = "demo-"
DAYS = 60
CONVERSATIONS_PER_DAY = (2, 6)
ESCALATED_SHARE = 0.32
SEED = 20261124

# intent, what the customer typed (or a button payload), relative weight
TURNS = [
    ("order_status", "where is my order?", 14), ("order_status", "/order_status", 5),
    ("start_return", "I want to return my kettle", 7), ("ask_shipping", "how much is delivery to Ireland?", 6),
    ("change_address", "can I change the delivery address", 5), ("cancel_order", "please cancel my order", 4),
    ("request_invoice", "I need a copy of my invoice", 4), ("ask_plans", "what's in Harbor Club Plus?", 4),
    ("ask_warranty", "is the vacuum still under warranty", 3), ("reset_password", "I forgot my password", 3),
    ("ask_payment_methods", "can I pay with PayPal", 3), ("greet", "hi", 6), ("thanks", "thanks!", 4),
    ("complaint", "this is the second broken item I've received", 3),
    ("request_human", "let me talk to a person", 3), ("out_of_scope", "what's the weather like", 2),
    ("nlu_fallback", "the thingy with the bits", 5), ("describe_need", "I'd like gift wrapping for orders", 1),
]
# reason, weight, (tier, skill)
REASONS = [
    ("requested_human", 30, (1, None)), ("complaint", 18, (1, None)),
    ("repeated_fallback", 14, (1, None)), ("negative_emotion", 12, (1, None)),
    ("billing_dispute", 7, (2, "operations")), ("fraud", 4, (2, "technical")),
    ("vip", 6, (3, None)), ("emotion_drop", 5, (1, None)), ("safety", 2, (2, "product")),
    ("legal_threat", 2, (2, "operations")),
]
NEEDS = [
    ("Gift wrapping at checkout", "birthday presents sent straight to family"),
    ("Delivery to a parcel locker", "nobody is home during the day"),
    ("Bulk order pricing for an office", "furnishing a new office"),
    ("Spare filters sold separately", "the air purifier filter wears out"),
    ("Invoices with the company's VAT number", "expenses at work"),
]


@dataclass(frozen=True)
class DemoTurn:
    sender: str
    text: str
    intent: str
    at: datetime


def has_history(sessions: sessionmaker) -> bool:
    with sessions() as session:
        return bool(session.execute(select(func.count(Conversation.id)).where(
            Conversation.id.like(f"{PREFIX}%"))).scalar_one())


def seed_history(sessions: sessionmaker, tracker_path: Path, now: datetime,
                 rng: random.Random) -> int:
    """Writes the history ending at `now`; returns the number of conversations (0 when it
    was already there)."""
    if has_history(sessions):
        return 0
    turns: List[DemoTurn] = []
    conversations = 0
    with sessions.begin() as session:
        for day in range(DAYS, 0, -1):
            for _ in range(rng.randint(*CONVERSATIONS_PER_DAY)):
                start = now - timedelta(days=day, hours=rng.randint(-10, 10), minutes=rng.randint(0, 59))
                conversation_id = f"{PREFIX}{conversations:05d}"
                person = ChatCustomer(created_at=start)
                session.add(person)
                session.flush()
                identity = ChannelIdentity(chat_customer_id=person.id, channel="web",
                                           external_id=conversation_id, created_at=start)
                session.add(identity)
                session.flush()
                session.add(Conversation(id=conversation_id, channel="web", identity_id=identity.id,
                                         chat_customer_id=person.id, state="bot", needs_human=False,
                                         created_at=start, updated_at=start))
                session.flush()
                said = _conversation_turns(rng, conversation_id, start)
                turns.extend(said)
                for turn in said:
                    session.add(_message(conversation_id, "in", "customer", turn.text, turn.at))
                    session.add(_message(conversation_id, "out", "bot", "(demo answer)",
                                         turn.at + timedelta(seconds=2)))
                if rng.random() < ESCALATED_SHARE:
                    _escalate(session, rng, conversation_id, said[-1].at + timedelta(seconds=5), now)
                conversations += 1
        _nps_and_needs(session, rng, now, conversations)
    write_turns(tracker_path, turns)
    return conversations


def _conversation_turns(rng: random.Random, conversation_id: str, start: datetime) -> List[DemoTurn]:
    chosen = rng.choices(TURNS, weights=[w for *_, w in TURNS], k=rng.randint(1, 3))
    return [DemoTurn(conversation_id, text, intent, start + timedelta(minutes=index))
            for index, (intent, text, _) in enumerate(chosen)]


def _message(conversation_id: str, direction: str, author: str, text: str, at: datetime) -> Message:
    return Message(conversation_id=conversation_id, channel="web", direction=direction,
                   author=author, kind="button" if text.startswith("/") else "text", text=text,
                   payload=text if text.startswith("/") else None, created_at=at, handled_at=at)


def _escalate(session, rng: random.Random, conversation_id: str, created: datetime,  # type: ignore[no-untyped-def]
              now: datetime) -> None:
    reason, _, (tier, skill) = rng.choices(REASONS, weights=[w for _, w, _ in REASONS])[0]
    first_response = timedelta(minutes=rng.randint(70, 150) if rng.random() < 0.07 else rng.randint(3, 55))
    resolution = timedelta(hours=rng.randint(75, 110) if rng.random() < 0.05 else rng.randint(1, 50))
    answered = min(created + first_response, now - timedelta(minutes=2))
    resolved = max(answered, min(created + resolution, now - timedelta(minutes=1)))
    ticket = Ticket(conversation_id=conversation_id, channel="web", status=TicketStatus.RESOLVED,
                    tier=tier, skill=skill, reasons=[reason], priority=2, context={},
                    summary=f"Demo history: {reason.replace('_', ' ')}", created_at=created,
                    first_response_due=created + timedelta(hours=1), claimed_at=answered,
                    first_response_at=answered, resolution_due=created + timedelta(hours=72),
                    resolved_at=resolved, outcome={"outcome": "solved", "note": "demo history"},
                    updated_at=resolved)
    session.add(ticket)
    session.flush()
    session.add_all([
        TicketEvent(ticket_id=ticket.id, kind=EventKind.CREATED, data={"reasons": [reason]}, created_at=created),
        TicketEvent(ticket_id=ticket.id, kind=EventKind.RESOLVED, body="demo history",
                    data={"outcome": "solved"}, created_at=resolved),
    ])
    session.add(_message(conversation_id, "out", "agent", "(demo reply from an agent)", answered))
    if rng.random() < 0.75 and resolved + timedelta(minutes=3) < now:
        score = rng.choices([1, 2, 3, 4, 5], weights=[4, 6, 10, 30, 50])[0]
        session.add(Rating(conversation_id=conversation_id, ticket_id=ticket.id, score=score,
                           created_at=resolved + timedelta(minutes=3)))


def _nps_and_needs(session, rng: random.Random, now: datetime, conversations: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(DAYS // 2 + 10):
        session.add(NpsResponse(
            conversation_id=f"{PREFIX}{rng.randrange(conversations):05d}",
            score=rng.choices(range(11), weights=[1, 0, 1, 1, 1, 2, 3, 6, 8, 20, 30])[0],
            created_at=now - timedelta(days=rng.uniform(0.1, DAYS))))
    for index in range(14):
        what, why = NEEDS[index % len(NEEDS)]
        session.add(Requirement(
            conversation_id=f"{PREFIX}{rng.randrange(conversations):05d}", channel="web",
            what=what, why=why, details={}, created_at=now - timedelta(days=rng.uniform(0.1, DAYS))))


def write_turns(tracker_path: Path, turns: Sequence[DemoTurn]) -> None:
    """The customers' turns through Rasa's own tracker store, as the Rasa server saves them;
    senders that already have events there are left alone."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker_path.parent.mkdir(parents=True, exist_ok=True)
    store = SQLTrackerStore(dialect="sqlite", db=str(tracker_path))
    by_sender: dict = {}
    for turn in turns:
        by_sender.setdefault(turn.sender, []).append(turn)

    async def save_all() -> None:
        known = set(await store.keys())
        for sender, said in by_sender.items():
            if sender in known:
                continue
            began = _unix(said[0].at) - 1
            events = [ActionExecuted("action_session_start", timestamp=began),
                      SessionStarted(timestamp=began), ActionExecuted("action_listen", timestamp=began)]
            for turn in said:
                stamp = _unix(turn.at)
                intent = {"name": turn.intent, "confidence": 1.0 if turn.text.startswith("/") else 0.87}
                events += [UserUttered(turn.text, intent=intent, timestamp=stamp),
                           ActionExecuted("action_listen", timestamp=stamp + 1)]
            await store.save(DialogueStateTracker.from_events(sender, events))

    asyncio.run(save_all())
    store.engine.dispose()


def _unix(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


def main() -> None:
    from bot.schema import upgrade
    from ground.settings import Settings
    from ground.clock import utcnow
    from ground.database import session_factory

    settings = Settings.from_env()
    upgrade(settings.database_url)
    added = seed_history(session_factory(settings.database_url), settings.tracker_db_path,
                         utcnow(), random.Random(SEED))
    print(f"seeded {DAYS} days of demo service history ({added} conversations)" if added
          else "demo service history already present")


if __name__ == "__main__":
    main()
