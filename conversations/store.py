"""The durable conversation store: every read and write of the gateway's tables.

Each method is one short transaction on a synchronous SQLAlchemy session (SQLite or
PostgreSQL alike); the async gateway calls them through `asyncio.to_thread`. Methods
return plain dataclasses, never live ORM objects, so nothing leaks across threads.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import exists, select, update
from sqlalchemy.sql import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from conversations.models import (
    Author,
    ChannelIdentity,
    ChatCustomer,
    Conversation,
    Delivery,
    DeliveryStatus,
    Direction,
    Message,
    State,
)
from conversations.typed_text import reads_as_command
from ground.clock import utcnow

WEB = "web"
# how many of the last messages to the customer a button of words (not a command) may come from
WORDS_BUTTONS_KEPT = 40
TELEGRAM = "telegram"


@dataclass(frozen=True)
class ConversationRecord:
    id: str
    channel: str
    state: str
    needs_human: bool
    flag_reason: Optional[str]
    chat_customer_id: int
    customer_id: Optional[int]
    address: str  # the channel identity's external id (Telegram chat id; web: browser id)
    token_generation: int = 0  # customer tokens of an older generation are revoked


@dataclass(frozen=True)
class MessageRecord:
    id: int
    conversation_id: str
    channel: str
    direction: str
    author: str
    kind: str
    text: Optional[str]
    payload: Optional[str]
    buttons: List[Dict[str, str]] = field(default_factory=list)
    created_at: Optional[datetime] = None
    client_message_id: Optional[str] = None
    client_address: Optional[str] = None  # inbound only; never in the public form

    def to_json(self) -> Dict[str, Any]:
        """The public form of a message (API, WebSocket)."""
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "author": self.author,
            "direction": self.direction,
            "kind": self.kind,
            "text": self.text,
            "buttons": list(self.buttons),
            "client_message_id": self.client_message_id,
            "created_at": self.created_at.isoformat() + "Z" if self.created_at else None,
        }


@dataclass(frozen=True)
class DeliveryRecord:
    id: int
    message: MessageRecord
    channel: str
    address: str
    attempts: int


def _conversation_record(row: Conversation) -> ConversationRecord:
    return ConversationRecord(
        id=row.id,
        channel=row.channel,
        state=row.state,
        needs_human=row.needs_human,
        flag_reason=row.flag_reason,
        chat_customer_id=row.chat_customer_id,
        customer_id=row.identity.chat_customer.customer_id,
        address=row.identity.external_id,
        token_generation=row.token_generation or 0,
    )


@dataclass(frozen=True)
class StoredInbound:
    """A customer message as stored: whether it is new, and (when it is) its conversation
    as it was once the message was in."""

    message: MessageRecord
    created: bool
    conversation: Optional[ConversationRecord] = None


def _message_record(row: Message) -> MessageRecord:
    return MessageRecord(
        id=row.id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        direction=row.direction,
        author=row.author,
        kind=row.kind,
        text=row.text,
        payload=row.payload,
        buttons=list(row.buttons or []),
        created_at=row.created_at,
        client_message_id=row.client_message_id,
        client_address=row.client_address,
    )


def due_deliveries_query(now: datetime, limit: int) -> Select:
    """The deliveries due at `now` with their messages, oldest first, none behind an older
    one to the same address that waits for its retry (index ix_deliveries_address_waiting)."""
    waiting = aliased(Delivery)
    return (
        select(Delivery, Message)
        .join(Message, Message.id == Delivery.message_id)
        .where(
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at <= now,
            ~exists().where(waiting.channel == Delivery.channel, waiting.address == Delivery.address,
                            waiting.status == DeliveryStatus.PENDING, waiting.next_attempt_at > now,
                            waiting.id < Delivery.id),
        )
        .order_by(Delivery.id)
        .limit(limit)
    )


class ConversationStore:
    """Conversations, messages and deliveries in the gateway's database."""

    def __init__(
        self, sessions: sessionmaker, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    # --- conversations ------------------------------------------------------------------
    def _new_conversation(
        self, session: Session, identity: ChannelIdentity, channel: str
    ) -> Conversation:
        now = self._clock()
        conversation = Conversation(
            id=secrets.token_hex(16), channel=channel, identity=identity,
            chat_customer_id=identity.chat_customer_id, state=State.BOT,
            needs_human=False, created_at=now, updated_at=now,
        )
        session.add(conversation)
        return conversation

    def create_web_conversation(self) -> ConversationRecord:
        """A new anonymous web visitor with a new conversation."""
        now = self._clock()
        with self._sessions.begin() as session:
            person = ChatCustomer(created_at=now)
            identity = ChannelIdentity(
                chat_customer=person, channel=WEB, external_id=secrets.token_hex(16),
                created_at=now,
            )
            session.add_all([person, identity])
            session.flush()
            conversation = self._new_conversation(session, identity, WEB)
            session.flush()
            return _conversation_record(conversation)

    def conversation_for_address(
        self, channel: str, address: str, display_name: Optional[str] = None
    ) -> ConversationRecord:
        """The current conversation of a push-channel address (a Telegram chat), made on
        first contact. Safe when two updates of a new chat arrive at once."""
        for _ in range(2):
            try:
                with self._sessions.begin() as session:
                    identity = session.execute(
                        select(ChannelIdentity).where(
                            ChannelIdentity.channel == channel,
                            ChannelIdentity.external_id == address,
                        )
                    ).scalar_one_or_none()
                    if identity is None:
                        now = self._clock()
                        person = ChatCustomer(display_name=display_name, created_at=now)
                        identity = ChannelIdentity(
                            chat_customer=person, channel=channel, external_id=address,
                            created_at=now,
                        )
                        session.add_all([person, identity])
                        session.flush()
                    conversation = session.execute(
                        select(Conversation)
                        .where(Conversation.identity_id == identity.id)
                        .order_by(Conversation.created_at.desc())
                        .limit(1)
                    ).scalar_one_or_none()
                    if conversation is None:
                        conversation = self._new_conversation(session, identity, channel)
                        session.flush()
                    return _conversation_record(conversation)
            except IntegrityError:
                continue  # the other update created it first; read it on the retry
        raise RuntimeError(f"could not create a conversation for {channel}:{address}")

    def conversation(self, conversation_id: str) -> Optional[ConversationRecord]:
        with self._sessions() as session:
            row = session.get(Conversation, conversation_id)
            return _conversation_record(row) if row is not None else None

    def revoke_customer_tokens(self, conversation_id: str) -> Optional[int]:
        """Ends every customer token of the conversation issued so far; returns the new
        generation (None: no such conversation)."""
        with self._sessions.begin() as session:
            updated = session.execute(
                update(Conversation).where(Conversation.id == conversation_id)
                .values(token_generation=Conversation.token_generation + 1)
            )
            if updated.rowcount == 0:
                return None
            return session.execute(select(Conversation.token_generation).where(
                Conversation.id == conversation_id)).scalar_one()

    def flag_for_human(self, conversation_id: str, reason: str) -> None:
        """Marks the conversation for a human (the handoff queue turns it into a ticket)."""
        now = self._clock()
        with self._sessions.begin() as session:
            session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id)
                .values(needs_human=True, flag_reason=reason, flagged_at=now, updated_at=now)
            )

    def flagged(self) -> List[ConversationRecord]:
        with self._sessions() as session:
            rows = session.execute(
                select(Conversation).where(Conversation.needs_human.is_(True))
            ).scalars()
            return [_conversation_record(row) for row in rows]

    # --- messages -----------------------------------------------------------------------
    def add_inbound(self, conversation: ConversationRecord, **message: Any) -> tuple[MessageRecord, bool]:
        """Stores a customer message (the fields of `store_inbound`); returns it and whether it
        is new (a message resent with the same client id is stored once)."""
        stored = self.store_inbound(conversation, **message)
        return stored.message, stored.created

    def store_inbound(
        self,
        conversation: ConversationRecord,
        *,
        text: Optional[str],
        payload: Optional[str] = None,
        kind: str = "text",
        client_message_id: Optional[str] = None,
        client_address: Optional[str] = None,
    ) -> StoredInbound:
        """`add_inbound`, with the conversation as it is once a new message is stored (read in
        the same transaction: the turn that routes it needs no second read)."""
        if client_message_id:
            existing = self.by_client_id(conversation.id, client_message_id)
            if existing is not None:
                return StoredInbound(existing, False)
        now = self._clock()
        try:
            with self._sessions.begin() as session:
                row = Message(
                    conversation_id=conversation.id, channel=conversation.channel,
                    direction=Direction.INBOUND, author=Author.CUSTOMER, kind=kind, text=text,
                    payload=payload, client_message_id=client_message_id, created_at=now,
                    client_address=(client_address or None) and client_address[:64],
                )
                session.add(row)
                session.execute(
                    update(Conversation)
                    .where(Conversation.id == conversation.id)
                    .values(updated_at=now)
                )
                session.flush()
                current = session.get(Conversation, conversation.id)
                return StoredInbound(_message_record(row), True,
                                     _conversation_record(current) if current is not None else None)
        except IntegrityError:
            existing = self.by_client_id(conversation.id, client_message_id or "")
            if existing is None:
                raise
            return StoredInbound(existing, False)

    def by_client_id(self, conversation_id: str, client_message_id: str) -> Optional[MessageRecord]:
        """The conversation's message with the sender's own id (a customer's or an agent's)."""
        with self._sessions() as session:
            row = session.execute(
                select(Message).where(
                    Message.conversation_id == conversation_id,
                    Message.client_message_id == client_message_id,
                )
            ).scalar_one_or_none()
            return _message_record(row) if row is not None else None

    def add_outbound(
        self,
        conversation: ConversationRecord,
        *,
        author: str,
        text: Optional[str],
        buttons: Sequence[Dict[str, str]] = (),
        push: bool = False,
        client_message_id: Optional[str] = None,
    ) -> MessageRecord:
        """Stores a message to the customer; on a push channel (Telegram) also the delivery
        that the delivery worker will retry until it succeeds. A `client_message_id` (an
        agent's own id for a reply) already used in the conversation raises IntegrityError
        and stores nothing."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = Message(
                conversation_id=conversation.id, channel=conversation.channel,
                direction=Direction.OUTBOUND, author=author, kind="text", text=text,
                buttons=list(buttons) or None, client_message_id=client_message_id,
                created_at=now, handled_at=now,
            )
            session.add(row)
            session.flush()
            if push:
                session.add(Delivery(
                    message_id=row.id, channel=conversation.channel,
                    address=conversation.address, status=DeliveryStatus.PENDING,
                    attempts=0, next_attempt_at=now,
                ))
            return _message_record(row)

    def add_outbound_all(
        self,
        conversation: ConversationRecord,
        *,
        author: str,
        messages: Sequence[Tuple[Optional[str], Sequence[Dict[str, str]]]],
        push: bool = False,
    ) -> List[MessageRecord]:
        """`add_outbound` for several messages (text, buttons) in order, in one transaction:
        the assistant's replies to one turn."""
        now = self._clock()
        with self._sessions.begin() as session:
            rows = [Message(
                conversation_id=conversation.id, channel=conversation.channel,
                direction=Direction.OUTBOUND, author=author, kind="text", text=text,
                buttons=list(buttons) or None, created_at=now, handled_at=now,
            ) for text, buttons in messages]
            for row in rows:
                # one by one, so that their ids keep the order they are said in
                session.add(row)
                session.flush()
            if push:
                session.add_all([Delivery(
                    message_id=row.id, channel=conversation.channel,
                    address=conversation.address, status=DeliveryStatus.PENDING,
                    attempts=0, next_attempt_at=now,
                ) for row in rows])
            return [_message_record(row) for row in rows]

    def is_handled(self, message_id: int) -> bool:
        """Whether an inbound message has been routed already."""
        with self._sessions() as session:
            return session.execute(
                select(Message.handled_at).where(Message.id == message_id)
            ).scalar_one_or_none() is not None

    def mark_handled(self, message_id: int) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(Message).where(Message.id == message_id).values(handled_at=self._clock())
            )

    def finish_turn(self, message_id: int, conversation_id: str) -> Optional[ConversationRecord]:
        """Marks an inbound message routed and returns its conversation as the turn left it,
        in one transaction."""
        with self._sessions.begin() as session:
            session.execute(
                update(Message).where(Message.id == message_id).values(handled_at=self._clock())
            )
            row = session.get(Conversation, conversation_id)
            return _conversation_record(row) if row is not None else None

    def unhandled_inbound(self, older_than: timedelta = timedelta(0)) -> List[MessageRecord]:
        """Customer messages that were stored but never routed (the gateway stopped)."""
        cutoff = self._clock() - older_than
        with self._sessions() as session:
            rows = session.execute(
                select(Message)
                .where(
                    Message.direction == Direction.INBOUND,
                    Message.handled_at.is_(None),
                    Message.created_at <= cutoff,
                )
                .order_by(Message.id)
            ).scalars()
            return [_message_record(row) for row in rows]

    def message(self, message_id: int) -> Optional[MessageRecord]:
        with self._sessions() as session:
            row = session.get(Message, message_id)
            return _message_record(row) if row is not None else None

    def messages_after(
        self, conversation_id: str, after: int = 0, limit: int = 200
    ) -> List[MessageRecord]:
        with self._sessions() as session:
            rows = session.execute(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.id > after)
                .order_by(Message.id)
                .limit(limit)
            ).scalars()
            return [_message_record(row) for row in rows]

    def offered_title(self, conversation_id: str, payload: str) -> Optional[str]:
        """The title of the button with `payload` when the assistant offered it recently
        enough to be pressed: in its last five messages, or, for a button of words rather than
        a command, its last forty ("You also asked about …" is to be pressed once the task
        before it is done, many messages later); None otherwise. The web and Telegram both ask
        here."""
        offered = self.offered_buttons(conversation_id)
        if payload not in offered and not reads_as_command(payload):
            offered = self.offered_buttons(conversation_id, WORDS_BUTTONS_KEPT)
        return offered.get(payload)

    def offered_buttons(self, conversation_id: str, recent: int = 5) -> Dict[str, str]:
        """payload → title of the buttons in the last few messages to the customer: the
        only payloads a customer may send back (anything else must come as text)."""
        with self._sessions() as session:
            rows = session.execute(
                select(Message.buttons)
                .where(
                    Message.conversation_id == conversation_id,
                    Message.direction == Direction.OUTBOUND,
                )
                .order_by(Message.id.desc())
                .limit(recent)
            ).scalars()
            offered: Dict[str, str] = {}
            for buttons in rows:  # newest first: the newest title of a payload wins
                for button in buttons or []:
                    if isinstance(button, dict) and button.get("payload"):
                        offered.setdefault(str(button["payload"]), str(button.get("title") or ""))
            return offered

    def written_before_question(self, conversation_id: str, payload: str, recent: int = 5,
                                back: int = 20) -> List[MessageRecord]:
        """The customer's messages, newest first, before the newest question offering `payload`
        (in the last `recent` messages to them) and after the assistant last spoke (the
        gateway's own notices in between are passed over): what they wrote while waiting,
        which the question answers. Empty when there is no such question."""
        with self._sessions() as session:
            asked = session.execute(
                select(Message.id, Message.buttons)
                .where(Message.conversation_id == conversation_id,
                       Message.direction == Direction.OUTBOUND)
                .order_by(Message.id.desc()).limit(recent)).all()
            question = next((row.id for row in asked
                             if any(isinstance(button, dict) and button.get("payload") == payload
                                    for button in row.buttons or [])), None)
            if question is None:
                return []
            rows = session.execute(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.id < question)
                .order_by(Message.id.desc()).limit(back)).scalars()
            written: List[MessageRecord] = []
            for row in rows:
                if row.direction == Direction.OUTBOUND and row.author == Author.BOT:
                    break
                if row.direction == Direction.INBOUND:
                    written.append(_message_record(row))
            return written

    # --- deliveries ---------------------------------------------------------------------
    def due_deliveries(self, limit: int = 50) -> List[DeliveryRecord]:
        """The pending deliveries due now, oldest first; not one that would overtake an older
        message to the same address still waiting for its retry (it failed in an earlier
        round: the order a customer reads them in is the order they were written in)."""
        with self._sessions() as session:
            rows = session.execute(due_deliveries_query(self._clock(), limit)).all()
            return [
                DeliveryRecord(
                    id=delivery.id, message=_message_record(message),
                    channel=delivery.channel, address=delivery.address,
                    attempts=delivery.attempts,
                )
                for delivery, message in rows
            ]

    def delivery_sent(self, delivery_id: int, external_id: Optional[str]) -> None:
        now = self._clock()
        with self._sessions.begin() as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None:
                return
            delivery.status = DeliveryStatus.SENT
            delivery.attempts += 1
            delivery.sent_at = now
            session.execute(
                update(Message)
                .where(Message.id == delivery.message_id)
                .values(external_id=external_id)
            )

    def delivery_failed(
        self, delivery_id: int, error: str, retry_in: Optional[timedelta]
    ) -> None:
        """Records a failed attempt: retried after `retry_in`, or given up (None), which
        leaves the row visible as failed rather than dropping it."""
        with self._sessions.begin() as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None:
                return
            delivery.attempts += 1
            delivery.last_error = error[:400]
            if retry_in is None:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = self._clock() + retry_in
