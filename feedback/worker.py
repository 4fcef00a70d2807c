"""Sends the due 3-7-30 aftercare messages; every gateway process runs one worker.

Each tick (never inside quiet hours): the due rows, each claimed before anything is sent
(one conditional UPDATE, so with two gateway processes exactly one sends it), then sent
and marked. The day-3, day-7 and NPS messages ask the assistant with an EXTERNAL_ intent
through the gateway, whose replies reach the customer on their own channel like any bot
reply; the VIP check-in opens a ticket for the account manager instead. A conversation a
person has right now is not interrupted: its message waits a few hours. A worker that
dies mid-send holds its claim only until the lease ends; then another sends it (so a crash
between sending and marking can repeat a message, never lose it).

The worker reads time from a clock callable, so tests move days in a moment.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any, Callable, List, Optional, Protocol

from ground.polling import PollingWorker
from ground.clock import utcnow
from feedback.aftercare import AftercareStore, AftercareTask
from feedback.models import AftercareKind
from feedback.schedule import AftercareSchedule
from handoff.context import customer_profile, tracker_context
from handoff.escalation import PRIORITY_LOW, Decision, Reason
from handoff.tickets import TicketStore

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
WHILE_WITH_A_PERSON = timedelta(hours=4)
AFTER_A_FAILURE = timedelta(minutes=15)
BATCH = 20
LONGEST_QUIET_PAUSE_SECONDS = 3600.0

PAYLOADS = {
    AftercareKind.SOLVED_CHECK: "/EXTERNAL_aftercare_solved_check",
    AftercareKind.USAGE_TIPS: "/EXTERNAL_aftercare_tips",
    AftercareKind.NPS: "/EXTERNAL_aftercare_nps",
}


class AftercareGateway(Protocol):
    """The gateway's conversation service: lets the assistant speak first."""

    async def send_aftercare(self, conversation_id: str, payload: str) -> Optional[List[Any]]: ...


def payload_for(task: AftercareTask) -> str:
    """What the assistant is sent for an aftercare message (the day-7 one carries the case's
    topic)."""
    payload = PAYLOADS[task.kind]
    if task.kind == AftercareKind.USAGE_TIPS:
        payload += json.dumps({"aftercare_topic": task.topic})
    return payload


def worker_name() -> str:
    """Unique per process and worker, so a claim names who holds it."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:64]


class AftercareWorker(PollingWorker):
    def __init__(
        self,
        store: AftercareStore,
        gateway: AftercareGateway,
        tickets: TicketStore,
        schedule: AftercareSchedule,
        announce: Callable[[int], None] = lambda ticket_id: None,
        clock: Callable[[], datetime] = utcnow,
        poll_seconds: float = 60.0,
        lease: timedelta = LEASE,
        name: Optional[str] = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._gateway = gateway
        self._tickets = tickets
        self._schedule = schedule
        self._announce = announce
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._lease = lease
        self.name = name or worker_name()

    async def run_round(self) -> int:
        return await self.tick()

    def pause_seconds(self) -> float:
        """The poll interval; inside quiet hours, until they end (an hour at most)."""
        now = self._clock()
        if not self._schedule.is_quiet(now):
            return self._poll_seconds
        until_end = (self._schedule.allowed(now) - now).total_seconds()
        return max(self._poll_seconds, min(until_end, LONGEST_QUIET_PAUSE_SECONDS))

    async def tick(self) -> int:
        """Sends what is due now; returns how many aftercare messages went out."""
        if self._schedule.is_quiet(self._clock()):
            return 0
        sent = 0
        for message_id in await asyncio.to_thread(self._store.due, self._clock(), BATCH):
            if self.stopping:
                break
            if not await asyncio.to_thread(self._store.claim, message_id, self.name,
                                           self._clock(), self._lease):
                continue  # another worker has it
            try:
                sent += await self._send(message_id)
            except Exception:
                logger.exception("aftercare message %s failed; it will be tried again", message_id)
                await self._postpone(message_id, AFTER_A_FAILURE)
        return sent

    async def _postpone(self, message_id: int, delay: timedelta) -> None:
        until = self._schedule.allowed(self._clock() + delay)
        await asyncio.to_thread(self._store.postpone, message_id, self.name, until)

    async def _send(self, message_id: int) -> int:
        task = await asyncio.to_thread(self._store.task, message_id)
        if task.opted_out:
            await asyncio.to_thread(self._store.cancel, message_id, self.name, "opted out")
            return 0
        if task.kind == AftercareKind.CHECK_IN:
            ticket_id = await asyncio.to_thread(self._open_check_in, task)
            self._announce(ticket_id)
            outcome = f"check-in ticket {ticket_id}"
        else:
            replies = await self._gateway.send_aftercare(task.conversation_id, payload_for(task))
            if replies is None:
                await self._postpone(message_id, WHILE_WITH_A_PERSON)
                return 0
            if not replies:
                raise RuntimeError("the assistant answered nothing")
            outcome = None
        await asyncio.to_thread(self._store.mark_sent, message_id, self.name, self._clock(),
                                outcome)
        return 1

    def _open_check_in(self, task: AftercareTask) -> int:
        """A low-priority ticket routed to the VIP's account manager (tier 3)."""
        with self._tickets.sessions() as session:
            profile = customer_profile(session, task.customer_id)
        decision = Decision(True, (Reason.VIP, Reason.CHECK_IN), PRIORITY_LOW)
        context = dict(tracker_context([], {}), profile=profile, decision=decision.to_json(),
                       check_in_after=task.ticket_id)
        who = profile.get("name") or "The customer"
        text = (f"{who} (VIP): {self._schedule.last_days} days since ticket #{task.ticket_id} "
                "was resolved. Check in personally: is everything still going well?")
        return self._tickets.open(task.conversation_id, decision, context, text,
                                  task.customer_id).id
