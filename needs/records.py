"""Confirmed requirement sheets: stored with their customer and conversation, listed for
the staff who may read them (needs/visibility.py), and queued for the teams' webhook in the
same transaction; what the customer adds later is kept with the sheet and sent again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, List, Mapping, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from ground.clock import utcnow
from handoff.accounts import StaffMember
from needs.extraction import FIELDS, NOT_KNOWN
from needs.models import DeliveryStatus, Requirement, RequirementNote, WebhookDelivery
from needs.visibility import readable_sheet, readable_sheets

MAX_FIELD = 1000
# what one requirement takes from its customer later: enough for a real project, not a
# channel to flood the teams' webhook with
MAX_NOTES = 20


# why a note was not added (RequirementStore.add_note)
NOT_THEIRS, TOO_MANY = "not_theirs", "too_many"


def reference(requirement_id: int) -> str:
    """The number a customer and the teams quote, e.g. REQ-00042."""
    return f"REQ-{requirement_id:05d}"


@dataclass(frozen=True)
class RequirementSheet:
    """The six fields as the customer confirmed them; None where they did not know."""

    what: Optional[str] = None
    why: Optional[str] = None
    when: Optional[str] = None
    where: Optional[str] = None
    who: Optional[str] = None
    how: Optional[str] = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "RequirementSheet":
        values: Dict[str, Optional[str]] = {}
        for name in FIELDS:
            raw = slots.get(f"need_{name}")
            text = str(raw).strip()[:MAX_FIELD] if raw is not None else ""
            values[name] = text if text and text != NOT_KNOWN else None
        return cls(**values)

    def to_json(self) -> Dict[str, Optional[str]]:
        return {name: getattr(self, name) for name in FIELDS}


def requirement_json(row: Requirement) -> Dict[str, Any]:
    return {
        "id": row.id,
        "reference": reference(row.id),
        "conversation_id": row.conversation_id,
        "customer_id": row.customer_id,
        "channel": row.channel,
        "fields": {name: getattr(row, name) for name in FIELDS},
        "details": row.details or {},
        "created_at": row.created_at.isoformat() + "Z",
        "notes": [{"text": note.text, "created_at": note.created_at.isoformat() + "Z"} for note in row.notes],
    }


class RequirementStore:
    def __init__(self, sessions: sessionmaker,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._clock = clock

    def save(self, conversation_id: str, channel: str, customer_id: Optional[int],
             sheet: RequirementSheet, details: Dict[str, List[str]],
             webhook_url: str = "") -> int:
        """Stores a confirmed sheet; with a webhook configured, its delivery is queued in
        the same transaction, so a sheet is never stored without being sent."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = Requirement(conversation_id=conversation_id, channel=channel,
                              customer_id=customer_id, details=details, created_at=now,
                              **sheet.to_json())
            session.add(row)
            session.flush()
            if webhook_url:
                session.add(WebhookDelivery(requirement_id=row.id, url=webhook_url,
                                            status=DeliveryStatus.PENDING, attempts=0,
                                            next_attempt_at=now, created_at=now))
            return row.id

    def add_note(self, requirement_id: int, conversation_id: str, customer_id: Optional[int],
                 text: str, webhook_url: str = "") -> Optional[str]:
        """Adds the customer's words to their confirmed requirement and, with a webhook
        configured, queues the sheet to be sent again with them. Only the requirement's own
        conversation or customer may add to it: anyone can type a reference. Returns why
        nothing was added (`NOT_THEIRS`, `TOO_MANY`), or None when it was."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(Requirement, requirement_id)
            if not _theirs(row, conversation_id, customer_id):
                return NOT_THEIRS
            if len(row.notes) >= MAX_NOTES:
                return TOO_MANY
            session.add(RequirementNote(requirement_id=row.id, conversation_id=conversation_id,
                                        text=" ".join(text.split())[:MAX_FIELD], created_at=now))
            if webhook_url:
                session.add(WebhookDelivery(requirement_id=row.id, url=webhook_url,
                                            status=DeliveryStatus.PENDING, attempts=0,
                                            next_attempt_at=now, created_at=now))
            return None

    def is_theirs(self, requirement_id: int, conversation_id: str, customer_id: Optional[int]) -> bool:
        """Whether the requirement was confirmed in this conversation or by this customer."""
        with self._sessions() as session:
            return _theirs(session.get(Requirement, requirement_id), conversation_id, customer_id)

    def get(self, requirement_id: int) -> Optional[Dict[str, Any]]:
        """Any sheet, for CareDesk itself (the customer's e-mail copy); staff read theirs
        through `readable`."""
        with self._sessions() as session:
            row = session.get(Requirement, requirement_id)
            return requirement_json(row) if row is not None else None

    def readable_one(self, member: StaffMember, requirement_id: int) -> Optional[Dict[str, Any]]:
        """The sheet if this member may read it; None when it does not exist or they may not."""
        with self._sessions() as session:
            row = readable_sheet(session, member, requirement_id)
            return requirement_json(row) if row is not None else None

    def readable(self, member: StaffMember, conversation_id: Optional[str] = None,
                 customer_id: Optional[int] = None, limit: int = 50) -> List[Dict[str, Any]]:
        """The newest sheets this member may read, of one conversation or customer or all."""
        # (each sheet's notes in one more query for the page, not one per sheet)
        query = select(Requirement).options(selectinload(Requirement.notes)).order_by(Requirement.id.desc())
        if conversation_id is not None:
            query = query.where(Requirement.conversation_id == conversation_id)
        if customer_id is not None:
            query = query.where(Requirement.customer_id == customer_id)
        with self._sessions() as session:
            return [requirement_json(row) for row in readable_sheets(session, member, query, limit)]

    def sessions(self) -> Session:
        return self._sessions()


def _theirs(row: Optional[Requirement], conversation_id: str, customer_id: Optional[int]) -> bool:
    return row is not None and (row.conversation_id == conversation_id
                                or (customer_id is not None and row.customer_id == customer_id))
