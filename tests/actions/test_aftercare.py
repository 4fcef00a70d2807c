"""The aftercare actions on a real database: "no" on day 3 reopens the case for its owner,
the day-7 guide per topic, the NPS answer (typed digits answer the question just asked),
and "stop"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import select

from actions.company_db import company_sessions
from actions.aftercare import ActionAftercareReopen, ActionAftercareTips, ActionStopAftercare
from actions.score_answers import ActionRecordNps, ActionRecordRating
from conversations.models import State
from conversations.store import ConversationStore
from feedback.aftercare import AftercareStore
from feedback.models import AftercareMessage, AftercareKind, AftercareOptOut, AftercareStatus, NpsResponse
from handoff.models import Rating, Ticket
from tests.actions.test_ratings import resolved_case
from tests.conftest import bot_said, entity, make_tracker, user_said


def send(conversation: str, kind: str) -> int:
    """The worker sent this aftercare message (as if its day had come)."""
    store = AftercareStore(company_sessions())
    with company_sessions()() as session:
        row = session.execute(select(AftercareMessage).where(
            AftercareMessage.conversation_id == conversation, AftercareMessage.kind == kind)).scalar_one()
    later = row.due_at + timedelta(minutes=1)
    assert store.claim(row.id, "w", later, timedelta(minutes=5))
    assert store.mark_sent(row.id, "w", later)
    return row.id


def asked(name: str) -> Dict[str, Any]:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": name}}


async def run(action: Any, domain, make_dispatcher, sender: str, text: str, intent: str,
              entities: Optional[List[Dict[str, Any]]] = None, events=None, slots=None) -> List[Optional[str]]:
    tracker = make_tracker(text=text, intent=intent, entities=entities, events=events, slots=slots,
                           domain=domain, sender_id=sender)
    dispatcher = make_dispatcher(tracker)
    await action.run(dispatcher, tracker, domain)
    return dispatcher.responses()


def rows(conversation: str) -> List[AftercareMessage]:
    with company_sessions()() as session:
        return list(session.execute(select(AftercareMessage)
                                    .where(AftercareMessage.conversation_id == conversation)
                                    .order_by(AftercareMessage.due_at)).scalars())


async def test_not_solved_reopens_the_case_for_its_owner(database_url, domain, make_dispatcher):
    conversation, ticket, agent = resolved_case()
    send(conversation, AftercareKind.SOLVED_CHECK)
    events = [asked("utter_aftercare_solved_check")]
    assert await run(ActionAftercareReopen(), domain, make_dispatcher, conversation, "no", "deny",
                     events=events) == ["utter_aftercare_reopened"]
    with company_sessions()() as session:
        reopened = session.execute(select(Ticket).where(Ticket.id != ticket)).scalar_one()
    assert (reopened.follow_up_of, reopened.assignee_id, reopened.reasons) == (ticket, agent, ["not_solved"])
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.QUEUED
    statuses = {r.kind: (r.status, r.outcome) for r in rows(conversation)}
    assert statuses[AftercareKind.SOLVED_CHECK] == (AftercareStatus.SENT, f"not solved: ticket {reopened.id}")
    assert statuses[AftercareKind.USAGE_TIPS][0] == statuses[AftercareKind.NPS][0] == AftercareStatus.CANCELLED


async def test_outside_the_gateway_not_solved_gives_the_team_contacts(database_url, domain, make_dispatcher):
    assert await run(ActionAftercareReopen(), domain, make_dispatcher, "shell-user", "no", "deny") == [
        "utter_aftercare_reopen_contact"]


async def test_the_day_7_guide_follows_the_topic(database_url, domain, make_dispatcher):
    for topic, guide in (("returns", "utter_guide_returns"), ("orders", "utter_guide_orders"),
                         ("payments", "utter_guide_payments"), ("gardening", "utter_guide_general"),
                         (None, "utter_guide_general")):
        found = [entity("aftercare_topic", topic)] if topic else []
        assert await run(ActionAftercareTips(), domain, make_dispatcher, "x", "/EXTERNAL_aftercare_tips",
                         "EXTERNAL_aftercare_tips", found) == [guide, "utter_aftercare_stop_hint"]


async def test_an_nps_answer_is_stored_with_its_aftercare_message(database_url, domain, make_dispatcher):
    conversation, _, _ = resolved_case()
    nps = send(conversation, AftercareKind.NPS)
    events = [bot_said("utter_ask_nps", 1700000000.5), user_said("/nps", "nps")]
    assert await run(ActionRecordNps(), domain, make_dispatcher, conversation, "/nps", "nps",
                     [entity("nps_score", "9")], events) == ["utter_nps_thanks"]
    with company_sessions()() as session:
        answers = [(r.score, r.aftercare_message_id) for r in session.execute(select(NpsResponse)).scalars()]
    assert answers == [(9, nps)]


async def test_a_typed_detractor_answer_after_the_question_asked_again(database_url, domain,
                                                                      make_dispatcher):
    conversation, _, _ = resolved_case()
    nps = send(conversation, AftercareKind.NPS)
    events = [bot_said("utter_ask_nps", 1700000000.5), user_said("I would recommend you", "nps")]
    assert await run(ActionRecordNps(), domain, make_dispatcher, conversation, "I would recommend you",
                     "nps", events=events) == ["utter_ask_nps_again"]
    events += [bot_said("utter_ask_nps_again", 1700000001.5), user_said("honestly a 3", "nps")]
    assert await run(ActionRecordNps(), domain, make_dispatcher, conversation, "honestly a 3", "nps",
                     events=events) == ["utter_nps_sorry"]
    with company_sessions()() as session:
        answers = [(r.score, r.aftercare_message_id) for r in session.execute(select(NpsResponse)).scalars()]
    assert answers == [(3, nps)]


async def test_typed_digits_answer_the_question_asked_last(database_url, domain, make_dispatcher):
    conversation, ticket, _ = resolved_case()
    send(conversation, AftercareKind.NPS)
    # "9" read as a 1-5 rating by the NLU, after the NPS question: an NPS answer
    assert await run(ActionRecordRating(), domain, make_dispatcher, conversation, "9", "rate",
                     events=[bot_said("utter_ask_rating", 1.0), bot_said("utter_ask_nps", 2.0),
                             user_said("9", "rate")]) == ["utter_nps_thanks"]
    # "4" read as an NPS answer, after the rating question: a rating
    assert await run(ActionRecordNps(), domain, make_dispatcher, conversation, "4", "nps",
                     events=[bot_said("utter_ask_nps", 3.0), bot_said("utter_ask_rating", 4.0),
                             user_said("4", "nps")]) == []  # comment form next
    with company_sessions()() as session:
        assert [r.score for r in session.execute(select(NpsResponse)).scalars()] == [9]
        assert [(r.score, r.ticket_id) for r in session.execute(select(Rating)).scalars()] == [(4, ticket)]


async def test_an_answer_that_is_not_a_score_asks_again(database_url, domain, make_dispatcher):
    for text in ("I would definitely recommend you", "11"):
        events = [bot_said("utter_ask_nps", 1.0), user_said(text, "nps")]
        assert await run(ActionRecordNps(), domain, make_dispatcher, "x", text, "nps",
                         events=events) == ["utter_ask_nps_again"]


async def test_asking_what_the_aftercare_messages_are_explains_them_and_stops_nothing(database_url, domain,
                                                                             make_dispatcher):
    """A customer run: "wait what follow up messages? what are those" (stop_contact to the model)
    was told "We won't send you any more follow-up messages"."""
    conversation, _, _ = resolved_case()
    send(conversation, AftercareKind.SOLVED_CHECK)
    assert await run(ActionStopAftercare(), domain, make_dispatcher, conversation,
                     "wait what follow up messages? what are those", "stop_contact") == ["utter_aftercare_explained"]
    with company_sessions()() as session:
        assert session.get(AftercareOptOut, conversation) is None
    buttons = domain["responses"]["utter_aftercare_explained"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/stop_contact", "/deny"]
    # asked what they are and told to stop them: stopped
    assert await run(ActionStopAftercare(), domain, make_dispatcher, conversation,
                     "what are those? just stop them", "stop_contact") == ["utter_aftercare_stopped"]


async def test_stop_opts_out_and_cancels_what_is_pending(database_url, domain, make_dispatcher):
    conversation, _, _ = resolved_case()
    send(conversation, AftercareKind.SOLVED_CHECK)
    assert await run(ActionStopAftercare(), domain, make_dispatcher, conversation, "stop",
                     "stop_contact") == ["utter_aftercare_stopped"]
    assert [r.status for r in rows(conversation)] == [AftercareStatus.SENT, AftercareStatus.CANCELLED,
                                                      AftercareStatus.CANCELLED]
    with company_sessions()() as session:
        assert session.get(AftercareOptOut, conversation) is not None
    # outside the gateway it only confirms
    assert await run(ActionStopAftercare(), domain, make_dispatcher, "shell-user", "stop",
                     "stop_contact") == ["utter_aftercare_stopped"]
    # a bare "unsubscribe" reads as this too: the newsletter is offered one press away
    buttons = domain["responses"]["utter_aftercare_stopped"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/newsletter_unsubscribe"]


async def test_unsubscribing_from_the_club_is_told_how_to_end_the_plan(database_url, domain, make_dispatcher):
    """"unsubscribe me from the club" was told no more follow-up messages would come, and the
    plan went on charging (a customer run)."""
    conversation, _, _ = resolved_case()
    send(conversation, AftercareKind.SOLVED_CHECK)
    assert await run(ActionStopAftercare(), domain, make_dispatcher, conversation, "unsubscribe me from the club",
                     "stop_contact") == ["utter_plan_cancel"]
    with company_sessions()() as session:
        assert session.get(AftercareOptOut, conversation) is None
