"""The conversation store on real, migrated databases: SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import Author, State
from conversations.store import TELEGRAM, ConversationStore, due_deliveries_query
from bot.schema import upgrade
from ground.database import create_database_engine
from tests.databases import Clock


@pytest.fixture
def store(database: str, clock: Clock) -> Iterator[ConversationStore]:
    upgrade(database)
    engine = create_database_engine(database)
    yield ConversationStore(sessionmaker(bind=engine, class_=Session, future=True), clock)
    engine.dispose()


def test_a_web_conversation_starts_with_the_bot_in_charge(store: ConversationStore) -> None:
    conversation = store.create_web_conversation()
    again = store.conversation(conversation.id)
    assert again == conversation and conversation.state == State.BOT
    assert not conversation.needs_human and len(conversation.id) == 32
    assert store.conversation("nope") is None


def test_messages_are_read_back_in_order_after_a_cursor(store: ConversationStore) -> None:
    conversation = store.create_web_conversation()
    first, _ = store.add_inbound(conversation, text="hello")
    reply = store.add_outbound(conversation, author=Author.BOT, text="Hi!",
                               buttons=[{"title": "Yes", "payload": "/affirm"}])
    second, _ = store.add_inbound(conversation, text="<b>not html</b>")
    assert [m.id for m in store.messages_after(conversation.id)] == [first.id, reply.id, second.id]
    assert [m.text for m in store.messages_after(conversation.id, first.id)] == ["Hi!", "<b>not html</b>"]
    assert store.messages_after(conversation.id, second.id) == []
    assert store.messages_after(conversation.id)[1].buttons == [{"title": "Yes", "payload": "/affirm"}]


def test_a_resent_message_is_stored_once(store: ConversationStore) -> None:
    conversation = store.create_web_conversation()
    first, created = store.add_inbound(conversation, text="hi", client_message_id="c-1")
    again, created_again = store.add_inbound(conversation, text="hi", client_message_id="c-1")
    assert created and not created_again and again.id == first.id
    other = store.create_web_conversation()
    _, created_elsewhere = store.add_inbound(other, text="hi", client_message_id="c-1")
    assert created_elsewhere  # client ids are per conversation


def test_only_recently_offered_buttons_can_be_pressed(store: ConversationStore) -> None:
    conversation = store.create_web_conversation()
    store.add_outbound(conversation, author=Author.BOT, text="Which?",
                       buttons=[{"title": "Orders", "payload": "/order_status"}])
    assert store.offered_buttons(conversation.id) == {"/order_status": "Orders"}
    for n in range(5):
        store.add_outbound(conversation, author=Author.BOT, text=f"later {n}")
    assert store.offered_buttons(conversation.id) == {}


def test_a_button_of_words_stays_usable_longer_than_a_command(store: ConversationStore) -> None:
    """"You also asked about …" is to be pressed once the task before it is done, many messages
    later (a review: refused after five, on the web and on Telegram alike); a command is not."""
    conversation = store.create_web_conversation()
    store.add_outbound(conversation, author=Author.BOT, text="You also asked about …",
                       buttons=[{"title": "Close my account", "payload": "delete my account"},
                                {"title": "Orders", "payload": "/order_status"}])
    for n in range(12):
        store.add_outbound(conversation, author=Author.BOT, text=f"later {n}")
    assert store.offered_title(conversation.id, "delete my account") == "Close my account"
    assert store.offered_title(conversation.id, "/order_status") is None
    assert store.offered_title(conversation.id, "never offered") is None
    for n in range(40):
        store.add_outbound(conversation, author=Author.BOT, text=f"much later {n}")
    assert store.offered_title(conversation.id, "delete my account") is None


def test_a_telegram_chat_keeps_its_conversation(store: ConversationStore) -> None:
    first = store.conversation_for_address(TELEGRAM, "4242", "Ann")
    again = store.conversation_for_address(TELEGRAM, "4242")
    other = store.conversation_for_address(TELEGRAM, "4343")
    assert first.id == again.id != other.id
    assert first.channel == TELEGRAM and first.address == "4242"


def test_flagging_marks_the_conversation_for_a_human(store: ConversationStore, clock: Clock) -> None:
    conversation = store.create_web_conversation()
    store.flag_for_human(conversation.id, "assistant_unreachable")
    flagged = store.conversation(conversation.id)
    assert flagged is not None and flagged.needs_human and flagged.flag_reason == "assistant_unreachable"
    assert [c.id for c in store.flagged()] == [conversation.id]


def test_unrouted_messages_are_found_until_handled(store: ConversationStore) -> None:
    conversation = store.create_web_conversation()
    message, _ = store.add_inbound(conversation, text="anyone there?")
    assert [m.id for m in store.unhandled_inbound()] == [message.id]
    store.mark_handled(message.id)
    assert store.unhandled_inbound() == []


def test_a_stored_message_comes_with_its_conversation_as_it_is_now(store: ConversationStore) -> None:
    """The turn that routes a message reads the conversation in the same transaction that
    stores it: a conversation flagged since the caller read it is seen flagged."""
    conversation = store.create_web_conversation()
    store.flag_for_human(conversation.id, "assistant_unreachable")
    stored = store.store_inbound(conversation, text="hello", client_message_id="c-9")
    assert stored.created and stored.message.text == "hello"
    assert stored.conversation is not None and stored.conversation.needs_human
    assert not conversation.needs_human  # the caller's copy was older
    again = store.store_inbound(conversation, text="hello", client_message_id="c-9")
    assert not again.created and again.message.id == stored.message.id and again.conversation is None


def test_finishing_a_turn_marks_it_routed_and_reads_the_conversation(store: ConversationStore) -> None:
    conversation = store.create_web_conversation()
    message, _ = store.add_inbound(conversation, text="anyone there?")
    store.flag_for_human(conversation.id, "assistant_unreachable")
    after = store.finish_turn(message.id, conversation.id)
    assert after is not None and after.id == conversation.id and after.needs_human
    assert store.unhandled_inbound() == [] and store.is_handled(message.id)
    other, _ = store.add_inbound(conversation, text="still there?")
    assert store.finish_turn(other.id, "no-such-conversation") is None


def test_a_turns_replies_are_stored_in_order_with_their_deliveries(store: ConversationStore) -> None:
    conversation = store.conversation_for_address(TELEGRAM, "77")
    records = store.add_outbound_all(conversation, author=Author.BOT, push=True, messages=[
        ("first", []), ("second", [{"title": "Yes", "payload": "/affirm"}]), ("third", [])])
    assert [r.text for r in records] == ["first", "second", "third"]
    assert [r.id for r in records] == sorted(r.id for r in records)
    assert [m.text for m in store.messages_after(conversation.id)] == ["first", "second", "third"]
    assert store.messages_after(conversation.id)[1].buttons == [{"title": "Yes", "payload": "/affirm"}]
    assert [d.message.text for d in store.due_deliveries()] == ["first", "second", "third"]
    web = store.create_web_conversation()
    store.add_outbound_all(web, author=Author.BOT, messages=[("web only", [])])
    assert len(store.due_deliveries()) == 3


def test_a_push_delivery_is_retried_and_then_kept_as_failed(store: ConversationStore, clock: Clock) -> None:
    conversation = store.conversation_for_address(TELEGRAM, "99")
    message = store.add_outbound(conversation, author=Author.BOT, text="hello", push=True)
    due = store.due_deliveries()
    assert [(d.message.id, d.address, d.attempts) for d in due] == [(message.id, "99", 0)]
    store.delivery_failed(due[0].id, "HTTP 502", timedelta(seconds=30))
    assert store.due_deliveries() == []  # not before the retry time
    clock.now += timedelta(seconds=31)
    retry = store.due_deliveries()
    assert retry[0].attempts == 1
    store.delivery_failed(retry[0].id, "HTTP 502", None)
    clock.now += timedelta(days=1)
    assert store.due_deliveries() == []  # given up, but the row and message remain
    assert store.messages_after(conversation.id)[0].text == "hello"


def test_a_sent_delivery_is_not_sent_again(store: ConversationStore) -> None:
    conversation = store.conversation_for_address(TELEGRAM, "100")
    store.add_outbound(conversation, author=Author.BOT, text="hi", push=True)
    store.add_outbound(conversation, author=Author.BOT, text="web only", push=False)
    due = store.due_deliveries()
    assert len(due) == 1
    store.delivery_sent(due[0].id, "555")
    assert store.due_deliveries() == []


def test_the_look_for_an_older_waiting_delivery_uses_an_index(tmp_path: Path) -> None:
    """Each round of the delivery worker asks, for every due message, whether an older one to
    its address still waits: on a table of months of deliveries that must not scan it."""
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    upgrade(url)
    engine = create_database_engine(url)
    statement = due_deliveries_query(datetime(2026, 12, 7), 50).compile(
        engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}")]
    engine.dispose()
    inner = [step for step in plan if "deliveries_1" in step]
    assert inner and all("ix_deliveries_address_waiting" in step for step in inner), plan
