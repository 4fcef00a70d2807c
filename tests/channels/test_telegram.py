"""Conversions between Telegram's objects and the gateway's messages."""

from __future__ import annotations

from typing import Any, Dict

from telegram import Bot, Update

from bot.channels.telegram import (
    START_PAYLOAD,
    callback_data,
    keyboard,
    parse_callback_data,
    read_update,
    split_text,
)
from conversations.store import MessageRecord

BOT = Bot("1:x")


def update(**message: Any) -> Update:
    data: Dict[str, Any] = {"update_id": 1, "message": {
        "message_id": 5, "date": 0, "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "Ann"}, **message}}
    return Update.de_json(data, BOT)


def test_buttons_become_one_row_each_with_short_callback_data() -> None:
    message = MessageRecord(id=123456789, conversation_id="c", channel="telegram", direction="out",
                            author="bot", kind="text", text="Pick one", payload=None,
                            buttons=[{"title": "Track it", "payload": '/inform{"order_number": "HG-100001"}'},
                                     {"title": "Cancel", "payload": "/cancel_order"}])
    markup = keyboard(message)
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Track it", "b:123456789:0")], [("Cancel", "b:123456789:1")]]
    assert keyboard(MessageRecord(1, "c", "telegram", "out", "bot", "text", "no buttons", None)) is None


def test_callback_data_round_trip_and_garbage() -> None:
    assert parse_callback_data(callback_data(7, 2)) == (7, 2)
    for garbage in ("", "b:7", "b:x:1", "x:1:2", "b:1:2:3", "b:-1:0"):
        assert parse_callback_data(garbage) is None


def test_long_text_is_split_at_breaks_within_the_limit() -> None:
    text = ("word " * 2000).strip()
    pieces = split_text(text, limit=4096)
    assert all(len(p) <= 4096 for p in pieces) and len(pieces) == 3
    assert " ".join(pieces) == text
    assert split_text("x" * 5000, limit=4096) == ["x" * 4096, "x" * 904]
    assert split_text("short") == ["short"]


def test_update_kinds() -> None:
    assert read_update(update(text="hello")).text == "hello"
    start = read_update(update(text="/start"))
    assert start.payload == START_PAYLOAD and start.text == "/start"
    photo = read_update(update(photo=[{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}],
                               caption="broken lamp"))
    assert (photo.kind, photo.text) == ("photo", "broken lamp")
    assert read_update(update(location={"latitude": 1.0, "longitude": 2.0})).kind == "location"
    assert read_update(update(contact={"phone_number": "1", "first_name": "A"})).kind == "other"
    assert read_update(Update.de_json({"update_id": 2}, BOT)) is None
