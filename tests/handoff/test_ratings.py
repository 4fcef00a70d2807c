"""Ratings after a resolved case, and the closed loop a low one opens (SQLite, PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.gateway.models import State
from bot.gateway.store import ConversationStore
from handoff.accounts import StaffAccounts
from handoff.escalation import Decision, Reason
from handoff.models import Rating, Role
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
