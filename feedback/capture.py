"""Free feedback: what kind it is (a compliment, a suggestion, or other feedback), what it
is about, and how it feels, so it can be thanked specifically and counted in the report.

The topic comes from the words used (by lemma, so "couriers" counts as "courier"), the
feeling from the same VADER analysis the escalation decision uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Dict, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from ground.clock import utcnow
from feedback.models import Feedback, FeedbackKind
from handoff.emotion import shared_analyser
from handoff.models import Rating

MAX_TEXT = 2000
COMPLIMENT_AT_OR_ABOVE = 0.3
NEGATIVE_AT_OR_BELOW = -0.3

CATEGORIES: Dict[str, Tuple[str, ...]] = {
    "delivery": ("delivery", "deliver", "courier", "driver", "shipping", "parcel", "tracking",
                 "dispatch", "arrive", "arrived", "postage", "van"),
    "returns": ("return", "returns", "refund", "exchange", "money back"),
    "website": ("website", "site", "app", "checkout", "page", "search", "mobile", "login",
                "online", "basket", "filter", "wishlist", "dark mode", "language option"),
    "service": ("service", "team", "staff", "agent", "support", "person", "helped", "help",
                "chat", "assistant", "bot", "sorted", "customer service", "friendly", "rude"),
    "product": ("product", "quality", "kettle", "chair", "lamp", "headphones", "speaker",
                "grinder", "vacuum", "purifier", "backpack", "frame", "item", "colours",
                "colour", "stock", "filters", "range", "purchase"),
    "price": ("price", "prices", "cost", "expensive", "cheap", "value", "discount", "plan",
              "harbor club", "subscription", "penny", "worth"),
    "packaging": ("packaging", "package", "box", "plastic", "wrapping", "gift wrapping"),
}
OTHER = "other"
SUGGESTION_CUES = ("you should", "it would be", "it'd be", "would be good", "would be nice",
                   "would be great", "would be useful", "could you", "suggest", "suggestion",
                   "idea", "please add", "why not", "have you thought", "i wish", "maybe you",
                   "you could", "should stock", "should add", "should offer")
# words that announce feedback; a short message with one of them and nothing after a
# colon or dash only announces it ("I'd like to leave some feedback about your app")
ANNOUNCING = ("feedback", "suggestion", "suggestions", "idea", "ideas", "review", "thoughts",
              "comment", "comments", "compliment", "suggest something", "say something")
ANNOUNCEMENT_MAX_WORDS = 10
_ANNOUNCING_CUES = ("suggest", "suggestion", "idea")


@dataclass(frozen=True)
class FeedbackReading:
    kind: str
    category: str
    sentiment: float


def says_nothing_yet(text: str) -> bool:
    """The customer only announced feedback; the bot should ask for it."""
    lowered = f" {' '.join((text or '').lower().replace('’', chr(39)).split())} "
    if not lowered.strip():
        return True
    if ":" in lowered or " - " in lowered or len(lowered.split()) > ANNOUNCEMENT_MAX_WORDS:
        return False
    if any(cue in lowered for cue in SUGGESTION_CUES if cue not in _ANNOUNCING_CUES):
        return False
    return any(re.search(rf"\b{word}\b", lowered) for word in ANNOUNCING)


# an opinion of something the shop makes or runs, with nothing asked: "honestly the atlas chair
# is amazing but your website search is kinda rubbish" fell back and got the chair's assembly
# (a customer run). Not a fault ("is broken"), which a return or a person answers
_PRAISE_WORDS = r"amazing|great|brilliant|excellent|fantastic|awesome|lovely|perfect|superb|gorgeous"
# ("useless" is left out: "this bot is useless" wants a person, not a form for feedback)
_CRITICISM_WORDS = r"rubbish|terrible|awful|crap|poor|dreadful|naff|meh"
_OPINION_OF = r"\b(?:is|are|was|were|'s|looks?|feels?)\s+(?:(?:so|really|very|kinda|kind\s+of|pretty|absolutely|quite|just)\s+)*"
_OPINION = re.compile(
    _OPINION_OF + rf"(?:{_PRAISE_WORDS}|{_CRITICISM_WORDS})\b"
    r"|\bi\s+(?:really\s+|absolutely\s+)?(?:love|hate|adore|like)\s+(?:the|your|my|this|it)\b",
    re.IGNORECASE)
# a criticism in words that praise something else as well ("the chair is amazing but your
# search is kinda rubbish" was thanked as a compliment alone: a customer run)
_CRITICISM = re.compile(_OPINION_OF + rf"(?:{_CRITICISM_WORDS}|useless|annoying|confusing|clunky)\b|\bi\s+hate\b",
                        re.IGNORECASE)
# a question anywhere: its mark, or a question word opening the message or a clause of it
_ASKS = re.compile(r"\?|(?:^|[,.;:!]|\b(?:but|and|so|though|tho)\b)\W*"
                   r"(?:how|what|when|where|why|which|who|can|could|do|does|is|are|will|would|should)\b",
                   re.IGNORECASE)


def tells_an_opinion(text: str) -> bool:
    """Whether the words give an opinion and ask nothing: feedback, whatever the model read."""
    return _OPINION.search(text or "") is not None and _ASKS.search(text or "") is None


def read_feedback(text: str, kind: Optional[str] = None) -> FeedbackReading:
    """Kind, topic and feeling; `kind` fixes the kind (a comment on a rating is a rating
    comment whatever it says)."""
    lowered = f" {' '.join(text.lower().split())} "
    scores = {name: sum(1 for word in words if re.search(rf"\b{re.escape(word)}s?\b", lowered))
              for name, words in CATEGORIES.items()}
    best = max(scores, key=lambda name: scores[name])
    category = best if scores[best] else OTHER
    sentiment = shared_analyser().analyse(text).score
    if kind is None:
        if any(cue in lowered for cue in SUGGESTION_CUES):
            kind = FeedbackKind.SUGGESTION
        elif sentiment >= COMPLIMENT_AT_OR_ABOVE and _CRITICISM.search(text) is None:
            kind = FeedbackKind.COMPLIMENT
        else:
            kind = FeedbackKind.FEEDBACK
    return FeedbackReading(kind, category, sentiment)


def record_feedback(
    sessions: sessionmaker,
    conversation_id: str,
    customer_id: Optional[int],
    text: str,
    reading: FeedbackReading,
    rating_id: Optional[int] = None,
    follow_up_ticket_id: Optional[int] = None,
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """Stores one piece of feedback with its reading."""
    with sessions.begin() as session:
        row = Feedback(conversation_id=conversation_id, customer_id=customer_id,
                       kind=reading.kind, category=reading.category,
                       sentiment=round(reading.sentiment, 4), text=text.strip()[:MAX_TEXT],
                       rating_id=rating_id, follow_up_ticket_id=follow_up_ticket_id,
                       created_at=clock())
        session.add(row)
        session.flush()
        return row.id


def awaits_comment(sessions: sessionmaker, conversation_id: str, rating_id: Optional[int]) -> bool:
    """Whether a rating comment may be stored against `rating_id`: a rating of this
    conversation that has no comment yet (the comment question is asked once per rating)."""
    if rating_id is None:
        return False
    with sessions() as session:
        rating = session.get(Rating, rating_id)
        if rating is None or rating.conversation_id != conversation_id:
            return False
        return session.execute(select(Feedback.id).where(
            Feedback.rating_id == rating_id, Feedback.kind == FeedbackKind.RATING_COMMENT)
        ).first() is None


def is_negative(reading: FeedbackReading) -> bool:
    """Feedback a person should follow up (a suggestion or a compliment never is)."""
    return (reading.kind in (FeedbackKind.FEEDBACK, FeedbackKind.RATING_COMMENT)
            and reading.sentiment <= NEGATIVE_AT_OR_BELOW)
