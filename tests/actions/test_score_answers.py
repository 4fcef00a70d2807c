"""Scores only when asked (actions.score_answers on a real database): a number is stored as
a rating or an NPS answer only as the first answer to the question the bot asked in that
conversation; otherwise it is just a message, with no row, no ticket and no comment form."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action
from sqlalchemy import func, select

from actions.company_db import company_sessions
from actions.score_answers import ActionRecordNps, ActionRecordRating
from conversations.models import State
from conversations.store import ConversationStore
from feedback.models import AftercareKind, NpsResponse
from handoff.models import Rating, Ticket
from tests.actions.test_aftercare import send
from tests.actions.test_ratings import resolved_case
from tests.conftest import bot_said, entity, make_tracker, user_said

NOT_ASKED = "utter_score_not_asked"
COMMENT_FORM = {"event": "followup", "name": "rating_comment_form", "timestamp": None}


class Chat:
    """One conversation's events as Rasa keeps them; each customer message runs the action
    the rule picks for its intent, and the bot's replies are added to the events."""

    def __init__(self, domain, make_dispatcher, sender: str) -> None:  # type: ignore[no-untyped-def]
        self.domain, self.make_dispatcher, self.sender = domain, make_dispatcher, sender
        self.events: List[Dict[str, Any]] = []
        self.clock = 1700000000.0

    def bot(self, response: str) -> None:
        self.clock += 1.5
        self.events.append(bot_said(response, self.clock))

    async def says(self, text: str, intent: str, value: Optional[str] = None,
                   ) -> Tuple[List[Optional[str]], List[Dict[str, Any]]]:
        self.events.append(user_said(text, intent))
        action: Action = ActionRecordRating() if intent == "rate" else ActionRecordNps()
        found = [entity("rating" if intent == "rate" else "nps_score", value)] if value else []
        tracker = make_tracker(text=text, intent=intent, entities=found, events=list(self.events),
                               domain=self.domain, sender_id=self.sender)
        dispatcher = self.make_dispatcher(tracker)
        events = await action.run(dispatcher, tracker, self.domain)
        for response in dispatcher.responses():
            self.bot(response or "")
        return dispatcher.responses(), events


def counts(conversation: str) -> Tuple[int, int, int]:
    """NPS answers, ratings and tickets of the conversation."""
    with company_sessions()() as session:
        return tuple(session.execute(select(func.count()).select_from(model).where(
            model.conversation_id == conversation)).scalar_one()
            for model in (NpsResponse, Rating, Ticket))  # type: ignore[return-value]


async def test_zero_typed_five_times_unasked_records_nothing(database_url, domain, make_dispatcher):
    conversation, _, _ = resolved_case()
    send(conversation, AftercareKind.NPS)  # even with an NPS aftercare message sent long ago
    chat = Chat(domain, make_dispatcher, conversation)
    chat.bot("utter_greet")
    for _ in range(5):
        responses, events = await chat.says("0", "nps")
        assert responses == [NOT_ASKED]
    assert counts(conversation) == (0, 0, 1)  # the resolved case's ticket only
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.BOT


async def test_after_the_nps_question_a_second_zero_is_just_a_message(database_url, domain,
                                                                    make_dispatcher):
    conversation, _, _ = resolved_case()
    send(conversation, AftercareKind.NPS)
    chat = Chat(domain, make_dispatcher, conversation)
    chat.events.append(user_said("/EXTERNAL_aftercare_nps", "EXTERNAL_aftercare_nps"))
    chat.bot("utter_ask_nps")
    assert (await chat.says("0", "nps"))[0] == ["utter_nps_sorry"]
    assert (await chat.says("0", "nps"))[0] == [NOT_ASKED]
    with company_sessions()() as session:
        assert [r.score for r in session.execute(select(NpsResponse)).scalars()] == [0]


async def test_a_low_rating_opens_one_ticket_and_a_second_one_nothing(database_url, domain,
                                                                     make_dispatcher):
    conversation, ticket, _ = resolved_case()
    chat = Chat(domain, make_dispatcher, conversation)
    chat.bot("utter_handoff_resolved")
    chat.bot("utter_ask_rating")
    assert (await chat.says("1", "rate"))[0] == ["utter_rating_follow_up"]
    assert counts(conversation) == (0, 1, 2)
    responses, events = await chat.says("1", "rate")
    assert responses == [NOT_ASKED] and COMMENT_FORM not in events
    assert counts(conversation) == (0, 1, 2)
    with company_sessions()() as session:
        follow_up = session.execute(select(Ticket).where(Ticket.id != ticket)).scalar_one()
    assert follow_up.reasons == ["low_rating"] and follow_up.follow_up_of == ticket


async def test_an_unasked_low_rating_opens_no_ticket(database_url, domain, make_dispatcher):
    conversation, _, _ = resolved_case()
    chat = Chat(domain, make_dispatcher, conversation)
    chat.bot("utter_greet")
    for text, value in (("2", None), ('/rate{"rating": "2"}', "2"), ("1 star", None)):
        responses, events = await chat.says(text, "rate", value)
        assert responses == [NOT_ASKED]
        assert {"event": "slot", "name": "rating", "value": None, "timestamp": None} in events
    assert counts(conversation) == (0, 0, 1)
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.BOT


async def test_the_comment_form_follows_only_a_rating_just_stored(database_url, domain, make_dispatcher):
    conversation, _, _ = resolved_case()
    chat = Chat(domain, make_dispatcher, conversation)
    chat.bot("utter_greet")
    responses, events = await chat.says("5", "rate")
    assert responses == [NOT_ASKED] and COMMENT_FORM not in events
    chat.bot("utter_ask_rating")
    responses, events = await chat.says("five stars", "rate")
    assert responses == [] and COMMENT_FORM in events
    with company_sessions()() as session:
        assert [r.score for r in session.execute(select(Rating)).scalars()] == [5]


async def test_the_same_answer_processed_twice_is_stored_once(database_url, domain, make_dispatcher):
    """A resend of the customer's answer: the same question, the same message."""
    conversation, _, _ = resolved_case()
    events = [bot_said("utter_ask_rating", 1700000000.5), user_said("2", "rate")]
    replies = []
    for _ in range(2):
        tracker = make_tracker(text="2", intent="rate", events=events, domain=domain,
                               sender_id=conversation)
        dispatcher = make_dispatcher(tracker)
        await ActionRecordRating().run(dispatcher, tracker, domain)
        replies.append(dispatcher.responses())
    assert replies == [["utter_rating_follow_up"], ["utter_score_already_recorded"]]
    assert counts(conversation) == (0, 1, 2)


async def test_a_button_of_another_question_is_no_answer(database_url, domain, make_dispatcher):
    """An old rating button pressed after the NPS question carries no NPS score."""
    conversation, _, _ = resolved_case()
    chat = Chat(domain, make_dispatcher, conversation)
    chat.bot("utter_ask_nps")
    assert (await chat.says('/rate{"rating": "5"}', "rate", "5"))[0] == ["utter_ask_nps_again"]
    assert (await chat.says("I'd say 8", "nps"))[0] == ["utter_nps_thanks"]
    with company_sessions()() as session:
        assert [r.score for r in session.execute(select(NpsResponse)).scalars()] == [8]
    assert counts(conversation)[1] == 0
