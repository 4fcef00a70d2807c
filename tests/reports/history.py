"""A small service history with every report figure computed by hand.

The range is 13-22 November 2026, both days included: [13 Nov 00:00, 23 Nov 00:00). Every
row at 12 Nov 23:59:59 or 23 Nov 00:00 is just outside it. The reference clock says
23 Nov 00:10 (it decides which SLA due times have passed). The writers can move every time
by a shift, for a running product whose clock is the real one.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from sqlalchemy.orm import sessionmaker

from conversations.models import ChannelIdentity, ChatCustomer, Conversation, Message
from feedback.models import NpsResponse
from handoff.models import Rating, Ticket
from needs.models import Requirement
from reports.period import Period

PERIOD = Period(date(2026, 11, 13), date(2026, 11, 22))
BEFORE = datetime(2026, 11, 12, 23, 59, 59)
AFTER = datetime(2026, 11, 23, 0, 0)
NOW = datetime(2026, 11, 23, 0, 10)


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second)


# conversation -> when its customer wrote (None: only the bot wrote, in the range)
CUSTOMER_MESSAGES = {
    "c1": [at(16, 10)],                 # contained
    "c2": [at(17, 9, 55)],              # ticket T1
    "c3": [at(18, 8, 50)],              # ticket T2 (and T0 before the range)
    "c4": [at(22, 23, 59, 59)],         # contained: the last second of the range counts
    "c5": [AFTER],                      # outside: the first moment after the range
    "c6": [at(13, 0)],                  # ticket T4; the first moment of the range counts
    "c7": [BEFORE],                     # outside (its bot message in the range does not count)
    "c8": [at(22, 23, 40)],             # ticket T6
    "c9": [],                           # ticket T8, a follow-up ticket: no customer message
}
# conversations with a customer message in the range: c1 c2 c3 c4 c6 c8 = 6
# of them with a ticket opened in the range: c2 c3 c6 c8 -> contained c1 c4 = 2/6 = 33.3%
CONVERSATIONS, CONTAINED, CONTAINMENT = 6, 2, 33.3

# (conversation, reasons, created, first response due/at, resolution due/at)
TICKETS: List[Tuple[str, List[str], datetime, datetime, Optional[datetime], datetime, Optional[datetime]]] = [
    ("c3", ["legal_threat"], at(12, 23), at(13, 0), None, at(15, 23), None),            # T0: before
    ("c2", ["complaint", "negative_emotion"], at(17, 10), at(17, 11), at(17, 10, 30),
     at(20, 10), at(18, 15)),                                                           # T1: met, met
    ("c3", ["fraud"], at(18, 9), at(18, 10), at(18, 10, 15), at(21, 9), at(21, 12)),   # T2: late, late
    ("c6", ["requested_human"], at(22, 20), at(22, 21), None, at(25, 20), None),       # T4: overdue; not yet due
    ("c5", ["safety"], AFTER, at(23, 1), None, at(26, 0), None),                        # T5: after
    ("c8", ["vip"], at(22, 23, 40), at(23, 0, 40), None, at(25, 23, 40), None),        # T6: neither due yet
    ("c9", ["complaint"], at(19, 12), at(19, 13), at(19, 12, 20), at(22, 12), at(20, 9)),  # T8: met, met
    # T9: a VIP's 30-day check-in, a task for the account manager, not an escalation: it
    # changes no figure (c1 stays contained; no reason, no SLA share)
    ("c1", ["vip", "check_in"], at(16, 11), at(16, 12), None, at(19, 11), None),
]
# by first reason: complaint 2 (T1, T8), fraud 1, requested_human 1, vip 1
ESCALATIONS = [("complaint", "complaint", 2), ("fraud", "suspected fraud", 1),
               ("requested_human", "asked for a person", 1), ("vip", "VIP customer", 1)]
# first response counted: T1 met, T2 late, T4 overdue, T8 met (T6 not due) -> 2/4
FIRST_RESPONSE = (2, 4, 50.0)
# resolution counted: T1 met, T2 late, T8 met (T4, T6 not due) -> 2/3
RESOLUTION = (2, 3, 66.7)

RATINGS = [(5, at(13, 8)), (5, at(15)), (4, at(17)), (2, at(20)), (1, at(22, 23)),
           (5, BEFORE), (3, AFTER)]
# in the range 5 5 4 2 1: average 17/5 = 3.4; 4 or 5: 3/5 = 60%
CSAT_AVERAGE, CSAT_DISTRIBUTION, CSAT_SATISFIED = 3.4, {1: 1, 2: 1, 3: 0, 4: 1, 5: 2}, (3, 5, 60.0)

NPS = [(10, at(14)), (9, at(15)), (9, at(16)), (8, at(17)), (7, at(18)), (6, at(19)),
       (3, at(20)), (10, BEFORE), (0, AFTER)]
# in the range: promoters 10 9 9 = 3, passives 8 7 = 2, detractors 6 3 = 2; 7 answers
# NPS = 100 * (3 - 2) / 7 = 14.285... -> 14.3
NPS_SCORE, PROMOTERS, PASSIVES, DETRACTORS = 14.3, 3, 2, 2

NEEDS = [at(13, 9), at(16, 9), at(18, 14), at(22, 23), BEFORE, AFTER]
# weeks (Mondays) the range touches: 9 Nov (13 Nov) = 1, 16 Nov (16, 18, 22 Nov) = 3
NEEDS_PER_WEEK = [("2026-11-09", 1), ("2026-11-16", 3)]

# tracker: (sender, text, intent, when)
TURNS = [
    ("c1", "where is my order", "order_status", at(16, 10)),
    ("c2", "where's my parcel", "order_status", at(17, 9)),
    ("c2", "order status please", "order_status", at(17, 9, 1)),
    ("c2", "/order_status", "order_status", at(17, 9, 2)),          # a button
    ("c3", "blorp", "nlu_fallback", at(18, 8)),
    ("c3", "zzz qq", "nlu_fallback", at(18, 8, 1)),
    ("c3", "what's the weather", "out_of_scope", at(18, 8, 2)),
    ("c4", "hello", "greet", at(13, 0)),
    ("c4", '/rate{"score": 5}', "rate", at(22, 23, 59)),             # a button
    ("c4", "/EXTERNAL_handoff_resolved", "EXTERNAL_handoff_resolved", at(20)),  # the gateway's
    ("c5", "where is my order", "order_status", BEFORE),
    ("c5", "where is my order", "order_status", AFTER),
]
# counted turns 9: order_status 4, nlu_fallback 2, out_of_scope 1, greet 1, rate 1
# top intents (without nlu_fallback, ties by name): order_status 4, greet 1, out_of_scope 1, rate 1
TOP_INTENTS = [("order_status", 4), ("greet", 1), ("out_of_scope", 1), ("rate", 1)]
# typed (no buttons): order_status 3 + nlu_fallback 2 + out_of_scope 1 + greet 1 = 7
FALLBACK = (2, 7, 28.6)


def write_product_history(sessions: sessionmaker, shift: timedelta = timedelta(0)) -> None:
    """The history's product rows, every time moved by `shift`."""
    with sessions.begin() as session:
        for index, (conversation_id, moments) in enumerate(CUSTOMER_MESSAGES.items()):
            person = ChatCustomer(created_at=BEFORE + shift)
            identity = ChannelIdentity(chat_customer=person, channel="web",
                                       external_id=f"browser-{index}", created_at=BEFORE + shift)
            session.add_all([person, identity])
            session.flush()
            session.add(Conversation(id=conversation_id, channel="web", identity_id=identity.id,
                                     chat_customer_id=person.id, state="bot", needs_human=False,
                                     created_at=BEFORE + shift, updated_at=BEFORE + shift))
            session.flush()
            for moment in moments:
                session.add(_message(conversation_id, "in", "customer", moment + shift))
            session.add(_message(conversation_id, "out", "bot", at(17) + shift))
        session.flush()
        for conversation_id, reasons, created, fr_due, fr_at, res_due, res_at in TICKETS:
            session.add(Ticket(conversation_id=conversation_id, channel="web",
                               status="resolved" if res_at else "queued", tier=1,
                               reasons=reasons, priority=2, context={}, summary="s",
                               created_at=created + shift, first_response_due=fr_due + shift,
                               first_response_at=fr_at and fr_at + shift,
                               resolution_due=res_due + shift, resolved_at=res_at and res_at + shift,
                               updated_at=created + shift))
        session.add_all(Rating(conversation_id="c1", score=score, created_at=moment + shift)
                        for score, moment in RATINGS)
        session.add_all(NpsResponse(conversation_id="c1", score=score, created_at=moment + shift)
                        for score, moment in NPS)
        session.add_all(Requirement(conversation_id="c1", channel="web", what="a need",
                                    details={}, created_at=moment + shift) for moment in NEEDS)


def _message(conversation_id: str, direction: str, author: str, moment: datetime) -> Message:
    return Message(conversation_id=conversation_id, channel="web", direction=direction,
                   author=author, kind="text", text="hi", created_at=moment, handled_at=moment)


def write_tracker(path: Path, turns: Sequence[Tuple[str, str, str, datetime]] = TURNS,
                  shift: timedelta = timedelta(0)) -> None:
    """Customer turns through Rasa's own SQL tracker store, as the Rasa server saves them."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(dialect="sqlite", db=str(path))
    for sender in dict.fromkeys(t[0] for t in turns):
        events = []
        for _, text, intent, moment in (t for t in turns if t[0] == sender):
            stamp = (moment + shift).replace(tzinfo=timezone.utc).timestamp()
            events.append(UserUttered(text, intent={"name": intent, "confidence": 0.9},
                                      timestamp=stamp))
            events.append(ActionExecuted("action_listen", timestamp=stamp))
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    store.engine.dispose()
