"""The handoff desk in the gateway: what happens around a ticket besides the ticket itself.

It turns the gateway's "assistant unavailable" flag into a ticket, tells every staff
console about new and changed tickets over the event bus, and carries out the staff's actions on
the customer's side: a person joining, an agent's reply (stored and delivered on the
customer's own channel), a transfer, and the hand back to the assistant on resolve.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Sequence, Tuple
from weakref import WeakValueDictionary

from sqlalchemy.exc import IntegrityError

from conversations.service import ConversationService
from conversations.queue_waiting import WaitNews
from ground.clock import utcnow
from ground.events import STAFF_TOPIC, EventBus
from ground.settings import Settings
from conversations.models import Author
from conversations.store import ConversationRecord, ConversationStore, MessageRecord
from handoff.closing import closing_payload
from handoff.accounts import StaffMember
from handoff.context import customer_profile, summary, tracker_context
from handoff.escalation import TurnSignals, decide
from handoff.tickets import REASON_LABELS, ReleasedTicket, TicketError, TicketStore
from handoff.wait import wait_news

logger = logging.getLogger(__name__)

TRANSCRIPT_LIMIT = 1000


class HandoffDesk:
    def __init__(
        self,
        tickets: TicketStore,
        conversations: ConversationService,
        store: ConversationStore,
        events: EventBus,
        settings: Settings,
    ) -> None:
        self._tickets = tickets
        self._settings = settings
        self._conversations = conversations
        self._store = store
        self._events = events
        # one reply of a ticket at a time, so that a resend waits for the first to be stored
        self._reply_locks: "WeakValueDictionary[int, asyncio.Lock]" = WeakValueDictionary()

    # --- told by the conversation service -------------------------------------------------
    async def conversation_queued(self, conversation_id: str) -> None:
        ticket_id = await asyncio.to_thread(self._tickets.open_ticket_for, conversation_id)
        if ticket_id is not None:
            self.announce(ticket_id)

    async def may_withdraw(self, conversation_id: str) -> bool:
        return await asyncio.to_thread(self._tickets.withdrawable, conversation_id)

    async def wait_news(self, conversation_id: str) -> Optional[WaitNews]:
        """What a customer asking "how long?" in the queue is told; None once a person has
        their ticket (that person reads the question)."""
        def news() -> Optional[WaitNews]:
            ticket_id = self._tickets.open_ticket_for(conversation_id)
            routing = self._tickets.watchers(ticket_id) if ticket_id is not None else {}
            if not routing or routing["owner_id"] is not None:
                return None
            return wait_news(self._tickets, routing["tier"], self._settings, utcnow())

        return await asyncio.to_thread(news)

    async def customer_withdrew(self, conversation_id: str) -> bool:
        """The customer confirmed they no longer need a person: their ticket leaves the queue
        (False when a person has claimed it meanwhile; that person reads the message)."""
        ticket_id = await asyncio.to_thread(self._tickets.withdraw, conversation_id)
        if ticket_id is None:
            return False
        self.announce(ticket_id)
        return True

    async def assistant_unavailable(self, conversation: ConversationRecord, reason: str) -> None:
        """The gateway's flag becomes a ticket: the customer must not wait for a bot that
        is down. The transcript and profile are what the gateway knows."""
        decision = decide(TurnSignals(assistant_unavailable=True))
        opened = await asyncio.to_thread(self._open_from_gateway, conversation, decision, reason)
        self._events.publish(conversation.id, {"type": "state", "state": "queued"})
        self.announce(opened)

    def _open_from_gateway(self, conversation: ConversationRecord, decision: Any,
                           reason: str) -> int:
        with self._tickets.sessions() as session:
            profile = customer_profile(session, conversation.customer_id)
        # no tracker to read: the assistant never saw this turn
        context: Dict[str, Any] = dict(tracker_context([], {}), profile=profile,
                                       decision=decision.to_json(), gateway_flag=reason)
        text = summary([REASON_LABELS[r] for r in decision.reasons], profile, context)
        return self._tickets.open(conversation.id, decision, context, text,
                                  conversation.customer_id).id

    async def recover_flagged(self) -> int:
        """Flags left by a previous run (the process stopped before the ticket was made)."""
        flagged = await asyncio.to_thread(self._store.flagged)
        for conversation in flagged:
            await self.assistant_unavailable(conversation, conversation.flag_reason or "unknown")
        return len(flagged)

    def announce(self, ticket_id: int) -> None:
        """Tells the staff consoles that a ticket is new or changed (each console checks
        that its user may see it)."""
        self._events.publish(STAFF_TOPIC, {"type": "ticket", "ticket_id": ticket_id})

    # --- staff actions -----------------------------------------------------------------
    async def claim(self, ticket_id: int, member: StaffMember) -> None:
        conversation_id = await asyncio.to_thread(self._tickets.claim, ticket_id, member)
        await self._conversations.say(
            conversation_id, Author.SYSTEM,
            f"{member.display_name} from our team has joined the conversation.")
        self._events.publish(conversation_id, {"type": "state", "state": "agent",
                                            "agent": member.display_name})
        self.announce(ticket_id)

    async def end_customer_session(self, ticket_id: int, member: StaffMember) -> None:
        """Revokes the web customer's tokens (a shared computer, a leaked link): their chat
        page must start a new conversation. Kept as a private note on the ticket."""
        detail = await asyncio.to_thread(self._tickets.detail, ticket_id, member)
        conversation = await asyncio.to_thread(self._store.conversation,
                                               detail["conversation_id"])
        if conversation is None or conversation.channel != "web":
            raise TicketError(422, "only a web chat has a session to end")
        await asyncio.to_thread(self._store.revoke_customer_tokens, conversation.id)
        await self.note(ticket_id, member,
                        "Ended the customer's web chat session: their page must start a new "
                        "conversation.")

    async def reply(self, ticket_id: int, member: StaffMember, text: str,
                    client_message_id: Optional[str] = None) -> Tuple[MessageRecord, bool]:
        """Stores and delivers an agent's reply; returns it and whether it is new. A reply
        resent with the same `client_message_id` (the console lost the answer, e.g. while
        the gateway restarted) is stored and delivered once: the stored one comes back."""
        lock = self._reply_locks.get(ticket_id)
        if lock is None:
            lock = self._reply_locks[ticket_id] = asyncio.Lock()
        async with lock:
            return await self._reply(ticket_id, member, text, client_message_id)

    async def _reply(self, ticket_id: int, member: StaffMember, text: str,
                     client_message_id: Optional[str]) -> Tuple[MessageRecord, bool]:
        conversation_id = await asyncio.to_thread(self._tickets.replying, ticket_id, member)
        if client_message_id is not None:
            earlier = await asyncio.to_thread(self._store.by_client_id, conversation_id,
                                              client_message_id)
            if earlier is not None:
                return await self._resent(ticket_id, member, earlier, text), False
        try:
            message = await self._conversations.say(conversation_id, Author.AGENT, text,
                                                    client_message_id)
        except IntegrityError:
            # the same reply sent twice at once through another gateway process
            earlier = await asyncio.to_thread(self._store.by_client_id, conversation_id,
                                              client_message_id or "")
            if earlier is None:
                raise
            return await self._resent(ticket_id, member, earlier, text), False
        await asyncio.to_thread(self._tickets.replied, ticket_id, member, message.id)
        self.announce(ticket_id)
        return message, True

    async def _resent(self, ticket_id: int, member: StaffMember, earlier: MessageRecord,
                      text: str) -> MessageRecord:
        """The stored reply a resend names; a client id used for another message is refused."""
        if earlier.author != Author.AGENT or earlier.text != text:
            raise TicketError(409, "client_message_id was already used for another message")
        # the process that stored it may have stopped before recording it on the ticket
        await asyncio.to_thread(self._tickets.replied, ticket_id, member, earlier.id)
        return earlier

    async def note(self, ticket_id: int, member: StaffMember, text: str) -> None:
        await asyncio.to_thread(self._tickets.note, ticket_id, member, text)
        self.announce(ticket_id)

    async def transfer(self, ticket_id: int, member: StaffMember, note: str,
                       tier: Optional[int], skill: Optional[str], to_user: Optional[int]) -> None:
        conversation_id = await asyncio.to_thread(self._tickets.transfer, ticket_id, member, note,
                                                  tier, skill, to_user)
        await self._conversations.say(
            conversation_id, Author.SYSTEM,
            "I'm passing your conversation to a colleague who can help best with this. "
            "They can see everything so far, so you won't need to repeat anything.")
        self._events.publish(conversation_id, {"type": "state", "state": "queued"})
        self.announce(ticket_id)

    async def released(self, tickets: Sequence[ReleasedTicket]) -> None:
        """Tickets a deactivated staff member held are back in the queue: the consoles hear
        it, and a customer who was talking to that person sees that they wait for one again
        (nothing more: no colleague has been chosen yet)."""
        for ticket in tickets:
            if ticket.was_claimed:
                self._events.publish(ticket.conversation_id, {"type": "state", "state": "queued"})
            self.announce(ticket.id)

    async def resolve(self, ticket_id: int, member: StaffMember, outcome: str,
                      note: str) -> List[MessageRecord]:
        conversation_id = await asyncio.to_thread(self._tickets.resolve, ticket_id, member,
                                                  outcome, note)
        self.announce(ticket_id)
        reasons = await asyncio.to_thread(self._tickets.reasons_of, ticket_id)
        return await self._conversations.resume_bot(conversation_id, closing_payload(reasons, outcome))

    async def transcript(self, conversation_id: str) -> List[Dict[str, Any]]:
        messages = await asyncio.to_thread(self._store.messages_after, conversation_id, 0,
                                           TRANSCRIPT_LIMIT)
        return [m.to_json() for m in messages]
