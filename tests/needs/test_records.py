"""What a customer adds to a confirmed requirement later (needs/records.py): kept only for
the requirement's own conversation or customer, at most MAX_NOTES, carried by the sheet's
JSON and Markdown, and sent to the teams' webhook again as an update (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Iterator

import pytest
from sqlalchemy.orm import sessionmaker

from company.models import Customer
from conversations.store import ConversationStore
from needs.export import to_markdown
from needs.records import MAX_NOTES, NOT_THEIRS, TOO_MANY, RequirementSheet, RequirementStore
from tests.databases import Clock
from tests.needs.receiver import Receiver
from tests.needs.test_webhook import dispatcher

SHEET = RequirementSheet(what="40 desk lamps", why="the old ones flicker", when="by March", where="Leeds")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def _customer(sessions: sessionmaker, clock: Clock, email: str) -> int:
    with sessions.begin() as session:
        customer = Customer(name="Jo Example", email=email, address_line="1 Main St", city="Leeds",
                            postcode="LS1 1AA", created_at=clock.now)
        session.add(customer)
        session.flush()
        return customer.id


def test_only_the_requirements_own_conversation_or_customer_adds_to_it(sessions: sessionmaker, clock: Clock) -> None:
    conversations = ConversationStore(sessions, clock)
    own, other, later = (conversations.create_web_conversation() for _ in range(3))
    customer_id = _customer(sessions, clock, "jo@example.com")
    store = RequirementStore(sessions, clock)
    requirement_id = store.save(own.id, "web", customer_id, SHEET, {})
    # anyone can type a reference: a stranger's words are not added to another's sheet
    assert store.add_note(requirement_id, other.id, None, "cancel all of it") == NOT_THEIRS
    assert store.add_note(requirement_id, other.id, _customer(sessions, clock, "x@example.com"), "hi") == NOT_THEIRS
    assert store.add_note(requirement_id + 1, own.id, customer_id, "hi") == NOT_THEIRS  # none such
    assert not store.is_theirs(requirement_id, other.id, None)
    # the conversation it was confirmed in, or the same customer in a later conversation
    assert store.add_note(requirement_id, own.id, None, "we   also want\n250 coasters") is None
    clock.now += timedelta(minutes=5)
    assert store.is_theirs(requirement_id, later.id, customer_id)
    assert store.add_note(requirement_id, later.id, customer_id, "<b>by May</b> please") is None
    sheet = store.get(requirement_id)
    assert [note["text"] for note in sheet["notes"]] == ["we also want 250 coasters", "<b>by May</b> please"]
    assert sheet["notes"][0]["created_at"] < sheet["notes"][1]["created_at"]
    markdown = to_markdown(sheet)
    assert "## Added by the customer later" in markdown and r"\<b\>by May\</b\> please" in markdown
    assert sheet["fields"]["what"] == "40 desk lamps"  # the sheet as confirmed stays


def test_a_requirement_takes_at_most_so_many_notes(sessions: sessionmaker, clock: Clock) -> None:
    conversation = ConversationStore(sessions, clock).create_web_conversation()
    store = RequirementStore(sessions, clock)
    requirement_id = store.save(conversation.id, "web", None, SHEET, {})
    for number in range(MAX_NOTES):
        assert store.add_note(requirement_id, conversation.id, None, f"note {number}") is None
    assert store.add_note(requirement_id, conversation.id, None, "one too many") == TOO_MANY
    assert len(store.get(requirement_id)["notes"]) == MAX_NOTES


def test_a_note_sends_the_sheet_again_as_an_update(sessions: sessionmaker, clock: Clock,
                                                    receiver: Receiver) -> None:
    conversation = ConversationStore(sessions, clock).create_web_conversation()
    store = RequirementStore(sessions, clock)
    requirement_id = store.save(conversation.id, "web", None, SHEET, {}, receiver.url)
    sender = dispatcher(sessions, clock)
    assert asyncio.run(sender.deliver_due()) == 1
    clock.now += timedelta(hours=1)
    assert store.add_note(requirement_id, conversation.id, None, "we also want 250 coasters", receiver.url) is None
    assert asyncio.run(sender.deliver_due()) == 1
    (first, confirmed), (second, updated) = receiver.calls
    assert first["x-caredesk-event"] == "requirement.confirmed" and json.loads(confirmed)["notes"] == []
    assert second["x-caredesk-event"] == "requirement.updated"
    assert [note["text"] for note in json.loads(updated)["notes"]] == ["we also want 250 coasters"]
