"""A frequent question asked beside another request in one message gets its own answer.

"fine. LS6 2QT. also do u deliver on saturdays?" read whole is a delivery question: it was
answered and the postcode the form had asked for was lost. The NLU marks such a message
(`ALSO_ASKED`, bot/nlu/clauses.py); here the rest of the message ("fine. LS6 2QT.") is read
and answered first, as if sent alone, then the question, so both are answered in one turn
and the question's answer comes after whatever the rest changed (a form resumes after it).

The message is split only when the rest is understood on its own, and a bare yes or no only
where the assistant's latest message asked something ("yes. do you take paypal?" with
nothing asked was told "Sorry, I didn't quite get that" before its answer); otherwise it is
answered whole, as before. The question is not answered by the assistant once the rest handed the
conversation to a person: the person reads it in the transcript. Each part reaches the
tracker as a message of its own, marked in its metadata (`SPLIT_KEY`: "rest" or
"question"), and keeps the gateway's metadata (its message id), so the trainer's inbox
shows what was read and links both parts to the message the customer sent.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.clauses import ALSO_ASKED, split_clauses

SPLIT_KEY = "caredesk_split"
NOT_UNDERSTOOD = frozenset({"nlu_fallback", "out_of_scope"})
# replies that mean something only to a question
ANSWERS = frozenset({"affirm", "deny"})
# set by actions.handoff.hand_over when a ticket opens
HANDOFF_SLOT = "handoff_ticket"


def may_ask_twice(text: str, metadata: Optional[Dict[str, Any]]) -> bool:
    """Whether a message could hold a second request: typed text in several readable
    clauses, not itself a part of a split message. Only these are parsed before handling."""
    if text.startswith(INTENT_MESSAGE_PREFIX) or (metadata or {}).get(SPLIT_KEY):
        return False
    return len([c for c in split_clauses(text) if not c.preamble]) > 1


def asked_something(tracker: DialogueStateTracker) -> bool:
    """Whether the assistant's latest message asks something (a question mark or buttons)."""
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return "?" in (event.text or "") or bool((event.data or {}).get("buttons"))
    return False


def handed_over_in_last_turn(tracker: DialogueStateTracker) -> bool:
    """Whether a ticket opened after the latest customer message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, SlotSet) and event.key == HANDOFF_SLOT and event.value:
            return True
    return False


def _part(message: UserMessage, text: str, part: str,
          parse_data: Optional[Dict[str, Any]] = None) -> UserMessage:
    return UserMessage(text, message.output_channel, message.sender_id,
                       input_channel=message.input_channel,
                       metadata={**(message.metadata or {}), SPLIT_KEY: part},
                       parse_data=parse_data)


async def handle(agent: Agent, message: UserMessage) -> None:
    """Has the assistant answer `message`, a frequent question beside another request as
    two messages (the rest, then the question); the replies collect on its output channel."""
    text = message.text or ""
    if agent.processor is None or not may_ask_twice(text, message.metadata):
        await agent.handle_message(message)
        return
    whole = await agent.processor.parse_message(message)
    asked = whole.get(ALSO_ASKED) or {}
    rest = str(asked.get("rest") or "")
    rest_parse = (await agent.processor.parse_message(_part(message, rest, "rest"))
                  if asked and rest else None)
    if rest_parse is None or not await _read_alone(agent, message.sender_id, rest_parse):
        message.parse_data = whole
        await agent.handle_message(message)
        return
    await agent.handle_message(_part(message, rest, "rest", rest_parse))
    tracker = await agent.processor.get_tracker(message.sender_id)
    if not handed_over_in_last_turn(tracker):
        await agent.handle_message(_part(message, str(asked["text"]), "question"))


async def _read_alone(agent: Agent, sender_id: str, rest_parse: Dict[str, Any]) -> bool:
    """Whether the rest of the message means something on its own here."""
    intent = (rest_parse.get("intent") or {}).get("name")
    if intent in NOT_UNDERSTOOD:
        return False
    if intent in ANSWERS:
        return asked_something(await agent.processor.get_tracker(sender_id))
    return True
