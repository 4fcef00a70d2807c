"""action_record_rating on a real database, answering the rating question."""

from __future__ import annotations

import uuid

from actions.company_db import company_sessions, ticket_store
from actions.score_answers import ActionRecordRating
from conversations.models import State
from conversations.store import ConversationStore
from feedback.models import Feedback
from handoff.accounts import StaffAccounts
from handoff.escalation import Decision, Reason
from handoff.models import Rating, Role
from tests.conftest import bot_said, entity, make_tracker, user_said


def resolved_case() -> tuple[str, int, int]:
    """A web conversation whose ticket an agent resolved: (conversation, ticket, agent)."""
    sessions = company_sessions()
    conversation = ConversationStore(sessions).create_web_conversation()
    tickets = ticket_store()  # as the action server builds it: the aftercare scheduler listening
    agent = StaffAccounts(sessions).create_user(f"ria{uuid.uuid4().hex[:6]}", "ria-password-1234", Role.AGENT)
    ticket = tickets.open(conversation.id, Decision(True, (Reason.REQUESTED,)), {}, "s").id
    tickets.claim(ticket, agent)
    tickets.resolve(ticket, agent, "solved", "done")
    return conversation.id, ticket, agent.id


def resolved_conversation() -> str:
    return resolved_case()[0]


async def rate(domain, make_dispatcher, sender, value, events_out=None):
    """The customer presses a rating button (`value`) right after the rating question."""
    tracker = make_tracker(text="/rate", intent="rate", entities=[entity("rating", value)] if value else [],
                           events=[bot_said("utter_ask_rating", 1700000000.5), user_said("/rate", "rate")],
                           domain=domain, sender_id=sender)
    dispatcher = make_dispatcher(tracker)
    events = await ActionRecordRating().run(dispatcher, tracker, domain)
    if events_out is not None:
        events_out.extend(events)
    return dispatcher.responses()


async def test_a_good_rating_is_stored_and_an_optional_comment_asked(database_url, domain, make_dispatcher):
    events = []
    assert await rate(domain, make_dispatcher, resolved_conversation(), "5", events) == []
    assert {"event": "followup", "name": "rating_comment_form", "timestamp": None} in events
    rating_id = next(e["value"] for e in events if e.get("name") == "rating_id")
    with company_sessions()() as session:
        assert session.get(Rating, int(rating_id)).score == 5


async def test_a_low_rating_brings_a_person_back(database_url, domain, make_dispatcher):
    conversation = resolved_conversation()
    assert await rate(domain, make_dispatcher, conversation, "2") == ["utter_rating_follow_up"]
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.QUEUED


async def test_a_low_rating_of_the_assistant_alone_claims_no_person_helped(database_url, domain, make_dispatcher):
    """A customer run: "1" after a question only the assistant answered was told "I've asked
    the person who helped you…": nobody had."""
    conversation = ConversationStore(company_sessions()).create_web_conversation().id
    assert await rate(domain, make_dispatcher, conversation, "1") == ["utter_rating_follow_up_after_the_assistant"]
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.QUEUED


async def test_no_score_asks_again(database_url, domain, make_dispatcher):
    assert await rate(domain, make_dispatcher, resolved_conversation(), "") == ["utter_ask_rating"]
    assert await rate(domain, make_dispatcher, resolved_conversation(), "9") == ["utter_ask_rating"]


async def test_a_score_on_another_scale_is_told_the_scale(database_url, domain, make_dispatcher):
    """A customer run: "10/10!!" got the rating question again, word for word, four times."""
    for text in ("10/10!!", "0", "6"):
        responses, _ = await typed(domain, make_dispatcher, resolved_conversation(), text)
        assert responses == ["utter_rating_scale", "utter_ask_rating"], text


async def typed(domain, make_dispatcher, sender, text, intent="rate"):
    """The customer types `text` right after the rating question: (replies, events)."""
    tracker = make_tracker(text=text, intent=intent, domain=domain, sender_id=sender,
                           events=[bot_said("utter_ask_rating", 1700000000.5), user_said(text, intent)])
    dispatcher = make_dispatcher(tracker)
    events = await ActionRecordRating().run(dispatcher, tracker, domain)
    return dispatcher.responses(), events


def comments_of(conversation: str) -> list[tuple[str, int, object]]:
    """(text, the score it goes with, its follow-up ticket) of each comment kept."""
    with company_sessions()() as session:
        return [(f.text, session.get(Rating, f.rating_id).score, f.follow_up_ticket_id)
                for f in session.query(Feedback).filter_by(conversation_id=conversation)]


async def test_a_score_said_with_why_keeps_the_why_as_its_comment(database_url, domain, make_dispatcher):
    """A customer run: "3/5, could be faster" kept the score and asked "anything you'd like
    to add?", and the words already given were lost."""
    conversation = resolved_conversation()
    responses, events = await typed(domain, make_dispatcher, conversation, "3/5, could be faster")
    assert responses == ["utter_rating_comment_thanks"]
    assert not any(e.get("event") == "followup" for e in events), events
    assert comments_of(conversation) == [("3/5, could be faster", 3, None)]


async def test_a_low_score_said_with_why_keeps_the_why_with_its_follow_up(database_url, domain, make_dispatcher):
    conversation = resolved_conversation()
    responses, _ = await typed(domain, make_dispatcher, conversation, "2 because the parcel is late", "complaint")
    assert responses == ["utter_rating_follow_up"]
    [(text, score, follow_up)] = comments_of(conversation)
    assert (text, score) == ("2 because the parcel is late", 2) and follow_up is not None
    # one ticket brings the person back: the comment opened none of its own
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.QUEUED


async def test_the_rating_questions_label_is_its_score(database_url, domain, make_dispatcher):
    conversation = resolved_conversation()
    responses, events = await typed(domain, make_dispatcher, conversation, "excellent!", "thanks")
    assert {"event": "followup", "name": "rating_comment_form", "timestamp": None} in events, events
    rating_id = next(e["value"] for e in events if e.get("name") == "rating_id")
    with company_sessions()() as session:
        assert session.get(Rating, int(rating_id)).score == 5
