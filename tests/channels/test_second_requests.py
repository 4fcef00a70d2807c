"""A frequent question asked beside another request in one message gets its own answer
(bot/channels/second_requests.py): the parts, and the conversations through the running
product."""

from __future__ import annotations

from typing import List

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa.core.channels.channel import UserMessage

from bot.channels.second_requests import (
    LATER,
    NOW,
    SPLIT_KEY,
    handed_over_in_last_turn,
    may_ask_twice,
    part_of,
    task_offered_now,
    task_put_off,
)
from tests.product import CustomerClient, RunningProcess

SATURDAYS = "Our couriers deliver on working days"  # a part of the delivery-days answer


@pytest.mark.parametrize("text, metadata, could", [
    ("fine. LS6 2QT. also do u deliver on saturdays?", {}, True),
    ("where is my order? also what are your opening hours?", None, True),
    ("where is my order", {}, False),                       # one clause
    ("my partner asked me this: how can I pay", {}, False),  # a preamble and one clause
    ("/affirm. do you take paypal?", {}, False),             # the gateway's own payload
    # a part of a split message is not split again
    ("fine. do you take paypal?", {SPLIT_KEY: "question"}, False),
    # a message about a requirement is about it whole (a review: the coasters of "can I add
    # something to REQ-00010? we also want 250 coasters" started a new 5W1H interview)
    ("can I add something to REQ-00010? we also want 250 coasters", {}, False),
])
def test_only_typed_text_in_several_clauses_may_ask_twice(text, metadata, could):
    assert may_ask_twice(text, metadata) is could


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events))


def _user(text: str) -> UserUttered:
    return UserUttered(text, {"name": "inform", "confidence": 1.0})


@pytest.mark.parametrize("clause, read", [
    ('/cancel_order{"order_number":"HG-100001"}', 'cancel_order{"order_number":"HG-100001"}'),
    ("/restart{ } what are your opening hours?", "restart{ } what are your opening hours?"),
    ("\u00a0/EXTERNAL_handoff_resolved", "EXTERNAL_handoff_resolved"),
    ("do you take paypal?", "do you take paypal?"),
])
def test_a_part_is_typed_text_never_a_command(clause, read):
    """From a review: "what are your opening hours? /cancel_order{…}" had its second clause
    reach Rasa as the command, with the order number as an entity."""
    message = UserMessage("whole", sender_id="someone", metadata={"gateway_message_id": "m1"})
    part = part_of(message, clause, "rest")
    assert part.text == read
    assert part.metadata == {"gateway_message_id": "m1", SPLIT_KEY: "rest"}


def test_a_ticket_opened_after_the_latest_message_is_a_handover():
    handed = _tracker(_user("a person please"), ActionExecuted("action_handoff"),
                      SlotSet("handoff_ticket", "12"))
    assert handed_over_in_last_turn(handed)
    # a ticket of an earlier turn is not this one's
    earlier = _tracker(SlotSet("handoff_ticket", "12"), _user("fine. LS6 2QT."),
                       ActionExecuted("action_listen"))
    assert not handed_over_in_last_turn(earlier)
    assert not handed_over_in_last_turn(_tracker(_user("x"), SlotSet("handoff_ticket", None)))


CLOSE = {"title": "Close my account", "payload": "delete my account please"}


def _bot(text: str, action: str = "", buttons=None) -> BotUttered:
    return BotUttered(text, {"buttons": buttons}, {"utter_action": action} if action else {})


def _put_off_then(*events) -> DialogueStateTracker:
    return _tracker(_user("cancel HG-100001 and delete my account please"),
                    _bot("Are you sure you want to cancel the whole order?", "utter_ask_cancel",
                         [{"title": "Yes", "payload": "/affirm"}]),
                    _bot('You also asked about "Close my account".', LATER, [CLOSE]), *events)


def test_the_task_put_off_is_offered_again_once_the_first_is_over():
    """A customer run: the second of two requests was offered only as a button on the first
    reply, and never again once the first task was done."""
    assert task_put_off(_put_off_then(_user("yes"), _bot("Order HG-100001 is cancelled."))) == CLOSE
    assert task_put_off(_put_off_then(_user("no"), _bot("No problem. Is there anything else I can help with?",
                                                        "utter_ok_anything_else"))) == CLOSE
    # just put off: the first task is still going
    assert task_put_off(_put_off_then()) is None
    # the first task asks something, or a form asks
    assert task_put_off(_put_off_then(_user("hmm"), _bot("Are you sure you want to cancel?"))) is None
    asking = _put_off_then(_user("yes"), _bot("Order HG-100001 is cancelled."))
    asking.update(ActiveLoop("order_form"))
    assert task_put_off(asking) is None
    # pressed or typed already, offered again already, a person called, a new session
    assert task_put_off(_put_off_then(_user("Delete my account  please"), _bot("Sorry to see you go."))) is None
    assert task_put_off(_put_off_then(_user("yes"), _bot("Cancelled."), _bot("Again", NOW, [CLOSE]),
                                      _user("thanks"), _bot("You're welcome."))) is None
    assert task_put_off(_put_off_then(_user("yes"), SlotSet("handoff_ticket", "7"), _bot("A person will reply."))) is None
    assert task_put_off(_put_off_then(SessionStarted(), _user("hi"), _bot("Hello."))) is None


def test_the_task_offered_now_is_taken_in_words():
    """A customer run: "great, now the other one" to the task offered now was read as another
    order for the task just done, and an invoice was sent for the order whose arrival was asked."""
    offered = _put_off_then(_user("yes"), _bot("Cancelled."), _bot("Again", NOW, [CLOSE]))
    for text in ("great, now the other one", "yes please", "ok that one", "the other thing pls"):
        assert task_offered_now(offered, text) == CLOSE["payload"], text
    # words of their own, or not right after the offer: read as they are
    assert task_offered_now(offered, "what are your opening hours?") is None
    assert task_offered_now(offered, "/affirm") is None
    later = _put_off_then(_user("yes"), _bot("Cancelled."), _bot("Again", NOW, [CLOSE]), _user("hi"), _bot("Hello."))
    assert task_offered_now(later, "yes please") is None
    assert task_offered_now(_put_off_then(_user("yes"), _bot("Cancelled.")), "yes please") is None


@pytest.fixture
def customer(product: RunningProcess) -> CustomerClient:
    return CustomerClient(product.gateway_url)


def _replies(customer: CustomerClient, text: str) -> List[str]:
    response = customer.send(text=text)
    response.raise_for_status()
    return [r["text"] or "" for r in response.json()["replies"]]


def test_the_address_and_the_question_beside_it_are_both_answered(customer: CustomerClient) -> None:
    """Read whole, "fine. … also do u deliver on saturdays?" was a delivery question: it was
    answered and the address the form had asked for was lost."""
    assert "email address" in customer.say("I need to change the delivery address on my order HG-100001")
    assert "new delivery address" in customer.say("alice.morgan@example.com")
    replies = _replies(customer, "fine. 14 Mill Lane, Leeds, LS6 2QT. also do u deliver on saturdays?")
    checked = [i for i, r in enumerate(replies) if "send order HG-100001 to 14 Mill Lane, Leeds LS6 2QT?" in r]
    answered = [i for i, r in enumerate(replies) if SATURDAYS in r]
    # the rest first, then the question; the form's question again last, where the reply goes
    assert checked and answered and checked[0] < answered[0] < checked[-1], replies
    assert "as it was" in customer.say("no, leave it")


def test_an_order_question_and_the_opening_hours(customer: CustomerClient) -> None:
    replies = _replies(customer, "where is my order HG-100002? also what are your opening hours?")
    assert "email address" in replies[0] and any("Our support team is available" in r for r in replies), replies
    answer = customer.say("alice.morgan@example.com")
    assert "HG-100002" in answer and "TRK" in answer, answer


def test_a_question_joined_on_with_and_is_answered(customer: CustomerClient) -> None:
    """A customer run: "<email or postcode> and <question>" lost the question, 8 times in 8."""
    assert "email address" in customer.say("where is my order HG-100002")
    replies = _replies(customer, "alice.morgan@example.com and what are your opening hours?")
    assert "TRK" in replies[0] and any("Our support team is available" in r for r in replies[1:]), replies


def test_a_yes_with_nothing_asked_is_no_request_of_its_own(customer: CustomerClient) -> None:
    """"yes. do you take paypal?" at the start got "Sorry, I didn't quite get that" first."""
    replies = _replies(customer, "yes. do you take paypal?")
    assert len(replies) == 1 and "PayPal" in replies[0], replies


def test_a_yes_with_a_question_at_a_confirmation_changes_nothing(customer: CustomerClient,
                                                                  product: RunningProcess) -> None:
    """From a review: read apart, the "yes." of "yes. how long do refunds take?" cancelled the
    order. Read whole, the question is answered, the cancellation asked again
    (bot/policies/pending_questions.py), and a "no" to it keeps the order."""
    from tests.gateway.test_api import _order_status

    assert "email address" in customer.say("please cancel my order HG-100001")
    assert "Are you sure you want to cancel" in customer.say("LS6 2QT")
    answered = customer.say("yes. how long do refunds take?")
    assert "refund" in answered and "is cancelled" not in answered, answered
    assert answered.rstrip().endswith("Are you sure you want to cancel the whole order?"), answered
    assert _order_status(product.env["DATABASE_URL"], "HG-100001") == "processing"
    assert "stays as it is" in customer.say("no")
    assert _order_status(product.env["DATABASE_URL"], "HG-100001") == "processing"


def test_a_feeling_is_answered_with_the_question(customer: CustomerClient) -> None:
    """Read apart, "this is ridiculous." went to a person as a complaint of its own."""
    replies = _replies(customer, "this is ridiculous. do you deliver to france?")
    assert any("To France" in r for r in replies), replies
    assert customer.transcript()["state"] == "bot"


def test_another_task_beside_the_one_done_is_offered_after_it(customer: CustomerClient) -> None:
    """A customer run: "cancel HG-100005 and delete my account please" asked about the
    account's closure and never mentioned the cancellation; a later run: done first, the
    closure handed over, and the cancellation offered after it could never be made. The
    cancellation comes first, the closure is offered after it in the customer's words, and
    pressing it, many messages later, starts it."""
    response = customer.send(text="cancel HG-100001 and delete my account please")
    response.raise_for_status()
    replies = response.json()["replies"]
    assert "delivery postcode of order HG-100001" in replies[0]["text"], replies
    note = replies[-1]
    assert note["text"].startswith('You also asked about "Close my account".'), replies
    assert note["buttons"] == [{"title": "Close my account", "payload": "delete my account please"}]
    customer.say("no")  # leaves the order check
    # the conversation's record shows the note, for a person who reads it later
    said = [m.get("text") or "" for m in customer.transcript()["messages"]]
    assert any(text.startswith('You also asked about "Close my account"') for text in said), said
    # many messages later (a review: the gateway took buttons from the last five messages only)
    for question, answered in (("what are your opening hours?", "support team"), ("can I pay with paypal?", "PayPal"),
                               ("do you deliver to france?", "To France"), ("what plans do you have?", "Harbor Club")):
        assert answered in customer.say(question), question
    pressed = customer.send(payload="delete my account please")
    pressed.raise_for_status()
    assert "close your Harbor Goods account" in " ".join(r["text"] or "" for r in pressed.json()["replies"])
    assert "your account stays as it is" in customer.say("no")


def test_the_proof_asked_again_after_the_question_is_not_the_same_words(customer: CustomerClient) -> None:
    """A customer run: "I need to return HG-100004. How long does the refund take?" got "Thanks.
    To keep your details safe, …" twice in one turn, the refunds' answer between."""
    response = customer.send(text="I need to return HG-100004. How long does the refund take?")
    response.raise_for_status()
    texts = [r["text"] or "" for r in response.json()["replies"]]
    assert sum("postcode of order HG-100004" in text for text in texts) == 2, texts
    assert sum("To keep your details safe" in text for text in texts) == 1, texts


def test_each_task_keeps_its_own_order(customer: CustomerClient) -> None:
    """A customer run: "can u tell me where HG-100002 is and also send me an invoice for
    HG-100001" asked which order to start with, and then sent HG-100002's invoice, twice."""
    response = customer.send(text="can u tell me where HG-100002 is and also send me an invoice for HG-100001")
    response.raise_for_status()
    replies = response.json()["replies"]
    assert "delivery postcode of order HG-100001" in replies[0]["text"], replies
    assert replies[-1]["buttons"] == [{"title": "Track an order", "payload": "can u tell me where HG-100002 is"}]
    # a later run: "… and i also need an invoice for HG-…" asked which order to start with, and
    # the order chosen got the other order's task (4 of 4)
    other = CustomerClient(customer.base_url)
    response = other.send(text="wheres HG-100002 and i also need an invoice for HG-100001 pls")
    replies = response.json()["replies"]
    assert "delivery postcode of order HG-100001" in replies[0]["text"], replies
    assert replies[-1]["buttons"] == [{"title": "Track an order", "payload": "wheres HG-100002"}], replies


def test_the_task_put_off_is_offered_again_when_the_first_is_done(customer: CustomerClient) -> None:
    """A customer run: the second request was only a button on the first reply, and nothing
    said it again once the first task was done. Offered again then, once."""
    customer.send(text="can u tell me where HG-100002 is and also send me an invoice for HG-100001").raise_for_status()
    done = customer.send(text="LS6 2QT").json()["replies"]
    assert "invoice INV-100001" in done[0]["text"], done
    assert done[-1]["text"] == ('You also asked about "Track an order". Press the button below and I\'ll '
                                "help with that now."), done
    assert done[-1]["buttons"] == [{"title": "Track an order", "payload": "can u tell me where HG-100002 is"}]
    assert "You also asked" not in customer.say("what are your opening hours?")
    pressed = customer.send(payload="can u tell me where HG-100002 is").json()["replies"]
    assert "HG-100002" in " ".join(r["text"] or "" for r in pressed), pressed


def test_the_task_offered_now_taken_in_words_is_that_task(customer: CustomerClient) -> None:
    """A customer run: "great, now the other one" to the tracking offered now sent the invoice
    of the order whose arrival was asked."""
    customer.send(text="can u tell me where HG-100002 is and also send me an invoice for HG-100001").raise_for_status()
    done = customer.send(text="LS6 2QT").json()["replies"]
    assert done[-1]["buttons"] == [{"title": "Track an order", "payload": "can u tell me where HG-100002 is"}], done
    taken = " ".join(_replies(customer, "great, now the other one"))
    assert "HG-100002" in taken and "invoice" not in taken.lower(), taken


def test_a_question_after_a_comma_is_answered_beside_the_task(customer: CustomerClient) -> None:
    """A customer run: "i want to send back HG-…, how long does the refund take?" fell back
    whole and got the refunds article; the return was lost. The return starts, and the
    question is answered after the first question of the return, which is asked again."""
    replies = _replies(customer, "i want to send back HG-100004, how long does the refund take?")
    assert "delivery postcode of order HG-100004" in replies[0], replies
    assert any("refund goes back to your original payment method" in reply for reply in replies[1:]), replies
    assert "delivery postcode of order HG-100004" in replies[-1], replies


def test_two_tasks_on_one_order_keep_its_number(customer: CustomerClient) -> None:
    """A customer run: "where is HG-100005? also I need to change the address on it" asked for
    the order number, read without the clause that named it."""
    response = customer.send(text="where is HG-100001? also I need to change the address on it")
    response.raise_for_status()
    replies = response.json()["replies"]
    assert "delivery postcode of order HG-100001" in replies[0]["text"], replies
    assert replies[-1]["text"].startswith("You also asked about"), replies


def test_another_tasks_email_is_not_taken_as_the_proof(customer: CustomerClient) -> None:
    """A second review: "send me the invoice for HG-… and also change my email to bob@…" tried
    the new email as the order's proof: "those details don't match", and a failed check."""
    response = customer.send(text="send me the invoice for HG-100001 and also change my email to bob@new.example")
    response.raise_for_status()
    said = " ".join(r["text"] or "" for r in response.json()["replies"])
    assert "delivery postcode of order HG-100001" in said and "match" not in said, said


def test_no_answer_after_a_handover(customer: CustomerClient) -> None:
    """A person has the conversation: they answer the question, read in the transcript."""
    replies = _replies(customer, "I want to speak to a person. what are your opening hours?")
    assert any("passing you to a person" in r for r in replies), replies
    assert not any("Our support team is available" in r for r in replies), replies


def test_a_plan_to_phone_beside_the_question_gets_the_answer(customer: CustomerClient) -> None:
    """A customer run: "are you open on sundays? I want to call" went to a person, and the
    opening hours were never given (2 of 3)."""
    replies = _replies(customer, "are you open on sundays? I want to call")
    assert any("Our support team is available" in r for r in replies), replies
    assert customer.transcript()["state"] == "bot"


def test_a_help_centre_question_beside_a_frequent_one_gets_both_answers(customer: CustomerClient) -> None:
    """A customer run: "cost to ireland. also do you do gift wrapping" got the delivery costs
    alone; the gift wrapping, which the help centre answers when asked alone, was dropped."""
    replies = _replies(customer, "cost to ireland. also do you do gift wrapping")
    costs = [i for i, r in enumerate(replies) if "To Ireland" in r]
    wrapped = [i for i, r in enumerate(replies) if "£3 per item" in r]
    assert costs and wrapped and costs[0] < wrapped[0], replies
    assert customer.transcript()["state"] == "bot"


def test_two_help_centre_questions_get_both_answers_and_no_sympathy(customer: CustomerClient) -> None:
    """A customer run: "how do i descale the aurora kettle? and is your website accessible with
    a screen reader, my dad is blind" got "I'm sorry about this. Let's get it sorted." and the
    accessibility article alone."""
    replies = _replies(customer, "how do i descale the aurora kettle? and is your website accessible "
                                 "with a screen reader, my dad is blind")
    kettle = [i for i, r in enumerate(replies) if "white vinegar" in r]
    reader = [i for i, r in enumerate(replies) if "work with screen readers" in r]
    assert kettle and reader and kettle[0] < reader[0], replies
    assert not any("sorry" in r.lower() for r in replies), replies
    assert customer.transcript()["state"] == "bot"


def test_a_detail_told_beside_a_question_is_its_context_not_a_request(customer: CustomerClient) -> None:
    """A customer run: the rest ("my coffee grinder stopped working after 2 weeks", a detail
    told with nothing asked) got the grinder's care passage first, then the warranty."""
    replies = _replies(customer, "my coffee grinder stopped working after 2 weeks, is it under warranty")
    assert any("warranty on the Terra Coffee Grinder" in r for r in replies), replies
    assert not any("burrs" in r for r in replies), replies


def test_a_quantity_told_beside_a_stock_question_is_no_new_requirement(customer: CustomerClient) -> None:
    """A customer run: "is it in stock? need 3 for the office" started the 5W1H interview on
    "need 3 for the office", and "no forget that i just wanted the lamps" was its first answer."""
    replies = _replies(customer, "is the lumen desk lamp in stock? need 3 for the office")
    assert not any("project" in r or "What problem should this solve" in r for r in replies), replies
    assert any("Lumen Desk Lamp" in r for r in replies), replies


def test_a_reply_said_for_the_rest_is_not_said_again_for_the_question() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel

    from bot.channels.second_requests import _drop_repeats

    channel = CollectingOutputChannel()
    closing = {"recipient_id": "c", "text": "Closing the account means…"}
    confirm = {"recipient_id": "c", "text": "You want us to close your account – is that right?",
               "buttons": [{"title": "Yes", "payload": "/affirm"}]}
    channel.messages = [closing, confirm]
    said = list(channel.messages)
    channel.messages += [dict(closing), dict(confirm)]
    _drop_repeats(channel, said)
    assert channel.messages == [closing, confirm]
    # something new among them: all kept, the form's question again last, where the reply goes
    refunds = {"recipient_id": "c", "text": "Refunds take 5 days."}
    channel.messages += [refunds, dict(confirm)]
    _drop_repeats(channel, said)
    assert channel.messages == [closing, confirm, refunds, confirm]


def test_two_questions_answered_the_same_are_answered_once(customer: CustomerClient) -> None:
    """A customer run: "hmm what happens to my harbor club plan exactly? do i get money back"
    where the account's closure was to be confirmed got what closing means and the
    confirmation, twice."""
    assert "is that right?" in customer.say("I'd like to close my account please")
    replies = _replies(customer, "hmm what happens to my harbor club plan exactly? do i get money back")
    assert len(replies) == len(set(replies)) and any("is that right?" in r for r in replies), replies
