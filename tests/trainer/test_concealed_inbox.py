"""Trainers see customers' words with personal data replaced by the training data's
placeholders (the inbox, its entities and the agents' notes), decide on that very text, and
see the original only through a recorded reveal with a reason (SQLite and PostgreSQL, with
a tracker store of real Rasa events)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from conversations.store import ConversationStore
from handoff.accounts import StaffAccounts, StaffMember
from handoff.models import Role
from reports.tracker import tracker_engine
from tests.databases import Clock
from tests.trainer.tracker import FakeTracker
from trainer.inbox import Inbox
from trainer.masking import Span, mask
from trainer.models import ReviewDecision, TrainerReveal, TrainingFlag
from trainer.reveals import Reveals
from trainer.reviews import Reviews
from trainer.training_data import REVIEWED_NLU, TrainingData, TrainingDataError

WRITTEN = ("the Aurora kettle from HG-123456 went to jo.bloggs@gmail.com in SW1A 1AA, "
           "ring 07911 123456 about the kettle")
SHOWN = ("the Aurora kettle from HG-100000 went to name@example.com in AB1 2CD, "
         "ring 07700 900000 about the kettle")
SECRETS = ("123456", "jo.bloggs", "gmail", "SW1A", "1AA", "07911")


def found(text: str, words: str, entity: str, value: Any = None, after: int = 0) -> Dict[str, Any]:
    """An entity as Rasa's extractors report it: offsets of `words` in the written text."""
    start = text.index(words, after)
    return {"entity": entity, "value": value or words, "start": start, "end": start + len(words),
            "extractor": "RegexEntityExtractor"}


ENTITIES = [found(WRITTEN, "Aurora", "product"),
            found(WRITTEN, "HG-123456", "order_number"),
            found(WRITTEN, "jo.bloggs@gmail.com", "email"),
            found(WRITTEN, "SW1A 1AA", "postcode", "SW1A1AA"),
            found(WRITTEN, "07911 123456", "phone"),
            found(WRITTEN, "kettle", "product", after=WRITTEN.index("about"))]


class Workbench:
    """The inbox, decisions and reveals on one product database and one tracker store."""

    def __init__(self, sessions: sessionmaker, clock: Clock, tracker: FakeTracker,
                 root: Path) -> None:
        self.sessions = sessions
        self.clock = clock
        self.tracker = tracker
        self.root = root
        self.inbox = Inbox(tracker_engine(tracker.url), sessions, 0.6, root)
        self.reviews = Reviews(sessions, self.inbox, TrainingData(root), clock)
        self.reveals = Reveals(sessions, self.inbox, clock)
        self.conversations = ConversationStore(sessions, clock)
        self.trainer: StaffMember = StaffAccounts(sessions, clock).create_user(
            "tia", "correct horse battery staple", Role.TRAINER, "Tia", [], 5)

    def message(self, text: str, entities: Any = (), note: str = "") -> int:
        """A customer's message in a new conversation; flagged by an agent with `note`."""
        conversation = self.conversations.create_web_conversation()
        stored, _ = self.conversations.add_inbound(conversation, text=text)
        if note:
            agent = StaffAccounts(self.sessions).create_user(
                f"ann{stored.id}", "correct horse battery staple", Role.AGENT, "Ann", [], 5)
            with self.sessions.begin() as session:
                session.add(TrainingFlag(message_id=stored.id, conversation_id=conversation.id,
                                         flagged_by=agent.id, note=note,
                                         created_at=self.clock.now))
        return self.tracker.said(conversation.id, text, entities=list(entities),
                                 gateway_message_id=stored.id)


@pytest.fixture
def workbench(sessions: sessionmaker, clock: Clock, tmp_path: Path,
              project_copy: Path) -> Iterator[Workbench]:
    tracker = FakeTracker(tmp_path / "tracker.db")
    yield Workbench(sessions, clock, tracker, project_copy)
    tracker.close()


def test_the_inbox_shows_placeholders_where_personal_data_was(workbench: Workbench) -> None:
    event_id = workbench.message(WRITTEN, ENTITIES, note="she gave jo.bloggs@gmail.com twice")
    [item] = workbench.inbox.items()
    assert item.id == event_id and item.text == SHOWN
    assert item.flag_note == "she gave name@example.com twice"
    shown = item.to_json()
    for secret in SECRETS:
        assert secret not in json.dumps(shown), secret
    # every entity's offsets are in the shown text, and its value is what is shown there
    assert [(e["entity"], e["value"], SHOWN[e["start"]:e["end"]]) for e in shown["entities"]] == [
        ("product", "Aurora", "Aurora"), ("order_number", "HG-100000", "HG-100000"),
        ("email", "name@example.com", "name@example.com"), ("postcode", "AB1 2CD", "AB1 2CD"),
        ("phone", "07700 900000", "07700 900000"), ("product", "kettle", "kettle")]
    confident = workbench.tracker.said("c0ffee", "is HG-654321 on its way", confidence=0.97)
    assert [(i.id, i.text) for i in workbench.inbox.items("all")] == [
        (confident, "is HG-100000 on its way"), (event_id, SHOWN)]
    one = workbench.inbox.item(event_id)  # what a decision works on
    assert (one.text, one.entities, one.flag_note) == (item.text, item.entities, item.flag_note)
    assert workbench.inbox.as_written(event_id).text == WRITTEN  # only for a reveal


def test_a_decision_is_made_on_the_shown_text(workbench: Workbench) -> None:
    event_id = workbench.message(WRITTEN, ENTITIES)
    item = workbench.inbox.item(event_id)
    kettle = item.text.rindex("kettle")  # after the placeholders: not where it was written
    assert kettle != WRITTEN.rindex("kettle")

    on_a_placeholder = item.text.index("HG-100000")
    with pytest.raises(TrainingDataError, match="overlap personal data, marked as order_number"):
        workbench.reviews.decide(event_id, workbench.trainer, "confirm", marked=[
            Span(on_a_placeholder, on_a_placeholder + 9, "product")])

    decided = workbench.reviews.decide(event_id, workbench.trainer, "confirm",
                                       marked=[Span(kettle, kettle + 6, "product")])
    expected = ("the Aurora kettle from [HG-100000](order_number) went to [name@example.com](email) "
                "in [AB1 2CD](postcode), ring [07700 900000](phone) about the [kettle](product)")
    assert decided["example"] == expected
    # exactly what masking the customer's own words would have written
    written_at = WRITTEN.rindex("kettle")
    assert mask(WRITTEN, workbench.root, [Span(written_at, written_at + 6, "product")]).text == expected
    assert f"- {expected}\n" in (workbench.root / REVIEWED_NLU).read_text()


def test_a_placeholder_that_no_longer_matches_its_pattern_is_still_an_entity(
        workbench: Workbench) -> None:
    written = "my order#654321 never came"  # shown "my orderHG-100000 never came"
    event_id = workbench.message(written)
    item = workbench.inbox.item(event_id)
    assert item.text == "my orderHG-100000 never came"
    decided = workbench.reviews.decide(event_id, workbench.trainer, "confirm")
    assert decided["example"] == mask(written, workbench.root).text == \
        "my order[HG-100000](order_number) never came"


def test_a_reveal_needs_a_reason_and_is_recorded(workbench: Workbench, clock: Clock) -> None:
    event_id = workbench.message(WRITTEN, ENTITIES)
    for reason in ("", "why not", "          ", "x" * 501):
        with pytest.raises(TrainingDataError) as refused:
            workbench.reveals.reveal(event_id, workbench.trainer, reason)
        assert refused.value.status == 422
    with pytest.raises(TrainingDataError) as missing:
        workbench.reveals.reveal(event_id + 100, workbench.trainer, "checking what was really said")
    assert missing.value.status == 404
    with workbench.sessions() as session:
        assert session.scalars(select(TrainerReveal)).all() == []  # nothing shown, nothing kept

    reason = "  the placeholder hides   which order the customer meant "
    revealed = workbench.reveals.reveal(event_id, workbench.trainer, reason)
    assert revealed["text"] == WRITTEN and revealed["id"] == event_id
    with workbench.sessions() as session:
        [row] = session.scalars(select(TrainerReveal)).all()
    assert (row.tracker_event_id, row.revealed_by, row.reason, row.revealed_at) == (
        event_id, workbench.trainer.id, "the placeholder hides which order the customer meant",
        clock.now)
    assert row.conversation_id == revealed["conversation_id"] == workbench.inbox.item(event_id).conversation_id
    # revealing changes nothing that is shown or decided
    assert workbench.inbox.item(event_id).text == SHOWN
    with workbench.sessions() as session:
        assert session.scalars(select(ReviewDecision)).all() == []
