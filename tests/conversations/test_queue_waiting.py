"""A customer in the queue asking how long the wait is (conversations/queue_waiting.py)."""

from __future__ import annotations

import pytest

from conversations.notices import reply_channel_notice, wait_notice
from conversations.queue_waiting import WaitNews, asks_about_the_wait, asks_where_the_reply_comes
from conversations.store import TELEGRAM, WEB


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


@pytest.mark.parametrize("text, asks", [
    # a customer run: answered with the shop's phone number and email address
    ("will they reply by email or here? i'm going to close the browser", True),
    ("do they email you back or is it in this chat", True), ("can i close the browser", True),
    ("do i have to keep this page open", True), ("how will i know when they reply", True),
    ("will i get an email when someone answers", True), ("so can i shut the tab now", True),
    ("is it ok if i leave the chat and come back later", True),
    # told, not asked, or about something else: for the person to read
    ("i emailed you yesterday and nobody replied here", False), ("my email is jo@example.com", False),
    ("can you email me the invoice", False), ("how long will i be waiting", False),
    ("my order HG-100002 never came", False), ("is it ok to leave the parcel with a neighbour?", False),
    ("is it ok if i go now", True),
])
def test_a_question_about_where_the_reply_comes_is_told_apart(text, asks):
    assert asks_where_the_reply_comes(text) is asks


def test_the_reply_comes_in_the_conversation_on_either_channel():
    web = reply_channel_notice(WEB)
    assert "reply here, in this conversation, not by email" in web and "open the chat again in this browser" in web
    telegram = reply_channel_notice(TELEGRAM)
    assert "in this Telegram chat, not by email" in telegram and "browser" not in telegram
