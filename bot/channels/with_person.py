"""A message written while a person has the conversation, read for what changes the case.

Nothing written to a person reached the assistant: "sorry, this is all too much. I want to end
it all", sent to an agent who had the chat, got no help numbers, the ticket stayed at normal
priority, and closing it sent a rating request and three aftercare messages (a staff run). The
gateway now sends each such message here, marked (`WITH_PERSON_KEY`). One that names a risk
of `handoff.escalation.RAISING_REASONS` is taken as a turn: the escalation decision adds the reason
to the open ticket (raising its priority; handoff/closing.py then closes it quietly), and the
customer gets the line that goes with it (where to get help now), but not "I'm passing you to
a person": one is here. Anything else is left alone, unread into the tracker: it is the
person's conversation.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels import second_requests
from bot.channels.queued_questions import raises_a_risk

# what the handoff says of the wait for a person (actions/handoff.announce_taking_over)
TAKING_OVER = frozenset({"utter_handoff_taking_over", "utter_handoff_taking_over_closing",
                         "utter_handoff_taking_over_closed"})


async def handle(agent: Agent, message: UserMessage) -> bool:
    """Takes `message` as a turn when it names a raising risk (the replies collect on its
    output channel, without the wait for a person); False, with nothing recorded, otherwise."""
    processor = agent.processor
    if processor is None:
        return False
    parse = await processor.parse_message(message)
    if not raises_a_risk(parse):
        return False
    message.parse_data = parse
    await second_requests.handle(agent, message)
    said = getattr(message.output_channel, "messages", None)
    if said:
        tracker = await processor.get_tracker(message.sender_id)
        said[:] = without_taking_over(said, _responses_since_latest_message(tracker.events))
    return True


def without_taking_over(said: List[Dict[str, Any]], responses: List[str]) -> List[Dict[str, Any]]:
    """The replies without those of `TAKING_OVER`; `responses` names each reply, in order
    (the collected replies carry no name)."""
    if len(responses) != len(said):
        return said
    return [reply for reply, name in zip(said, responses) if name not in TAKING_OVER]


def _responses_since_latest_message(events: Any) -> List[str]:
    names: List[str] = []
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            names.append(str((event.metadata or {}).get("utter_action") or ""))
    return list(reversed(names))
