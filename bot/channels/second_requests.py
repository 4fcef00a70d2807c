"""A frequent question asked beside another request in one message gets its own answer.

"fine. LS6 2QT. also do u deliver on saturdays?" read whole is a delivery question: it was
answered and the postcode the form had asked for was lost. The NLU marks such a message
(`ALSO_ASKED`, bot/nlu/clauses.py); here the rest of the message ("fine. LS6 2QT.") is read
and answered first, as if sent alone, then the question, so both are answered in one turn
and the question's answer comes after whatever the rest changed (a form resumes after it).
Both parts are handled under one hold of Rasa's lock on the conversation, so no other
message of it comes between them.

The message is split only when the rest is understood on its own and is more than a bare
yes or no, or a detail told with nothing asked while no form asks for one (then it is the
question's context: "my coffee grinder stopped working after 2 weeks, is it under warranty"): "yes. how long do refunds take?" to "Are you sure you want to cancel?" is read
whole, where the confirmation asks again rather than cancelling on a yes with a question
(actions/confirmation_replies.py). The question is not answered by the assistant once the
rest handed the conversation to a person: the person reads it in the transcript. A failure
while answering the question keeps the rest's replies (logged; the customer can ask again):
only a failure of the rest fails the turn. Each part is typed text, never a command, like
the whole message (conversations.typed_text). Each part reaches the tracker as a message of
its own, marked in its metadata (`SPLIT_KEY`: "rest" or "question"), and keeps the gateway's
metadata (its message id); the service report counts a split message once.

A task asked for beside the one the message is read as ("cancel HG-100005 and delete my
account please": the NLU marks it, `ALSO_REQUESTED`) is not done in the same turn: the one
read may ask something (the cancellation's "are you sure?"), and doing the second at once
would bury the question. The message without the other task's clause is handled (or the
whole, when that alone reads as another task), and then the assistant says it will help
with the other after (`utter_also_requested`, from the domain) with the customer's own
words as a button, so nothing they asked for is dropped without a word; not when the first
handed the conversation to a person, who reads the whole message.

The parse of a message in several clauses is done here and handed to Rasa, so a message
that is not split costs nothing more; a split one costs the two parts' turns.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional

from rasa.core.actions.action import create_bot_utterance
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.requirement_notes import requirement_reference
from bot.nlu.clauses import ALSO_ASKED, ALSO_REQUESTED, split_clauses
from conversations.channel_protocol import SPLIT_KEY, SPLIT_QUESTION
from conversations.reply_reading import waits_for_an_answer
from conversations.typed_text import as_typed_text

logger = logging.getLogger(__name__)

REST, QUESTION = "rest", SPLIT_QUESTION
# a rest read as one of these is not split off: not understood alone, or a bare yes or no,
# which means something only with the question beside it
NOT_ALONE = frozenset({"nlu_fallback", "out_of_scope", "affirm", "deny"})
# a rest read as a detail told with nothing asked is the question's context, unless a form is
# asking for it: "my coffee grinder stopped working after 2 weeks, is it under warranty" got
# the grinder's care passage for the rest, then the warranty (a customer run); "fine. LS6 2QT.
# also do u deliver on saturdays?" where the proof is asked is split
DETAIL_ONLY = frozenset({"inform"})
# a rest read as a new requirement beside a question about a product is that question's
# context too: "is it in stock? need 3 for the office" started the 5W1H interview on "need 3
# for the office", which the customer could not leave (a customer run)
CONTEXT_OF_QUESTIONS = {"describe_need": frozenset({"ask_stock", "ask_product"})}
# set by actions.handoff.hand_over when a ticket opens
HANDOFF_SLOT = "handoff_ticket"
ORDER_ENTITY = "order_number"
# the emotion step's reading in the parse data (bot/nlu/emotion.py): its risks call for a person
EMOTION_KEY = "emotion"
# says the assistant will help with another task after this one; the topic's button label
# is the domain's `utter_topic_<intent>` (as on the clarification buttons)
LATER = "utter_also_requested"
# offers the task put off again once the one before it is over
NOW = "utter_also_requested_now"
# the words that joined the task on, left out of the button's words ("and also delete my account")
_JOINER = re.compile(r"^(?:and\s+also|and\s+then|and|also|plus)\b[\s,]+", re.IGNORECASE)


def may_ask_twice(text: str, metadata: Optional[Dict[str, Any]]) -> bool:
    """Whether a message could hold a second request: typed text in several readable
    clauses, not itself a part of a split message, naming no requirement's reference (which
    the whole message is about: "can I add something to REQ-00015? we also want 250 coasters"
    was split, and the coasters started a new 5W1H interview). Only these are parsed before
    handling."""
    if text.startswith(INTENT_MESSAGE_PREFIX) or (metadata or {}).get(SPLIT_KEY) or requirement_reference(text):
        return False
    return len([c for c in split_clauses(text) if not c.preamble]) > 1


def handed_over_in_last_turn(tracker: DialogueStateTracker) -> bool:
    """Whether a ticket opened after the latest customer message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, SlotSet) and event.key == HANDOFF_SLOT and event.value:
            return True
    return False


def part_of(message: UserMessage, text: str, part: str) -> UserMessage:
    """A part of `message` as a message of its own: typed text, never a command (a clause
    after the first could start with "/"), with the gateway's metadata and the part marked."""
    return UserMessage(as_typed_text(text), message.output_channel, message.sender_id,
                       input_channel=message.input_channel,
                       metadata={**(message.metadata or {}), SPLIT_KEY: part})


async def handle(agent: Agent, message: UserMessage) -> None:
    """Has the assistant answer `message`, a frequent question beside another request as
    two messages (the rest, then the question); the replies collect on its output channel.
    A task put off for another (`LATER`) is offered again once that one is over (`NOW`)."""
    processor = agent.processor
    if processor is None:
        await agent.handle_message(message)
        return
    async with agent.lock_store.lock(message.sender_id):
        offered = (task_offered_now(await processor.get_tracker(message.sender_id), message.text or "")
                   if takes_an_offer(message.text or "") else None)
        if offered is not None:
            # "great, now the other one" to the task offered now was read as another order for
            # the task just done (an invoice sent for the order whose arrival was asked: a
            # customer run): the button's words, as if pressed
            message = UserMessage(as_typed_text(offered), message.output_channel, message.sender_id,
                                  input_channel=message.input_channel, metadata=message.metadata)
        if may_ask_twice(message.text or "", message.metadata):
            await _handle_locked(processor, message)
        else:
            await processor.handle_message(message)
        try:
            await _remind_the_task_put_off(processor, message)
        except Exception:  # noqa: BLE001 - the turn is answered and its replies must reach the customer
            logger.exception("The reminder of a task put off in conversation %s was not sent.",
                             message.sender_id)


async def _handle_locked(processor: MessageProcessor, message: UserMessage) -> None:
    whole = await processor.parse_message(message)
    asked = whole.get(ALSO_ASKED) or {}
    rest_text, question_text = str(asked.get("rest") or "").strip(), str(asked.get("text") or "").strip()
    rest = part_of(message, rest_text, REST)
    question = part_of(message, question_text, QUESTION)
    rest_parse = await processor.parse_message(rest) if rest_text and question_text else None
    later = whole.get(ALSO_REQUESTED) or {}
    if later.get("others") and rest_parse is None:
        await _handle_one_task(processor, message, whole, later)
        return
    rest_read = (rest_parse or {}).get("intent", {}).get("name")
    context = rest_read in DETAIL_ONLY or asked.get("intent") in CONTEXT_OF_QUESTIONS.get(rest_read, ())
    if rest_parse is None or rest_read in NOT_ALONE or (
            context and not (await processor.get_tracker(message.sender_id)).active_loop_name):
        message.parse_data = whole
        await processor.handle_message(message)
        return
    rest.parse_data = rest_parse
    await processor.handle_message(rest)
    if handed_over_in_last_turn(await processor.get_tracker(message.sender_id)):
        return
    said = list(getattr(message.output_channel, "messages", None) or [])
    try:
        await processor.handle_message(question)
    except Exception:  # noqa: BLE001 - the rest is answered and its replies must reach the customer
        logger.exception("The question asked beside another request of conversation %s was not "
                         "answered; the rest of the message was.", message.sender_id)
    _drop_repeats(message.output_channel, said)


def _drop_repeats(channel: Any, said: List[Dict[str, Any]]) -> None:
    """Takes the question's replies out when the rest's replies already said every one of them
    word for word: "hmm what happens to my harbor club plan exactly? do i get money back" where
    the account's closure was to be confirmed got what closing means and the question, twice (a
    customer run). A form's question asked again after a new answer stays, where the reply goes."""
    replies = getattr(channel, "messages", None)
    if not isinstance(replies, list) or not said:
        return
    if all(reply in said for reply in replies[len(said):]):
        del replies[len(said):]


async def _handle_one_task(processor: MessageProcessor, message: UserMessage, whole: Dict[str, Any],
                           later: Dict[str, Any]) -> None:
    """Does the task the message is read as, then says the others come after. The task is
    read from the message without the other tasks' clauses when that reads the same: their
    order numbers and email addresses are theirs ("where HG-100002 is and also send me an
    invoice for HG-100001" sent HG-100002's invoice; "… and also change my email to bob@…"
    tried the new email as the order's proof and counted a failed check). From the whole when
    the only order named is in another clause ("where is HG-100005? also I need to change the
    address on it" asked for the number), or when the whole says something a person must see
    ("… you scammers": the risk was in the clause put off, and nobody was called)."""
    rest = part_of(message, str(later.get("rest") or "").strip(), REST)
    read = (whole.get("intent") or {}).get("name")
    risky = bool((whole.get(EMOTION_KEY) or {}).get("risks"))
    rest_parse = await processor.parse_message(rest) if rest.text and not risky else None
    if rest_parse is not None and _reads_alone(rest_parse, whole, read):
        rest.parse_data = rest_parse
        await processor.handle_message(rest)
    else:
        message.parse_data = whole
        await processor.handle_message(message)
    if handed_over_in_last_turn(await processor.get_tracker(message.sender_id)):
        return
    for other in later.get("others") or []:
        try:
            await _say_it_comes_after(processor, message, str(other.get("text") or ""), str(other.get("intent") or ""))
        except Exception:  # noqa: BLE001 - the task read is done and its replies must reach the customer
            logger.exception("The note about another task of conversation %s was not sent.", message.sender_id)


def _orders(parse: Dict[str, Any]) -> set:
    return {e.get("value") for e in parse.get("entities") or [] if e.get("entity") == ORDER_ENTITY}


def _reads_alone(rest_parse: Dict[str, Any], whole: Dict[str, Any], read: Optional[str]) -> bool:
    """Whether the message without the other tasks' clauses is the task read, with its order."""
    if (rest_parse.get("intent") or {}).get("name") != read:
        return False
    return not _orders(whole) or bool(_orders(rest_parse))


async def _say_it_comes_after(processor: MessageProcessor, message: UserMessage, words: str, intent: str) -> None:
    """Tells the customer the assistant will help with the task asked in `words` after the
    one it is doing, with those words as a button; recorded in the conversation like any
    reply of the assistant."""
    topics = processor.domain.responses.get(f"utter_topic_{intent}") or []
    topic = str(topics[0].get("text") or "") if topics else ""
    asked = as_typed_text(_JOINER.sub("", words.strip())).strip()
    if not topic or not asked:
        return
    tracker = await processor.get_tracker(message.sender_id)
    await _say_with_button(processor, message, tracker, LATER, {"title": topic, "payload": asked[:400]})


async def _say_with_button(processor: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker,
                           response: str, button: Dict[str, Any]) -> None:
    """Says the domain's `response` about a task (its `topic` is the button's title), with
    the task's button, recorded in the conversation like any reply of the assistant."""
    await say(processor, message, tracker, response, [button], topic=button["title"])


async def say(processor: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker,
              response: str, buttons: Optional[List[Dict[str, Any]]] = None, **values: Any) -> None:
    """Says the domain's `response` (filled with `values`) after the turn's replies, recorded
    in the conversation like any reply of the assistant."""
    output = message.output_channel
    reply = await processor.nlg.generate(response, tracker, output.name(), **values)
    if not reply:
        return
    event = create_bot_utterance({**reply, "buttons": buttons or [], "utter_action": response})
    tracker.update(event)
    await output.send_response(message.sender_id, event.message())
    await processor.save_tracker(tracker)


def ends_a_task(said: Dict[str, Any]) -> bool:
    """Whether a reply leaves the customer nothing to answer: no buttons, no question (or only
    "anything else?")."""
    return not waits_for_an_answer(str(said.get("text") or ""), said.get("buttons"))


async def _remind_the_task_put_off(processor: MessageProcessor, message: UserMessage) -> None:
    """Once the task the assistant did first is over, offers the one put off for it again
    (`NOW`, with its button): the button was on the first reply only, several messages up,
    and the customer was never reminded. Read from the tracker only when the turn's last
    reply ends a task."""
    said = getattr(message.output_channel, "messages", None) or []
    if not said or not ends_a_task(said[-1]):
        return
    tracker = await processor.get_tracker(message.sender_id)
    button = task_put_off(tracker)
    if button is not None:
        await _say_with_button(processor, message, tracker, NOW, button)


def task_put_off(tracker: DialogueStateTracker) -> Optional[Dict[str, Any]]:
    """The button of a task put off (`LATER`) still waiting when the assistant's last reply
    ends a task: no form is asking, the customer has not pressed it or typed its words, it
    was not offered again (`NOW`), and no person has been called since; None otherwise."""
    if tracker.active_loop_name:
        return None
    typed: set = set()
    latest = True
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted) or (
                isinstance(event, SlotSet) and event.key == HANDOFF_SLOT and event.value):
            return None
        if isinstance(event, UserUttered):
            typed.add(_as_words(event.text or ""))
        elif isinstance(event, BotUttered):
            action = (event.metadata or {}).get("utter_action")
            if action == NOW or (latest and not ends_a_task({"text": event.text, **(event.data or {})})):
                return None
            if action == LATER:
                buttons = (event.data or {}).get("buttons") or []
                if latest or not buttons or _as_words(str(buttons[0].get("payload") or "")) in typed:
                    return None
                return dict(buttons[0])
            latest = False
    return None


# taking the task offered now in words rather than by its button: "great, now the other one",
# "yes please", "ok that one"
_TAKES_IT = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|great|thanks|thank\s+you|cool|perfect|lovely|yes|yeah|yep|sure|please|pls|right|and|so)\W+)*"
    r"(?:(?:now|next)\W+)?(?:(?:the|that)\s+other\s+(?:one|thing|question|bit|request)|the\s+other|that\s+one|that"
    r"|yes|yeah|yep|sure|ok(?:ay)?|go\s+on|go\s+ahead|please|do\s+that(?:\s+one)?|next|now)"
    r"(?:\W+(?:please|pls|now|too|then|thanks))*\W*$", re.IGNORECASE)


def takes_an_offer(text: str) -> bool:
    """Whether typed words take something offered ("great, now the other one", "yes please"):
    read before the conversation is, which only these need."""
    return not text.startswith(INTENT_MESSAGE_PREFIX) and _TAKES_IT.match(text) is not None


def task_offered_now(tracker: DialogueStateTracker, text: str) -> Optional[str]:
    """The words of the task put off, when the assistant's last reply offered it now (`NOW`)
    and the customer takes it in words instead of pressing its button; None otherwise."""
    if not takes_an_offer(text):
        return None
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered) or isinstance(event, SessionStarted):
            return None
        if isinstance(event, BotUttered):
            if (event.metadata or {}).get("utter_action") != NOW:
                return None
            buttons = (event.data or {}).get("buttons") or []
            payload = str(buttons[0].get("payload") or "") if buttons else ""
            return payload or None
    return None


def _as_words(text: str) -> str:
    return " ".join(text.lower().split())
