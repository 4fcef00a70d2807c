"""A quick question asked while waiting for a person is answered by the assistant
(bot/channels/queued_questions.py): what counts as one, and conversations through the
running product, the ticket keeping its place."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.queued_questions import answers_the_assistant, is_quick_question, without_changes
from conversations.channel_protocol import QUEUED_KEY
from tests.product import CustomerClient, RunningProcess, StaffClient

HOURS = "Our support team is available"  # a part of the opening hours' answer
KEEPS_PLACE = "You keep your place in the queue"
FOR_THE_PERSON = "added this to your conversation"


def _parse(intent: str, score: float = 0.0, risks: List[str] = ()) -> Dict[str, Any]:
    return {"intent": {"name": intent, "confidence": 0.9},
            "emotion": {"score": score, "risks": list(risks)}}


@pytest.mark.parametrize("text, parse, quick", [
    ("while i wait can u tell me where HG-100004 is", _parse("order_status"), True),
    ("what time do you open tomorrow?", _parse("ask_opening_hours"), True),
    ("where is my refund for HG-100003", _parse("refund_status"), True),
    ("ok and do you deliver on saturdays", _parse("ask_shipping"), True),
    ("meanwhile send me the invoice for HG-100001 pls", _parse("request_invoice"), True),
    # told, not asked: for the person handling the case
    ("my order HG-100002 never came", _parse("order_status"), False),
    ("HG-100002", _parse("order_status"), False),
    # a change waits for the person
    ("can you cancel HG-100001?", _parse("cancel_order"), False),
    ("can u change the address on HG-100001?", _parse("change_address"), False),
    # upset, or a risk: the person's
    ("where is HG-100002?? this is ridiculous", _parse("order_status", score=-0.7), False),
    ("is the kettle safe? it sparked", _parse("ask_product", risks=["danger"]), False),
    ("how do I speak to someone?", _parse("request_human"), False),
    ("what?", _parse("nlu_fallback"), False),
    # asked of the person (a later run: answered, and the answer contradicted the customer)
    ("when the agent comes: can u check why HG-100004 hasnt been refunded", _parse("refund_status"), False),
    ("can someone check where HG-100002 is?", _parse("order_status"), False),
    ("is your team open on saturday?", _parse("ask_opening_hours"), True),
])
def test_only_a_calm_question_that_changes_nothing_is_quick(text, parse, quick):
    assert is_quick_question(text, parse) is quick


def _user(text: str, queued: bool) -> UserUttered:
    return UserUttered(text, {"name": "order_status", "confidence": 1.0},
                       metadata={QUEUED_KEY: True} if queued else {})


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events))


def test_the_reply_to_what_the_assistant_asked_in_the_queue_is_its_own():
    asked = _tracker(_user("where is HG-100002?", True), ActionExecuted("order_form"),
                     BotUttered("What is the email address on order HG-100002?"))
    assert answers_the_assistant(asked, _parse("inform"))
    # a form asks, in words that end with a full stop
    proof = _tracker(_user("where is HG-100002", True), SlotSet("order_task", "status"),
                     ActionExecuted("order_form"), ActiveLoop("order_form"),
                     BotUttered("To keep your details safe, please tell me the email address you ordered with."))
    assert answers_the_assistant(proof, _parse("inform"))
    # the answer is over: the next message is the person's again
    answered = _tracker(_user("where is HG-100002?", True),
                        BotUttered("HG-100002 is on its way."),
                        BotUttered("You keep your place in the queue."))
    assert not answers_the_assistant(answered, _parse("inform"))
    # asked before the handoff, not in the queue: the person reads the reply
    before = _tracker(_user("where is HG-100002?", False),
                      BotUttered("What is the email address on order HG-100002?"),
                      SlotSet("handoff_ticket", "4"))
    assert not answers_the_assistant(before, _parse("inform"))
    assert not answers_the_assistant(_tracker(), _parse("inform"))
    # a change is the person's, even asked for at the assistant's question (a later run: a
    # warranty answer's "Something has a fault" button went on to a return in the queue)
    offered = _tracker(_user("how long is the warranty?", True),
                       BotUttered("Two years. Is something wrong with it?", {"buttons": [{"title": "Something has a fault", "payload": "/start_return"}]}))
    assert answers_the_assistant(offered, _parse("inform"))
    assert not answers_the_assistant(offered, _parse("start_return"))
    assert not answers_the_assistant(offered, _parse("request_human"))
    # the order check of a return is the person's; of a status question, the assistant's
    checking = [_user("the terra grinder", True), ActionExecuted("order_form"), ActiveLoop("order_form"),
                BotUttered("What's your order number?")]
    assert not answers_the_assistant(_tracker(*checking, SlotSet("order_task", "return")), _parse("inform"))
    assert answers_the_assistant(_tracker(*checking, SlotSet("order_task", "status")), _parse("inform"))


def test_the_buttons_of_a_change_are_taken_off_an_answer_in_the_queue():
    """A later run: "Start a return" beside a refund's status, and "Something has a fault"
    beside the warranty, pressed in the queue, were only added for the person."""
    said = [{"text": "Two years.", "buttons": [{"title": "Something has a fault", "payload": "/start_return"}]},
            {"text": "Which one?", "buttons": [{"title": "It's faulty", "payload": "It's faulty"},
                                               {"title": "A person", "payload": "/request_human"},
                                               {"title": "Track it", "payload": '/order_status{"order_number": "HG-100002"}'}]},
            {"text": "Done."}]
    without_changes(said)
    assert said == [{"text": "Two years.", "buttons": []},
                    {"text": "Which one?", "buttons": [{"title": "It's faulty", "payload": "It's faulty"},
                                                       {"title": "Track it", "payload": '/order_status{"order_number": "HG-100002"}'}]},
                    {"text": "Done."}]


@pytest.fixture
def staff(product: RunningProcess) -> StaffClient:
    return StaffClient.admin(product.gateway_url)


def _queued(product: RunningProcess) -> CustomerClient:
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="can I talk to a person please").json()["state"] == "queued"
    return customer


def _said(customer: CustomerClient, text: str) -> str:
    response = customer.send(text=text)
    response.raise_for_status()
    body = response.json()
    assert body["state"] == "queued", body
    return " ".join(r["text"] or "" for r in body["replies"])


def test_an_order_question_in_the_queue_is_answered_and_the_ticket_waits(
        product: RunningProcess, staff: StaffClient) -> None:
    """A customer run: "while i wait can u tell me where HG-100004 is" was only added to the
    conversation, for a team back on Monday."""
    customer = _queued(product)
    ticket = staff.ticket_of(customer.id)
    asked = _said(customer, "while i wait can u tell me where HG-100002 is")
    assert "email address" in asked and FOR_THE_PERSON not in asked, asked
    answer = _said(customer, "alice.morgan@example.com")
    assert "HG-100002" in answer and "TRK" in answer and KEEPS_PLACE in answer, answer
    # the answer is over: the next message is for the person again
    assert FOR_THE_PERSON in _said(customer, "thanks, the other thing still stands though")
    detail = staff.http.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert detail["status"] == "queued" and detail["id"] == staff.ticket_of(customer.id)["id"]
    # the person sees what the assistant told the customer
    assert any("TRK" in (m["text"] or "") for m in detail["transcript"]), detail["transcript"]


def test_a_shop_question_in_the_queue_is_answered(product: RunningProcess, staff: StaffClient) -> None:
    customer = _queued(product)
    said = _said(customer, "what are your opening hours?")
    assert HOURS in said and KEEPS_PLACE in said, said
    # the warranty's "Something has a fault" (a return) is not offered in the queue, and the
    # place is still said to be kept (a later run: missing after it)
    body = customer.send(text="how long is the warranty on the nimbus headphones?").json()
    assert all(b["payload"] != "/start_return" for r in body["replies"] for b in r["buttons"]), body["replies"]
    assert KEEPS_PLACE in body["replies"][-1]["text"], body["replies"]
    assert staff.ticket_of(customer.id)["status"] == "queued"


def test_a_question_the_assistant_would_hand_over_in_the_queue_is_kept_for_the_person(
        product: RunningProcess, staff: StaffClient) -> None:
    """A customer run: after an order's status answered in the queue, "the tracking page hasnt
    changed since friday tho, is that normal?" got "I'm passing you to a person now" again."""
    customer = _queued(product)
    _said(customer, "can you at least tell me when HG-100002 is supposed to arrive while i wait?")
    assert "TRK" in _said(customer, "ls6 2qt")
    said = _said(customer, "thanks. the tracking page hasnt changed since friday tho, is that normal?")
    assert FOR_THE_PERSON in said and "passing you to a person" not in said, said
    assert staff.ticket_of(customer.id)["status"] == "queued"


@pytest.mark.parametrize("text", [
    "HG-100002",
    "my order HG-100002 never came",
    "can you cancel HG-100001?",
    "where is HG-100002?? this is ridiculous, I want my money back",
])
def test_what_is_for_the_person_is_kept_for_them(product: RunningProcess, text: str) -> None:
    customer = _queued(product)
    said = _said(customer, text)
    assert FOR_THE_PERSON in said and KEEPS_PLACE not in said, said


def test_a_crisis_told_in_the_queue_gets_help_at_once_and_raises_the_ticket(
        product: RunningProcess, staff: StaffClient) -> None:
    """A customer run: "I can't cope anymore, I just want to end it all" typed while waiting was
    only "added to your conversation", with no help numbers, and the ticket stayed at normal
    priority behind routine ones until the team came back."""
    customer = _queued(product)
    before = staff.ticket_of(customer.id)
    said = _said(customer, "I can't cope anymore, I just want to end it all")
    assert "116 123" in said and FOR_THE_PERSON not in said, said
    after = staff.ticket_of(customer.id)
    assert after["id"] == before["id"] and after["status"] == "queued"
    assert "crisis" in after["reasons"] and after["priority"] == 1 < before["priority"], after
