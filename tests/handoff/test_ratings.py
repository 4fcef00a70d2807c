"""Ratings after a resolved case, and the closed loop a low one opens (SQLite, PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from conversations.models import State
from conversations.store import ConversationStore
from handoff.accounts import StaffAccounts
from handoff.escalation import Decision, Reason
from handoff.models import Rating, Role, Ticket
from handoff.ratings import parse_score, record_rating
from handoff.tickets import TicketStore
from tests.databases import Clock


def resolved_case(sessions: sessionmaker, clock: Clock):
    """A conversation whose ticket Olga claimed and resolved."""
    conversations, tickets = ConversationStore(sessions, clock), TicketStore(sessions, clock=clock)
    olga = StaffAccounts(sessions, clock).create_user("olga", "olga-password-1234", Role.AGENT)
    conversation = conversations.create_web_conversation()
    ticket = tickets.open(conversation.id, Decision(True, (Reason.REQUESTED,)), {}, "s").id
    tickets.claim(ticket, olga)
    tickets.resolve(ticket, olga, "solved", "done")
    return conversation, tickets, ticket, olga


def test_scores_are_read_from_buttons_or_digits() -> None:
    assert [parse_score(v) for v in ("1", 5, " 3 ", "0", "6", "five", None, "")] == [1, 5, 3, None, None, None, None, None]
    assert [parse_score(v) for v in ("²", "٣", "４")] == [None, 3, 4]  # "²" was a ValueError


def test_a_good_rating_is_stored_against_the_ticket_it_rates(sessions: sessionmaker, clock: Clock) -> None:
    conversation, tickets, ticket, _ = resolved_case(sessions, clock)
    recorded = record_rating(sessions, tickets, conversation.id, 5, {}, clock)
    assert (recorded.rated_ticket, recorded.follow_up_ticket) == (ticket, None)
    with sessions() as session:
        row = session.execute(select(Rating)).scalar_one()
    assert (row.score, row.ticket_id, row.follow_up_ticket_id) == (5, ticket, None)
    assert ConversationStore(sessions).conversation(conversation.id).state == State.BOT


def test_a_low_rating_reopens_the_loop_with_the_same_owner(sessions: sessionmaker, clock: Clock) -> None:
    conversation, tickets, ticket, olga = resolved_case(sessions, clock)
    recorded = record_rating(sessions, tickets, conversation.id, 1, {"profile": {}}, clock)
    assert recorded.follow_up_ticket is not None and recorded.follow_up_ticket != ticket
    follow_up = tickets.detail(recorded.follow_up_ticket, olga)
    assert follow_up["reasons"] == ["low_rating"] and follow_up["follow_up_of"] == ticket
    assert follow_up["assignee"]["id"] == olga.id and follow_up["status"] == "queued"
    assert follow_up["context"]["rating"] == 1
    assert ConversationStore(sessions).conversation(conversation.id).state == State.QUEUED
    with sessions() as session:
        assert session.execute(select(Rating.follow_up_ticket_id)).scalar_one() == recorded.follow_up_ticket


def test_one_question_keeps_one_rating_and_one_follow_up_ticket(sessions: sessionmaker, clock: Clock) -> None:
    """The same answer arriving twice (a resend, a race) changes nothing the second time."""
    conversation, tickets, ticket, _ = resolved_case(sessions, clock)
    first = record_rating(sessions, tickets, conversation.id, 1, {"profile": {}}, clock,
                          question_key="rating:c:1.5")
    again = record_rating(sessions, tickets, conversation.id, 1, {"profile": {}}, clock,
                          question_key="rating:c:1.5")
    assert first.new and not again.new
    assert (again.id, again.follow_up_ticket, again.rated_ticket) == (first.id, first.follow_up_ticket, ticket)
    with sessions() as session:
        assert session.execute(select(func.count()).select_from(Rating)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(Ticket)).scalar_one() == 2


def test_ratings_stored_before_question_keys_stay_side_by_side(sessions: sessionmaker, clock: Clock) -> None:
    conversation, tickets, _, _ = resolved_case(sessions, clock)
    for score in (4, 4):
        assert record_rating(sessions, tickets, conversation.id, score, {}, clock).new
    record_rating(sessions, tickets, conversation.id, 5, {}, clock, question_key="rating:c:2.5")
    with sessions() as session:
        keys = session.execute(select(Rating.question_key).order_by(Rating.id)).scalars().all()
    assert keys == [None, None, "rating:c:2.5"]

