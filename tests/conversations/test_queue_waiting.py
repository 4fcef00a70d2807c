"""A customer in the queue asking how long the wait is (conversations/queue_waiting.py)."""

from __future__ import annotations

import pytest

from conversations.notices import wait_notice
from conversations.queue_waiting import WaitNews, asks_about_the_wait


@pytest.mark.parametrize("text, asks", [
    # each was told only "Thanks, I've added this to your conversation"
    ("how long will i be waiting", True), ("so when will someone actually answer, you're closed til 9 arent you", True),
    ("hello? anyone there", True), ("how much longer?", True), ("how long?", True), ("still waiting...", True),
    ("how long do i have to wait", True), ("when will you reply", True),
    # a second run
    ("how long will that take", True), ("how long will it take?", True),
    # questions about something else, for the person to read
    ("how long does delivery take", False), ("how long is the warranty", False),
    ("when will my order arrive", False), ("hello?", False), ("my order HG-100002 never came", False),
])
def test_a_question_about_the_wait_is_told_apart(text, asks):
    assert asks_about_the_wait(text) is asks


def test_the_answer_says_the_wait_or_when_the_team_is_back():
    assert "the expected wait is about 10 minutes" in wait_notice(WaitNews(wait="about 10 minutes"))
    closed = wait_notice(WaitNews(reopens="today at 9:00 UK time"))
    assert "back today at 9:00 UK time" in closed and "expected wait" not in closed
    closing = wait_notice(WaitNews(closes="20:00 UK time", reopens="tomorrow at 9:00 UK time"))
    assert "here until 20:00 UK time" in closing and "tomorrow at 9:00 UK time" in closing
