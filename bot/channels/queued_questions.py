"""A quick question asked while waiting for a person is answered by the assistant.

A customer in the queue for the team ("while i wait can u tell me where HG-100004 is", "what
time do you open tomorrow?") was only told their message was added to the conversation, and
waited until Monday for an answer the assistant gives in a second. The gateway now sends
each message written in the queue here, marked (`QUEUED_KEY`), and the assistant answers it
only when it is a question it answers without changing anything (`ANSWERED_WHILE_QUEUED`:
the status of an order or a refund, an invoice, the shop's facts and policies), told calmly
(no risk, no strong feeling: those are the person's), or when it is the reply to what the
assistant asked while answering one (the order's number or proof). Anything else is left
alone, unread into the conversation's tracker: the gateway keeps it for the person, as
before. The ticket stays in the queue either way, and an answer that leaves nothing to reply
ends with `STILL_QUEUED`, so nobody takes it for the person's; a change (cancel, address,
return) waits for the person, who is handling the case.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import second_requests
from conversations.channel_protocol import QUEUED_KEY
from handoff.escalation import NEGATIVE, RAISING_REASONS

# the questions answered while waiting: each only reads the company's data or policies
ANSWERED_WHILE_QUEUED = frozenset({
    "order_status", "refund_status", "request_invoice", "ask_return_policy", "how_to_order",
    "ask_cancellation_fees", "ask_shipping", "ask_payment_methods", "ask_opening_hours",
    "ask_contact_channels", "ask_plans", "ask_free_trial", "ask_warranty", "ask_product",
    "ask_stock",
})
# what changes something: the person handling the case does it
CHANGES = frozenset({
    "start_return", "confirm_return", "cancel_order", "change_address", "update_contact_details",
    "close_account", "switch_account", "create_account", "reset_password", "newsletter_subscribe",
    "newsletter_unsubscribe", "payment_problem", "describe_need", "give_feedback", "complaint",
    "request_human",
})
# said once the answer is over: the customer is still waiting for the person
STILL_QUEUED = "utter_still_queued"
# the order tasks (slot order_task) of those questions: the order check asked while answering
# one is answered here; the checks of a change are the person's
ORDER_TASKS_ANSWERED = frozenset({"status", "invoice", "refund", "changes"})
ORDER_CHECK = "order_form"


# asked, not told: "where is HG-100002" is a question, "HG-100002 never came" or the bare
# number is for the person handling the case (the assistant asked for proof of the order)
_ASKS = re.compile(
    r"\?|^\W*(?:(?:ok|okay|so|and|also|hi|hey|hello|oh|btw|quick\s+question)\W+)*"
    r"(?:where|wheres|when|what|whats|how|hows|which|who|do|does|did|is|are|can|could|would|will)\b"
    r"|\b(?:tell\s+me|let\s+me\s+know|wondering|(?:want|wanna|like)\s+to\s+know|send\s+me|"
    r"in\s+the\s+meantime|meanwhile|while\s+i\s+wait|need\s+(?:an?|the|my)\s+(?:invoice|receipt))\b",
    re.IGNORECASE)


# said to the person: "when the agent comes: can u check why HG-100004 hasnt been refunded"
# was answered by the assistant, which contradicted the customer (a customer run)
_TO_THE_PERSON = re.compile(
    r"\b(?:when|once|until|till|before)\s+(?:the|an?|your|ur|some)\s*(?:agent|person|human|one|body|team|staff|advis[eo]r)"
    r"|\b(?:for|to|tell|ask)\s+(?:the|your|ur|an?)\s+(?:agent|person|human|team|staff|advis[eo]r|manager)"
    r"|\b(?:can|could|will|would|pls|please|plz)\s+(?:someone|somebody|some\s+one|the\s+agent|the\s+person|a\s+person|"
    r"a\s+human|your\s+team|ur\s+team|the\s+team|an?\s+agent|a\s+real\s+person|staff)\b",
    re.IGNORECASE)


def is_quick_question(text: str, parse: Dict[str, Any]) -> bool:
    """Whether `text`, read as `parse`, is a question the assistant answers while the
    customer waits: asked of the assistant (not of the person), one of
    `ANSWERED_WHILE_QUEUED`, with no risk and no strong feeling."""
    if ((parse.get("intent") or {}).get("name") not in ANSWERED_WHILE_QUEUED or not _ASKS.search(text)
            or _TO_THE_PERSON.search(text)):
        return False
    emotion = parse.get(second_requests.EMOTION_KEY) or {}
    return not emotion.get("risks") and float(emotion.get("score") or 0.0) > NEGATIVE


def raises_a_risk(parse: Dict[str, Any]) -> bool:
    """Whether the message, read as `parse`, names one of `RAISING_REASONS`."""
    risks = (parse.get(second_requests.EMOTION_KEY) or {}).get("risks") or ()
    return bool(RAISING_REASONS & set(risks))


def answers_the_assistant(tracker: DialogueStateTracker, parse: Dict[str, Any]) -> bool:
    """Whether the next message, read as `parse`, answers the assistant: it last answered a
    message written in the queue, and is asking something in that answer (the order check
    of a question, or a question), and the message asks for no change. A change was started
    this way: a warranty answer's "Something has a fault" button, or a product named after
    it, went on to a return while the customer was queued (a customer run)."""
    latest = tracker.latest_message
    if latest is None or not (latest.metadata or {}).get(QUEUED_KEY):
        return False
    if (parse.get("intent") or {}).get("name") in CHANGES:
        return False
    loop = tracker.active_loop_name
    if loop and (loop != ORDER_CHECK or tracker.get_slot("order_task") not in ORDER_TASKS_ANSWERED):
        return False
    return asks_the_customer(tracker)


def asks_the_customer(tracker: DialogueStateTracker) -> bool:
    """Whether the assistant's last reply waits for an answer: a form is asking, or the reply
    asks a question or offers buttons."""
    if tracker.active_loop_name:
        return True
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return not second_requests.ends_a_task({"text": event.text, **(event.data or {})})
        if isinstance(event, UserUttered):
            return False
    return False


async def handle(agent: Agent, message: UserMessage) -> bool:
    """Has the assistant answer `message`, written while the customer waits for a person,
    when it is a quick question or the reply to one, or names a risk that raises the ticket
    (the replies collect on its output channel); False, with nothing recorded, when it is for
    the person."""
    processor = agent.processor
    if processor is None:
        return False
    parse = await processor.parse_message(message)
    if not is_quick_question(message.text or "", parse) and not raises_a_risk(parse):
        tracker = await processor.get_tracker(message.sender_id)
        if not answers_the_assistant(tracker, parse):
            return False
    message.parse_data = parse
    await second_requests.handle(agent, message)
    said = getattr(message.output_channel, "messages", None) or []
    without_changes(said)
    async with agent.lock_store.lock(message.sender_id):
        tracker = await processor.get_tracker(message.sender_id)
        if second_requests.handed_over_in_last_turn(tracker) and not raises_a_risk(parse):
            # a question the assistant would hand over is the person's, who is coming: "I'm
            # passing you to a person now" was said again in the queue (a customer run, 3 of
            # 44 conversations); the gateway says the message is kept for them
            said.clear()
            return False
        asks = bool(tracker.active_loop_name) or bool(said and not second_requests.ends_a_task(said[-1]))
        if not asks and not second_requests.handed_over_in_last_turn(tracker):
            await second_requests.say(processor, message, tracker, STILL_QUEUED)
    return True


def without_changes(said: List[Dict[str, Any]]) -> None:
    """Takes the buttons of a change off the replies ("Start a return" beside a refund's status,
    "Something has a fault" beside the warranty): pressed in the queue, they were only added to
    the conversation for the person (a customer run)."""
    for reply in said:
        buttons = reply.get("buttons") or []
        kept = [button for button in buttons if _intent_of(str(button.get("payload") or "")) not in CHANGES]
        if len(kept) != len(buttons):
            reply["buttons"] = kept


def _intent_of(payload: str) -> Optional[str]:
    return payload[1:].split("{", 1)[0].strip() if payload.startswith("/") else None
