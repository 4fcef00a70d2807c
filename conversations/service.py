"""Routes every customer message: store it, hand it to whoever is in charge, store and
deliver what comes back. The one place that decides what happens to an inbound message.

Order of work for one message: (1) it is written to the database (before any channel is
told it was received); (2) while the bot is in charge it goes to Rasa, and each reply is
stored and published to the conversation's watchers, and queued for delivery on push
channels (Telegram); (3) if the assistant is down, the customer hears so at once and the
conversation is flagged for a human and handed over. Load is never a reason to hand over:
turns to the assistant pass an admission gate (a bounded number in flight, the rest
waiting in order), the customer sees that an answer is on its way (a `typing` event, and
Telegram's typing action) and is told the wait when it is long, and a slow but living
Rasa is waited for (conversations.assistant). Messages of one conversation are
routed one at a time, in order. While a person is in charge (queued, agent), messages are
stored and shown to staff live; while queued, the assistant also answers a quick question
(bot/channels/queued_questions.py), and the ticket keeps its place.
"""

from __future__ import annotations

import asyncio
import logging
import math
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Dict, List, Mapping, Optional, Protocol, Tuple
from weakref import WeakValueDictionary

from conversations.typed_text import as_typed_text
from conversations import notices, queue_waiting, queue_withdrawal
from conversations.queue_waiting import WaitNews
from conversations.admission import Admission, LongWait
from conversations.assistant import AssistantClient, AssistantUnavailable, Reply
from conversations.channel_protocol import QUEUED_KEY, WITH_PERSON_KEY
from conversations.delivery import DELIVERIES_TOPIC
from ground.events import STAFF_TOPIC, EventBus
from conversations.models import Author, State
from conversations.store import ConversationRecord, ConversationStore, MessageRecord, StoredInbound

logger = logging.getLogger(__name__)

# channels whose replies the gateway pushes (the web chat reads them from the API/WebSocket)
PUSH_CHANNELS = frozenset({"telegram"})
# what the gateway tells the assistant when a person has resolved the case, and when the
# customer left the queue before anyone did
HANDOFF_RESOLVED = "/EXTERNAL_handoff_resolved"
# ... closed not solved, or with no answer; closed quietly after a crisis or a loss
# (handoff/closing.py decides which)
HANDOFF_CLOSED = "/EXTERNAL_handoff_closed"
HANDOFF_CLOSED_QUIETLY = "/EXTERNAL_handoff_closed_quietly"
HANDOFF_WITHDRAWN = "/EXTERNAL_handoff_withdrawn"
CARRY_ON_HERE = "/EXTERNAL_carry_on_here"
# Telegram shows a chat action for 5 s: it is sent again this often while a turn waits
TYPING_REPEAT_SECONDS = 4.0
# without an admission gate of its own, the service lets every turn through at once
UNLIMITED = 1_000_000


class TypingSender(Protocol):
    """A push channel that can show the customer an answer is on its way."""

    async def send_typing(self, address: str) -> None: ...


class HandoffListener(Protocol):
    """The handoff desk, told when a conversation needs a person."""

    async def conversation_queued(self, conversation_id: str) -> None: ...

    async def may_withdraw(self, conversation_id: str) -> bool: ...

    async def customer_withdrew(self, conversation_id: str) -> bool: ...

    async def wait_news(self, conversation_id: str) -> Optional[WaitNews]: ...

    async def assistant_unavailable(self, conversation: ConversationRecord, reason: str) -> None: ...


@dataclass
class RoutingResult:
    message: MessageRecord
    replies: List[MessageRecord] = field(default_factory=list)
    state: str = State.BOT
    duplicate: bool = False


class ConversationService:
    def __init__(
        self,
        store: ConversationStore,
        assistant: AssistantClient,
        events: EventBus,
        *,
        admission: Optional[Admission] = None,
        wait_notice_seconds: float = math.inf,
        typing_senders: Optional[Mapping[str, TypingSender]] = None,
    ) -> None:
        """`admission` bounds the turns in flight to the assistant; a turn expected to wait
        there longer than `wait_notice_seconds` tells the customer the wait;
        `typing_senders` show the typing indicator on push channels, by channel."""
        self._store = store
        self._assistant = assistant
        self._events = events
        self._admission = admission or Admission(UNLIMITED)
        self._wait_notice_seconds = wait_notice_seconds
        self._typing_senders: Mapping[str, TypingSender] = typing_senders or {}
        self._locks: "WeakValueDictionary[str, asyncio.Lock]" = WeakValueDictionary()
        self._handoff: Optional[HandoffListener] = None

    def attach_handoff(self, listener: HandoffListener) -> None:
        self._handoff = listener

    def _publish(self, conversation: ConversationRecord, event: Dict[str, Any]) -> None:
        """To the conversation's watchers, and to staff while a person is in charge."""
        self._events.publish(conversation.id, event)
        if conversation.state != State.BOT:
            self._events.publish(STAFF_TOPIC, dict(event, conversation_id=conversation.id))

    def _lock(self, conversation_id: str) -> asyncio.Lock:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock

    async def receive(
        self,
        conversation: ConversationRecord,
        *,
        text: Optional[str] = None,
        payload: Optional[str] = None,
        kind: str = "text",
        client_message_id: Optional[str] = None,
        client_address: Optional[str] = None,
    ) -> tuple[MessageRecord, bool]:
        """Stores and publishes a customer message without routing it (a webhook acknowledges
        first and routes after, with `route_stored`). Durable when this returns."""
        stored = await self._receive(conversation, text=text, payload=payload, kind=kind,
                                     client_message_id=client_message_id,
                                     client_address=client_address)
        return stored.message, stored.created

    async def _receive(self, conversation: ConversationRecord, **message: Any) -> StoredInbound:
        stored = await asyncio.to_thread(self._store.store_inbound, conversation, **message)
        if stored.created:
            self._publish(conversation, {"type": "message", "message": stored.message.to_json()})
        return stored

    async def handle(
        self,
        conversation: ConversationRecord,
        *,
        text: Optional[str] = None,
        payload: Optional[str] = None,
        kind: str = "text",
        client_message_id: Optional[str] = None,
        client_address: Optional[str] = None,
    ) -> RoutingResult:
        """Stores and routes one customer message; returns what was sent back."""
        async with self._lock(conversation.id):
            stored = await self._receive(
                conversation, text=text, payload=payload, kind=kind,
                client_message_id=client_message_id, client_address=client_address,
            )
            message, created = stored.message, stored.created
            if not created and not await asyncio.to_thread(self._store.is_handled, message.id):
                # stored by a gateway process that stopped before routing it: route it now
                return await self._route(conversation, message)
            if not created:
                # a resend of a message we already have: answer with what followed it
                later = await asyncio.to_thread(
                    self._store.messages_after, conversation.id, message.id, 50
                )
                replies = []
                for item in later:
                    if item.author == Author.CUSTOMER:
                        break
                    replies.append(item)
                return RoutingResult(message, replies, conversation.state, duplicate=True)
            return await self._route(conversation, message, current=stored.conversation)

    async def route_stored(self, message: MessageRecord) -> Optional[RoutingResult]:
        """Routes a message that was stored but never routed (after a restart)."""
        conversation = await asyncio.to_thread(self._store.conversation, message.conversation_id)
        if conversation is None:
            return None
        async with self._lock(conversation.id):
            if await asyncio.to_thread(self._store.is_handled, message.id):
                return None  # routed meanwhile: the start-up recovery and a webhook both saw it
            return await self._route(conversation, message)

    async def _route(
        self, conversation: ConversationRecord, message: MessageRecord,
        current: Optional[ConversationRecord] = None,
    ) -> RoutingResult:
        """`current`: the conversation read after the message was stored, when the caller has it."""
        if current is None:
            current = await asyncio.to_thread(self._store.conversation, conversation.id)
        conversation = current or conversation
        replies: List[MessageRecord] = []
        if conversation.state == State.QUEUED:
            replies.extend(await self._while_queued(conversation, message))
        elif conversation.state == State.AGENT:
            # the agent reads it from the store; the assistant reads it only for a crisis
            replies.extend(await self._read_with_person(conversation, message))
        elif message.payload in queue_withdrawal.PAYLOADS:
            # a queue question's button pressed after the queue was left (or a person resolved)
            replies.append(await self._say(conversation, Author.SYSTEM, notices.NOT_QUEUED))
        elif message.kind not in ("text", "button"):
            replies.append(
                await self._say(conversation, Author.SYSTEM, notices.non_text_notice(message.kind))
            )
        else:
            replies.extend(await self._ask_assistant(
                conversation, message, *_assistant_input(message)))
        after = await asyncio.to_thread(self._store.finish_turn, message.id, conversation.id)
        state = await self._state_after_turn(conversation, after)
        return RoutingResult(message, replies, state)

    async def _while_queued(
        self, conversation: ConversationRecord, message: MessageRecord
    ) -> List[MessageRecord]:
        """A message written while waiting for a person: kept for them, and a customer who
        seems to need them no more is asked, and leaves the queue on the "yes" button (or a
        typed "yes" while the question's buttons are still on the screen)."""
        payload = message.payload
        meant = queue_withdrawal.typed_answer(message.text or "") if payload is None else None
        # a plain yes or no only: every other message waits without a read of the store
        # (only while the question is the newest message: an "ok" to "you keep your place"
        # took a customer out of the queue)
        if meant is not None and queue_withdrawal.WITHDRAW in await asyncio.to_thread(
                self._store.offered_buttons, conversation.id, 1):
            payload = meant
        if payload == queue_withdrawal.WITHDRAW and self._handoff is not None:
            # read before leaving: the question is the newest message offering the button
            written = await asyncio.to_thread(self._store.written_before_question, conversation.id,
                                              queue_withdrawal.WITHDRAW)
            if not await self._handoff.customer_withdrew(conversation.id):
                # a person has it (or must close it): they read this message
                return [await self._say(conversation, Author.SYSTEM, notices.KEPT_FOR_THE_TEAM)]
            # back with the bot (the watchers hear the new state after the turn)
            conversation = await asyncio.to_thread(self._store.conversation,
                                                   conversation.id) or conversation
            return await self._carry_on(conversation, written)
        if payload == queue_withdrawal.KEEP_WAITING:
            return [await self._say(conversation, Author.SYSTEM, notices.STILL_QUEUED)]
        buttons = queue_withdrawal.leaving_buttons(message.text or "") if payload is None else None
        if buttons is not None and self._handoff is not None:
            if await self._handoff.may_withdraw(conversation.id):
                question = (notices.LEAVE_QUEUE_QUESTION if buttons == queue_withdrawal.BUTTONS
                            else notices.CARRY_ON_QUESTION)
                return [await self._say(conversation, Author.SYSTEM, question, buttons)]
            # a ticket a person must close: told so, not only "added" (a customer run, 5 of 5)
            kept = await self._say(conversation, Author.SYSTEM, notices.KEPT_FOR_THE_TEAM_WHILE_QUEUED)
            return [kept] + await self._answer_while_queued(conversation, message)
        if (payload is None and self._handoff is not None
                and queue_waiting.asks_about_the_wait(message.text or "")):
            news = await self._handoff.wait_news(conversation.id)
            if news is not None:
                return [await self._say(conversation, Author.SYSTEM, notices.wait_notice(news))]
        if payload is None and queue_waiting.asks_where_the_reply_comes(message.text or ""):
            return [await self._say(conversation, Author.SYSTEM,
                                    notices.reply_channel_notice(conversation.channel))]
        answered = await self._answer_while_queued(conversation, message)
        return answered or [await self._say(conversation, Author.SYSTEM, notices.WAITING_FOR_HUMAN)]

    async def _read_with_person(
        self, conversation: ConversationRecord, message: MessageRecord
    ) -> List[MessageRecord]:
        """What the assistant says to a message written while a person has the conversation:
        nothing, unless it names a crisis or a danger (bot/channels/with_person.py)."""
        return await self._beside_a_person(conversation, message, ("text",), with_person=True)

    async def _answer_while_queued(
        self, conversation: ConversationRecord, message: MessageRecord
    ) -> List[MessageRecord]:
        """The assistant's answer to a message written while waiting, when it is a quick
        question or the reply to one (bot/channels/queued_questions.py)."""
        return await self._beside_a_person(conversation, message, ("text", "button"), queued=True)

    async def _beside_a_person(self, conversation: ConversationRecord, message: MessageRecord,
                               kinds: Tuple[str, ...], **mark: bool) -> List[MessageRecord]:
        """The assistant's replies to a message written while a person is coming or here
        (`mark`: queued or with_person); none when it leaves the message to the person, or
        cannot answer now (the person reads it: nobody is handed over twice)."""
        if message.kind not in kinds:
            return []
        text, command = _assistant_input(message)
        try:
            answers = await self._turn(conversation, message, text, command, **mark)
        except AssistantUnavailable as failure:
            logger.warning("assistant unavailable for %s beside a person: %s", conversation.id, failure)
            return []
        return await self._bot_replies(conversation, answers)

    async def _carry_on(self, conversation: ConversationRecord,
                        written: List[MessageRecord]) -> List[MessageRecord]:
        """Out of the queue: the assistant takes over again. A customer who asked for something
        beside leaving ("forget it, where is HG-100004", in any message written while waiting
        that said so; the newest such) gets it answered at once, and one who would rather carry on here than
        wait is offered the task they were doing before the handoff, or asked what to do
        (EXTERNAL_carry_on_here); a customer who is sorted is thanked (EXTERNAL_handoff_withdrawn)."""
        # (only the messages that said they were leaving: the others were for the person)
        texts = [(message, message.text or "") for message in written if message.kind == "text"
                 and queue_withdrawal.leaving_buttons(message.text or "") is not None]
        for message, text in texts:
            request = queue_withdrawal.request_beside(text)
            if request is not None:
                left = await self._say(conversation, Author.SYSTEM, notices.LEFT_QUEUE_FOR_REQUEST)
                return [left] + await self._ask_assistant(conversation, message, request)
        if any(queue_withdrawal.wants_to_carry_on(text) for _, text in texts):
            # the assistant offers the task the customer was doing before the handoff
            left = await self._say(conversation, Author.SYSTEM, notices.LEFT_QUEUE_TO_CARRY_ON)
            return [left] + await self._ask_assistant(conversation, None, CARRY_ON_HERE, command=True,
                                                      unavailable_notice=notices.WRITE_WHAT_YOU_NEED)
        return await self._ask_assistant(conversation, None, HANDOFF_WITHDRAWN, command=True,
                                         unavailable_notice=notices.LEFT_QUEUE)

    async def _state_after_turn(self, before: ConversationRecord,
                                after: Optional[ConversationRecord] = None) -> str:
        """The state once the turn is over (`after`: the conversation read already); tells the
        desk and the customer of a handoff."""
        if after is None:
            after = await asyncio.to_thread(self._store.conversation, before.id)
        after = after or before
        if after.state != before.state:
            self._publish(after, {"type": "state", "state": after.state})
            if after.state == State.QUEUED and self._handoff is not None:
                await self._handoff.conversation_queued(after.id)
        return after.state

    async def resume_bot(self, conversation_id: str,
                         payload: str = HANDOFF_RESOLVED) -> List[MessageRecord]:
        """After a person closed the case: the assistant takes over again and speaks first,
        with `payload` (one of the HANDOFF_ closings)."""
        async with self._lock(conversation_id):
            conversation = await asyncio.to_thread(self._store.conversation, conversation_id)
            if conversation is None or conversation.state != State.BOT:
                return []
            self._publish(conversation, {"type": "state", "state": State.BOT})
            return await self._ask_assistant(conversation, None, payload, command=True)

    async def send_aftercare(self, conversation_id: str,
                             payload: str) -> Optional[List[MessageRecord]]:
        """A scheduled aftercare message: the assistant speaks first with `payload` (an EXTERNAL_
        intent), and its replies are stored and delivered like any bot reply. None when the
        bot is not in charge (a person has the conversation: try later). Raises
        AssistantUnavailable instead of handing over: nobody is waiting for this message."""
        async with self._lock(conversation_id):
            conversation = await asyncio.to_thread(self._store.conversation, conversation_id)
            if conversation is None or conversation.state != State.BOT:
                return None
            async with self._admission.turn():
                answers = await self._assistant.send(conversation.id, payload,
                                                     _metadata(conversation, None), command=True)
            replies = await self._bot_replies(conversation, answers)
            await self._state_after_turn(conversation)
            return replies

    async def say(self, conversation_id: str, author: str, text: str,
                  client_message_id: Optional[str] = None) -> MessageRecord:
        """A message to the customer from a person or the gateway (not the assistant);
        `client_message_id` as in ConversationStore.add_outbound."""
        conversation = await asyncio.to_thread(self._store.conversation, conversation_id)
        if conversation is None:
            raise LookupError(f"no conversation {conversation_id}")
        return await self._say(conversation, author, text, client_message_id=client_message_id)

    async def _ask_assistant(
        self, conversation: ConversationRecord, message: Optional[MessageRecord], text: str,
        command: bool = False, unavailable_notice: Optional[str] = None,
    ) -> List[MessageRecord]:
        """The assistant's replies to `text`, stored and published. When it is unavailable the
        customer is handed to a person, unless `unavailable_notice` is given: then that is said
        instead (a gateway message nobody waits an answer to, such as the queue just left)."""
        told: List[MessageRecord] = []

        async def tell_the_wait(expected_seconds: float) -> None:
            told.append(await self._say(conversation, Author.SYSTEM,
                                        notices.busy_notice(expected_seconds)))

        try:
            answers = await self._turn(conversation, message, text, command,
                                       long_wait=tell_the_wait, tell_after=self._wait_notice_seconds)
            if not answers and not (await self._assistant.action_server_health())["ok"]:
                raise AssistantUnavailable("action_server_unavailable")
        except AssistantUnavailable as failure:
            logger.warning("assistant unavailable for %s: %s", conversation.id, failure)
            if unavailable_notice is not None:
                return told + [await self._say(conversation, Author.SYSTEM, unavailable_notice)]
            await asyncio.to_thread(self._store.flag_for_human, conversation.id, failure.reason)
            self._publish(conversation, {"type": "flagged", "reason": failure.reason})
            said = await self._say(conversation, Author.SYSTEM, notices.ASSISTANT_UNAVAILABLE)
            if self._handoff is not None:
                await self._handoff.assistant_unavailable(conversation, failure.reason)
            return told + [said]
        return told + await self._bot_replies(conversation, answers)

    async def _turn(self, conversation: ConversationRecord, message: Optional[MessageRecord], text: str,
                    command: bool, queued: bool = False, long_wait: Optional[LongWait] = None,
                    tell_after: float = math.inf, with_person: bool = False) -> List[Reply]:
        """The assistant's replies to `text`, through the admission gate, with the customer
        seeing it typing; `queued` marks a message written while waiting for a person,
        `with_person` one written to a person (no typing shown: the person may be typing)."""
        metadata = {**_metadata(conversation, message), **({QUEUED_KEY: True} if queued else {}),
                    **({WITH_PERSON_KEY: True} if with_person else {})}
        if with_person:
            async with self._admission.turn(long_wait, tell_after):
                return await self._assistant.send(conversation.id, text, metadata, command=command)
        async with self._typing(conversation):
            async with self._admission.turn(long_wait, tell_after):
                return await self._assistant.send(conversation.id, text, metadata, command=command)

    async def _bot_replies(self, conversation: ConversationRecord, answers: List[Reply]) -> List[MessageRecord]:
        """The assistant's replies, stored (in one transaction), published and queued for delivery."""
        if not answers:
            return []
        push = conversation.channel in PUSH_CHANNELS
        records = await asyncio.to_thread(
            self._store.add_outbound_all, conversation, author=Author.BOT,
            messages=[(answer.text, answer.buttons or []) for answer in answers], push=push)
        for record in records:
            self._announce(conversation, record, push)
        return records

    @asynccontextmanager
    async def _typing(self, conversation: ConversationRecord) -> AsyncIterator[None]:
        """While the body runs, the customer sees the assistant typing: a `typing` event on
        the conversation's topic (the web chat), the channel's typing action on push
        channels, both repeated while the turn waits; `active: false` when it is over."""
        showing = asyncio.create_task(self._keep_typing(conversation))
        try:
            yield
        finally:
            showing.cancel()
            await asyncio.gather(showing, return_exceptions=True)
            self._events.publish(conversation.id, {"type": "typing", "active": False})

    async def _keep_typing(self, conversation: ConversationRecord) -> None:
        sender = self._typing_senders.get(conversation.channel)
        while True:
            self._events.publish(conversation.id, {"type": "typing", "active": True})
            if sender is not None:
                try:
                    await sender.send_typing(conversation.address)
                except Exception as error:  # only an indicator: the turn goes on without it
                    logger.debug("typing indicator for %s failed: %s", conversation.id, error)
            await asyncio.sleep(TYPING_REPEAT_SECONDS)

    async def _say(
        self,
        conversation: ConversationRecord,
        author: str,
        text: Optional[str],
        buttons: Optional[List[Dict[str, str]]] = None,
        client_message_id: Optional[str] = None,
    ) -> MessageRecord:
        """Stores a message to the customer, publishes it and queues its delivery."""
        push = conversation.channel in PUSH_CHANNELS
        record = await asyncio.to_thread(
            self._store.add_outbound, conversation, author=author, text=text,
            buttons=buttons or [], push=push, client_message_id=client_message_id,
        )
        self._announce(conversation, record, push)
        return record

    def _announce(self, conversation: ConversationRecord, record: MessageRecord, push: bool) -> None:
        """A stored message to the customer published, and its delivery made due on a push channel."""
        self._publish(conversation, {"type": "message", "message": record.to_json()})
        if push:
            self._events.publish(DELIVERIES_TOPIC, {"type": "delivery_due",
                                                    "conversation_id": conversation.id})


def _metadata(conversation: ConversationRecord, message: Optional[MessageRecord]) -> Dict[str, Any]:
    """What the assistant learns about the conversation with each message: the identity
    checks count failures per client address (company.identity_checks)."""
    return {
        "channel": conversation.channel,
        "chat_customer_id": conversation.chat_customer_id,
        "customer_id": conversation.customer_id,
        "gateway_message_id": message.id if message else None,
        "client_address": message.client_address if message else None,
    }


def _assistant_input(message: MessageRecord) -> tuple[str, bool]:
    """What Rasa reads, and whether it is a command: a pressed button's payload (the routes
    accept only payloads the assistant offered), or the customer's text, which must never
    pass for one (conversations.typed_text)."""
    if message.payload:
        return message.payload, True
    return as_typed_text(message.text or ""), False
