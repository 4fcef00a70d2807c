"""Feedback is read for its kind, topic and feeling, and stored (SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from conversations.store import ConversationStore
from feedback.capture import is_negative, read_feedback, record_feedback, says_nothing_yet
from feedback.models import Feedback, FeedbackKind
from tests.databases import Clock


@pytest.mark.parametrize("text", ["I'd like to leave some feedback", "I have a suggestion",
                                  "can I suggest something", "feedback on my recent order",
                                  "I want to share some feedback about the chat assistant"])
def test_announcements_are_asked_for_the_feedback_itself(text: str) -> None:
    assert says_nothing_yet(text)


@pytest.mark.parametrize("text", ["great service", "you should add dark mode",
                                  "suggestion: let us save more than one delivery address",
                                  "the courier was really friendly, please pass that on"])
def test_feedback_with_substance_is_taken_as_it_is(text: str) -> None:
    assert not says_nothing_yet(text)


@pytest.mark.parametrize("text, kind, category", [
    ("the courier was really friendly, please pass that on", FeedbackKind.COMPLIMENT, "delivery"),
    ("you should add dark mode to the app", FeedbackKind.SUGGESTION, "website"),
    ("It would be nice if you stocked more colours of the backpack", FeedbackKind.SUGGESTION, "product"),
    ("the parcel was left in the rain and the box was soaked, really poor", FeedbackKind.FEEDBACK, "delivery"),
    ("Jake in your support team sorted everything, brilliant", FeedbackKind.COMPLIMENT, "service"),
    # praise with a criticism is no compliment alone (a customer run: thanked for the praise only)
    ("honestly the atlas chair is amazing but your website search is kinda rubbish", FeedbackKind.FEEDBACK,
     "website"),
])
def test_kind_and_topic(text: str, kind: str, category: str) -> None:
    reading = read_feedback(text)
    assert (reading.kind, reading.category) == (kind, category)


def test_only_negative_feedback_needs_a_person() -> None:
    assert is_negative(read_feedback("the delivery was late and the driver was rude"))
    assert not is_negative(read_feedback("the delivery was quick, thank you"))
    assert not is_negative(read_feedback("you should stop being so slow"))  # a suggestion
    assert is_negative(read_feedback("awful, nobody listened", kind=FeedbackKind.RATING_COMMENT))


def test_feedback_is_stored_with_its_reading(sessions: sessionmaker, clock: Clock) -> None:
    conversation = ConversationStore(sessions, clock).create_web_conversation()
    text = "the courier was really friendly"
    feedback_id = record_feedback(sessions, conversation.id, None, text, read_feedback(text),
                                  clock=clock)
    with sessions() as session:
        row = session.get(Feedback, feedback_id)
        assert (row.kind, row.category, row.text) == (FeedbackKind.COMPLIMENT, "delivery", text)
        assert row.sentiment > 0.3 and row.created_at == clock.now


@pytest.mark.parametrize("text, opinion", [
    # a customer run: it fell back and got the chair's assembly
    ("honestly the atlas chair is amazing but your website search is kinda rubbish", True),
    ("i love the kettle", True), ("your delivery was terrible", True),
    ("is the chair any good?", False), ("the chair is amazing, how do i clean it", False),
    ("the lamp is broken", False), ("this bot is useless", False),
])
def test_an_opinion_that_asks_nothing(text: str, opinion: bool) -> None:
    from feedback.capture import tells_an_opinion

    assert tells_an_opinion(text) is opinion
