"""The review inbox: customer messages the assistant handled, read from Rasa's tracker
store, with what the NLU made of them.

A message is offered for review when its intent confidence was low (below the trainer
threshold), when it fell back, when a handoff followed it, or, for spot checks, when it
was confident and falls into the sample (one in `SAMPLE_EVERY`, chosen by a hash of
its id, so the sample is stable while a trainer works through it); when it was the first
message of a conversation whose handoff ticket has been resolved (with the ticket's
reasons); and whenever an agent
flagged it from the console (linked by the gateway message id Rasa keeps in the event's
metadata). Button presses and the
gateway's own EXTERNAL_ messages are never offered; decided messages drop out.

The help centre (actions/help_centre.py) adds two reasons, so that trainers see which
articles to write or improve: `unanswered`, a message no intent fitted (a fallback or out
of scope) that no help article answered; `unhelpful`, a message the assistant answered with
an article that the customer then said did not help (the assistant's "sorry that didn't
answer it" right after their reply, whether they pressed "No" or wrote it in their own
words). A message the dialogue itself could not answer (`action_default_fallback` right after
it) is unanswered too. Both read only the tracker: what the assistant said is in its bot
events (the response's name), the best article in the message's parse data (`help_article`),
shown with the item.

Trainers see customers' words with the personal data concealed (trainer.masking.conceal):
an order number, e-mail address, postcode or phone number is shown as the placeholder the
training data would hold, in the text, the entities and the agent's note alike. Only
`as_written` returns a message as the customer wrote it, for a recorded reveal
(trainer/reveals.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import sessionmaker

from ground.envfile import PROJECT_ROOT
from handoff.escalation import FAILED_INTENTS, GLAD_AFTER_ALL, HELP_ARTICLE_ANSWER, NOT_HELPED_ANSWERS
from handoff.models import Ticket, TicketStatus
from reports.tracker import FALLBACK_INTENT, counted, events
from trainer.masking import Concealed, PersonalSpan, conceal, personal_data_patterns
from trainer.models import ReviewDecision, TrainingFlag
from company.help_articles import HELP_ARTICLE

LOW_CONFIDENCE, FALLBACK, ESCALATED, RESOLVED_TICKET, FLAGGED, SAMPLE = (
    "low_confidence", "fallback", "escalated", "resolved_ticket", "flagged", "sample")
UNANSWERED, UNHELPFUL = "unanswered", "unhelpful"  # the help centre had nothing, or no help
EVERYTHING = "all"  # every message the bot handled, with or without a reason to look
FILTERS = (LOW_CONFIDENCE, FALLBACK, ESCALATED, RESOLVED_TICKET, FLAGGED, SAMPLE, UNANSWERED,
           UNHELPFUL, EVERYTHING)
HANDOFF_ACTION = "action_handoff"
# the dialogue's own fallback (no action predicted confidently): "sorry, I didn't get that"
CORE_FALLBACK_ACTION = "action_default_fallback"
SAMPLE_EVERY = 10
NEXT_BEST = 3
# the newest tracker events looked at per inbox read (user, action and bot events: about six
# to a customer message, so some 5,000 messages back)
SCAN_LIMIT = 30000
MAX_TEXT = 2000  # characters of a message shown


@dataclass(frozen=True)
class InboxItem:
    id: int  # the message's event id in the tracker store
    conversation_id: str
    text: str
    intent: Optional[str]
    confidence: float
    next_best: List[Dict[str, Any]]
    entities: List[Dict[str, Any]]
    reasons: List[str]
    at: str
    decided: Optional[str] = None
    emotion: Dict[str, Any] = field(default_factory=dict)
    flag_note: Optional[str] = None  # what the agent who flagged it wrote
    ticket_reasons: List[str] = field(default_factory=list)  # of the resolved ticket it began
    # the help centre's best article for it: slug, title, section, score, confident
    help_article: Optional[Dict[str, Any]] = None
    # where `text` holds placeholders for personal data (a shown item; not in the JSON)
    personal: Tuple[PersonalSpan, ...] = ()

    def to_json(self) -> Dict[str, Any]:
        found = asdict(self)
        del found["personal"]
        return found


def shown(item: InboxItem, root: Path = PROJECT_ROOT) -> InboxItem:
    """The item as a trainer sees it: personal data replaced by placeholder values in the
    text (the first MAX_TEXT characters), the entities (offsets in the shown text) and the
    agent's note."""
    concealed = conceal(item.text, root)
    cut = concealed.cut(MAX_TEXT)
    placeholders = {entity: placeholder for entity, _, placeholder in personal_data_patterns(root)}
    return replace(
        item, text=cut.text, personal=cut.shown,
        entities=[_shown_entity(entity, concealed, len(cut.text), placeholders, root)
                  for entity in item.entities],
        flag_note=conceal(item.flag_note, root).text if item.flag_note else item.flag_note)


def _shown_entity(entity: Dict[str, Any], concealed: Concealed, length: int,
                  placeholders: Dict[str, str], root: Path) -> Dict[str, Any]:
    """An entity the NLU found, its offsets moved into the shown text; personal data gets
    its placeholder as the value, and no other value shows any either."""
    start, end, value = entity.get("start"), entity.get("end"), entity.get("value")
    if isinstance(start, int) and isinstance(end, int):
        start = min(concealed.position(start), length)
        end = min(concealed.position(end, end=True), length)
    if entity.get("entity") in placeholders:
        value = placeholders[entity["entity"]]
    elif isinstance(value, str):
        value = conceal(value, root).text
    return {**entity, "value": value, "start": start, "end": end}


def _sampled(event_id: int) -> bool:
    return int(hashlib.sha256(str(event_id).encode()).hexdigest(), 16) % SAMPLE_EVERY == 0


class Inbox:
    def __init__(self, tracker: Optional[Engine], sessions: sessionmaker, threshold: float,
                 root: Path = PROJECT_ROOT) -> None:
        """`root`: the training data whose patterns and placeholders conceal personal data."""
        self._tracker = tracker
        self._sessions = sessions
        self._threshold = threshold
        self._root = root

    def _rows(self) -> List[Any]:
        if self._tracker is None:
            return []
        query = (select(events.c.id, events.c.sender_id, events.c.type_name,
                        events.c.action_name, events.c.data)
                 .where(events.c.type_name.in_(("user", "action", "bot")))
                 .order_by(events.c.id.desc()).limit(SCAN_LIMIT))
        try:
            with self._tracker.connect() as connection:
                return list(reversed(connection.execute(query).all()))
        except (OperationalError, ProgrammingError):
            return []  # Rasa has not created its tracker store yet

    def _decided(self) -> Dict[int, str]:
        with self._sessions() as session:
            return dict(session.execute(select(ReviewDecision.tracker_event_id,
                                               ReviewDecision.verdict)).all())

    def _resolved_tickets(self) -> Dict[str, List[str]]:
        """Conversations with a resolved ticket, and that ticket's reasons."""
        with self._sessions() as session:
            rows = session.execute(select(Ticket.conversation_id, Ticket.reasons)
                                   .where(Ticket.status == TicketStatus.RESOLVED)
                                   .order_by(Ticket.id)).all()
        return {conversation: list(reasons or []) for conversation, reasons in rows}

    def _flags(self) -> Dict[int, Optional[str]]:
        with self._sessions() as session:
            return dict(session.execute(select(TrainingFlag.message_id, TrainingFlag.note)).all())

    def items(self, wanted: Optional[str] = None, include_decided: bool = False,
              limit: int = 50) -> List[InboxItem]:
        """The newest messages to review (any reason, one reason, or `all` of them, with
        or without a reason), newest first."""
        decided, flags, resolved = self._decided(), self._flags(), self._resolved_tickets()
        messages: Dict[int, InboxItem] = {}
        last_message: Dict[str, int] = {}
        first_message: Dict[str, int] = {}
        escalated: Set[int] = set()
        unhelpful: Set[int] = set()
        unanswered: Set[int] = set()  # by the dialogue's fallback
        by_article: Set[int] = set()  # answered with a help article's passage
        # per conversation: its latest user event, whether an action followed it yet, the
        # message an article answered (until the customer's next message), and the message
        # whose article the customer's latest reply may be turning down
        latest_user: Dict[str, int] = {}
        acted: Set[str] = set()
        article_answered: Dict[str, int] = {}
        turned_down: Dict[str, int] = {}
        last_unhelpful: Dict[str, int] = {}  # until the customer takes the "no" back
        for row in self._rows():
            if row.type_name == "bot":
                said = _response_of(row)
                if said == HELP_ARTICLE_ANSWER and row.sender_id in latest_user:
                    by_article.add(latest_user[row.sender_id])
                    article_answered[row.sender_id] = latest_user[row.sender_id]
                elif said in NOT_HELPED_ANSWERS and row.sender_id in turned_down:
                    last_unhelpful[row.sender_id] = turned_down.pop(row.sender_id)
                    unhelpful.add(last_unhelpful[row.sender_id])
                elif said == GLAD_AFTER_ALL and row.sender_id in last_unhelpful:
                    unhelpful.discard(last_unhelpful.pop(row.sender_id))
                continue
            if row.type_name == "action":
                if row.action_name == HANDOFF_ACTION and row.sender_id in last_message:
                    escalated.add(last_message[row.sender_id])
                if row.sender_id in latest_user and row.sender_id not in acted \
                        and row.action_name != "action_listen":
                    acted.add(row.sender_id)
                    answered = messages.get(latest_user[row.sender_id])
                    if row.action_name == CORE_FALLBACK_ACTION and answered is not None:
                        unanswered.add(answered.id)
                continue
            # the customer's next message after an article: its verdict, if the assistant
            # then apologises for the article
            question = article_answered.pop(row.sender_id, None)
            if question is not None:
                turned_down[row.sender_id] = question
            else:
                turned_down.pop(row.sender_id, None)
            latest_user[row.sender_id] = row.id
            acted.discard(row.sender_id)
            item = self._item(row, decided.get(row.id), flags)
            if item is not None:
                messages[row.id] = item
                last_message[row.sender_id] = row.id
                first_message.setdefault(row.sender_id, row.id)
        # a resolved handoff: the customer's first message, with what the ticket was about
        ticket_starts = {first_message[c]: reasons for c, reasons in resolved.items()
                         if c in first_message}
        found = []
        for event_id in sorted(messages, reverse=True):
            item = messages[event_id]
            no_fit = item.intent in FAILED_INTENTS and event_id not in by_article
            reasons = list(item.reasons) + ([ESCALATED] if event_id in escalated else []) + (
                [RESOLVED_TICKET] if event_id in ticket_starts else []) + (
                [UNHELPFUL] if event_id in unhelpful else []) + (
                [UNANSWERED] if event_id in unanswered or no_fit else [])
            if not reasons and _sampled(event_id):
                reasons = [SAMPLE]
            if wanted == EVERYTHING:
                pass
            elif not reasons or (wanted is not None and wanted not in reasons):
                continue
            if item.decided is not None and not include_decided:
                continue
            found.append(shown(InboxItem(**{**asdict(item), "reasons": reasons,
                                            "ticket_reasons": ticket_starts.get(event_id, [])}),
                               self._root))
            if len(found) >= limit:
                break
        return found

    def item(self, event_id: int) -> Optional[InboxItem]:
        """One customer message by its event id, whatever its reasons, as trainers see it."""
        found = self.as_written(event_id)
        return shown(found, self._root) if found is not None else None

    def as_written(self, event_id: int) -> Optional[InboxItem]:
        """One customer message exactly as the customer wrote it, personal data and all:
        only for a reveal a trainer gave a reason for (trainer/reveals.py)."""
        if self._tracker is None:
            return None
        query = select(events.c.id, events.c.sender_id, events.c.type_name, events.c.action_name,
                       events.c.data).where(events.c.id == event_id, events.c.type_name == "user")
        try:
            with self._tracker.connect() as connection:
                row = connection.execute(query).first()
        except (OperationalError, ProgrammingError):
            return None
        return (self._item(row, self._decided().get(event_id), self._flags())
                if row is not None else None)

    def _item(self, row: Any, decided: Optional[str],
              flags: Dict[int, Optional[str]]) -> Optional[InboxItem]:
        try:
            data = json.loads(row.data or "{}")
        except ValueError:
            return None
        text = (data.get("text") or "").strip()
        parse = data.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        if not text or text.startswith("/") or not counted(intent):
            return None
        confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
        ranking = [{"intent": r.get("name"), "confidence": round(float(r.get("confidence") or 0), 4)}
                   for r in parse.get("intent_ranking") or [] if r.get("name") != intent]
        reasons = [FALLBACK] if intent == FALLBACK_INTENT else (
            [LOW_CONFIDENCE] if confidence < self._threshold else [])
        article = _help_article(parse)
        gateway_message = (data.get("metadata") or {}).get("gateway_message_id")
        flagged = gateway_message in flags
        if flagged:
            reasons.append(FLAGGED)
        if intent == FALLBACK_INTENT and ranking:
            confidence = ranking[0]["confidence"]  # what the classifier thought before falling back
        moment = datetime.fromtimestamp(float(data.get("timestamp") or 0), tz=timezone.utc)
        return InboxItem(
            id=row.id, conversation_id=row.sender_id, text=text, intent=intent,
            confidence=round(confidence, 4), next_best=ranking[:NEXT_BEST],
            entities=[{"entity": e.get("entity"), "value": e.get("value"), "start": e.get("start"),
                       "end": e.get("end")} for e in parse.get("entities") or []],
            reasons=reasons, at=moment.isoformat().replace("+00:00", "Z"), decided=decided,
            emotion=parse.get("emotion") or {},
            flag_note=flags.get(gateway_message) if flagged else None, help_article=article)


def _response_of(row: Any) -> Optional[str]:
    """The domain response a bot event row said (Rasa keeps its name in the metadata)."""
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        return None
    return (data.get("metadata") or {}).get("utter_action")


def _help_article(parse: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The help centre's best article for a message, without the passage (trainers open
    the article itself)."""
    found = parse.get(HELP_ARTICLE)
    if not isinstance(found, dict) or not isinstance(found.get("slug"), str):
        return None
    return {"slug": found["slug"], "title": str(found.get("title") or ""),
            "section": str(found.get("section") or ""),
            "score": float(found.get("score") or 0.0), "confident": found.get("confident") is True}
