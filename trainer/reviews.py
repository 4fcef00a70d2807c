"""A trainer's decision on an inbox message: confirm the predicted intent, correct it (to
an existing or a new intent), or discard the message. Confirmed and corrected messages are
masked (trainer.masking) and written into the training data (trainer.training_data); every
decision is recorded once (a second decision on the same message is refused).

A decision works on the message as the trainer was shown it (personal data already
replaced by placeholders, trainer.inbox.shown): the spans a trainer marks are offsets in
that text, and the placeholders become the personal-data entity examples."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, Optional, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ground.clock import utcnow
from handoff.accounts import StaffMember
from reports.tracker import FALLBACK_INTENT
from trainer.inbox import Inbox
from trainer.masking import Span, SpanError, mask
from trainer.models import ReviewDecision, Verdict
from trainer.evaluation import heldout_texts
from trainer.training_data import TrainingData, TrainingDataError, plain


class Reviews:
    def __init__(self, sessions: sessionmaker, inbox: Inbox, data: TrainingData,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._inbox = inbox
        self._data = data
        self._clock = clock

    def decide(self, event_id: int, member: StaffMember, verdict: str,
               intent: Optional[str] = None, create_intent: bool = False,
               marked: Sequence[Span] = ()) -> Dict[str, Any]:
        """`marked`: entity spans the trainer marked on the message's shown text."""
        if verdict not in Verdict.ALL:
            raise TrainingDataError(422, f"verdict must be one of {', '.join(Verdict.ALL)}")
        item = self._inbox.item(event_id)
        if item is None:
            raise TrainingDataError(404, "no such customer message")
        if item.decided is not None:
            raise TrainingDataError(409, f"this message was already reviewed ({item.decided})")
        example: Optional[str] = None
        entities: list = []
        if verdict == Verdict.CONFIRM:
            if item.intent == FALLBACK_INTENT:
                raise TrainingDataError(422, "a fallback has no intent to confirm; correct it")
            intent, create_intent = item.intent, False
        if verdict == Verdict.DISCARD:
            intent = None
        else:
            unknown = sorted({span.entity for span in marked} - self._data.known_entities())
            if unknown:
                raise TrainingDataError(422, f"no such entity: {', '.join(unknown)}")
            try:
                masked = mask(item.text, self._data.root, marked, item.personal)
            except SpanError as error:
                raise TrainingDataError(422, str(error)) from None
            if plain(masked.text) in heldout_texts():
                raise TrainingDataError(409, "these words are in the held-out test set "
                                             "(tests/heldout): no model may train on them")
            written = self._data.add(intent or "", masked.text, create_intent)
            example, entities = written.example, masked.entities
        try:
            with self._sessions.begin() as session:
                session.add(ReviewDecision(
                    tracker_event_id=event_id, conversation_id=item.conversation_id,
                    verdict=verdict, predicted_intent=item.intent, intent=intent, example=example,
                    entities=entities, reviewer_id=member.id, decided_at=self._clock()))
        except IntegrityError:
            raise TrainingDataError(409, "this message was already reviewed") from None
        return {"id": event_id, "verdict": verdict, "intent": intent, "example": example,
                "entities": entities}
