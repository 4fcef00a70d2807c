"""NPS answers in the database (SQLite, PostgreSQL): one answer per question."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from conversations.store import ConversationStore
from feedback.models import NpsResponse
from feedback.nps import parse_nps, record_nps
from tests.databases import Clock


def test_answers_are_read_from_buttons_or_digits() -> None:
    assert [parse_nps(v) for v in ("0", 10, " 7 ", "11", "-1", "ten", None)] == [0, 10, 7, None, None, None, None]
    assert [parse_nps(v) for v in ("²", "٣", "１０")] == [None, 3, 10]  # "²" was a ValueError


def test_one_question_keeps_one_answer(sessions: sessionmaker, clock: Clock) -> None:
    """The same answer arriving twice (a resend, a race) is stored once."""
    conversation = ConversationStore(sessions, clock).create_web_conversation()
    first = record_nps(sessions, conversation.id, 0, clock=clock, question_key="nps:c:1.5")
    again = record_nps(sessions, conversation.id, 0, clock=clock, question_key="nps:c:1.5")
    other = record_nps(sessions, conversation.id, 9, clock=clock, question_key="nps:c:2.5")
    assert (first.new, again.new, other.new) == (True, False, True) and again.id == first.id
    with sessions() as session:
        rows = session.execute(select(NpsResponse.score, NpsResponse.question_key)
                               .order_by(NpsResponse.id)).all()
    assert [tuple(r) for r in rows] == [(0, "nps:c:1.5"), (9, "nps:c:2.5")]


def test_answers_stored_before_question_keys_stay_side_by_side(sessions: sessionmaker, clock: Clock) -> None:
    conversation = ConversationStore(sessions, clock).create_web_conversation()
    for score in (10, 10):
        assert record_nps(sessions, conversation.id, score, clock=clock).new
    with sessions() as session:
        assert session.execute(select(NpsResponse.question_key)).scalars().all() == [None, None]
