"""Back with the assistant after leaving the queue, the task left undone at the handoff is
offered again (actions/carrying_on.py): which task, and the conversation through the
running product."""

from __future__ import annotations

from typing import Any, Dict, List

from actions.carrying_on import task_before_the_handoff
from tests.product import CustomerClient, RunningProcess


def _user(intent: str, order: str = "") -> Dict[str, Any]:
    entities = [{"entity": "order_number", "value": order}] if order else []
    return {"event": "user", "parse_data": {"intent": {"name": intent}, "entities": entities}}


def _action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def _loop(name: Any) -> Dict[str, Any]:
    return {"event": "active_loop", "name": name}


def _handoff() -> List[Dict[str, Any]]:
    return [_action("action_handoff"), _loop(None), {"event": "slot", "name": "handoff_ticket", "value": "9"}]


def _form_asking(intent: str, order: str = "") -> List[Dict[str, Any]]:
    return [_user(intent, order), _action("order_form"), _loop("order_form"), _action("action_listen")]


def test_a_task_a_form_was_asking_about_is_offered_with_its_order():
    events = _form_asking("start_return") + [_user("inform", "HG-100003"), _action("order_form"),
                                              _action("action_listen"), _user("request_human")] + _handoff()
    assert task_before_the_handoff(events) == ("start_return", '/start_return{"order_number": "HG-100003"}')


def test_a_task_the_person_was_called_for_at_once_is_offered():
    events = [_user("change_address", "HG-100001")] + _handoff()
    assert task_before_the_handoff(events) == ("change_address", '/change_address{"order_number": "HG-100001"}')


def test_a_task_done_before_the_handoff_is_not_offered():
    done = _form_asking("order_status", "HG-100002") + [
        _user("inform"), _action("order_form"), _loop(None), _action("action_order_status"),
        _action("action_listen"), _user("complaint")] + _handoff()
    assert task_before_the_handoff(done) is None
    # a question of the shop's facts is no task to go back to
    assert task_before_the_handoff([_user("ask_opening_hours")] + _handoff()) is None
    assert task_before_the_handoff([_user("request_human")] + _handoff()) is None
    # an earlier session's task is another day's
    assert task_before_the_handoff(_form_asking("start_return") + [{"event": "session_started"},
                                   _user("request_human")] + _handoff()) is None


def test_only_the_latest_handoff_counts():
    events = ([_user("cancel_order", "HG-100001")] + _handoff() + [_user("ask_opening_hours")]
              + [_user("request_human")] + _handoff())
    assert task_before_the_handoff(events) is None


def test_leaving_the_queue_to_carry_on_offers_the_return_left_undone(product: RunningProcess) -> None:
    """A customer run: halfway through a return, "get me a person", then in the queue
    "cancel the handoff, I'll do it with you": asked "What can I do for you?" (3 of 3)."""
    customer = CustomerClient(product.gateway_url)
    assert "email address" in customer.say("I want to return my order HG-100003")
    asked = customer.say("ben.okafor@example.com")
    assert "reason" in asked.lower(), asked  # the order checked, the return's own questions begun
    assert customer.send(text="actually get me a person").json()["state"] == "queued"
    asked = customer.send(text="no wait, i dont want to wait. cancel the handoff").json()
    assert asked["replies"][-1]["buttons"][0]["payload"] == "/withdraw_handoff"
    left = customer.send(payload="/withdraw_handoff").json()
    texts = [r["text"] or "" for r in left["replies"]]
    assert left["state"] == "bot", left
    # gone on with at once, the order's check kept: its own question, once, and nothing else asked
    assert any("Let's go on where we were" in text for text in texts), texts
    assert texts[-1] == "What's the reason for the return?" and "email address" not in " ".join(texts), texts
    assert not any("a little more" in text for text in texts), texts
    # a typed answer is the answer (a later run: "not understood", 4 of 4, with a button)
    summed = customer.say("it crackles in the left ear")
    assert "Reason: \"it crackles in the left ear\"" in summed, summed
    customer.send(payload="/deny")  # (nothing registered: the shared order stays returnable)

    # a later run: the words of leaving were read as an upset request, and the customer handed
    # over again at once (2 of 3); an address change goes on with its own question, once
    moving = CustomerClient(product.gateway_url)
    assert "email address" in moving.say("i need to change the delivery address on HG-100001")
    assert "new delivery address" in moving.say("LS6 2QT")
    assert moving.send(text="actually i want a human").json()["state"] == "queued"
    assert moving.send(text="oh tomorrow is too late. never mind, ill do the address with you").json()["replies"][-1]["buttons"]
    left = moving.send(payload="/withdraw_handoff").json()
    texts = [r["text"] or "" for r in left["replies"]]
    assert left["state"] == "bot" and "new delivery address" in texts[-1], texts
    assert not any("couldn't read" in text or "passing you" in text for text in texts), texts
    assert moving.transcript()["state"] == "bot"

    # a contact detail's change goes on at its next question too, and a typed answer is read
    # (a later run: offered as a button, "yes" and the new number went unread, 4 of 4)
    phoning = CustomerClient(product.gateway_url)
    phoning.say("i want to change my phone number")
    phoning.say("alice.morgan@example.com")
    assert "new phone number" in phoning.say("LS6 2QT").lower()
    assert phoning.send(text="can i talk to a person").json()["state"] == "queued"
    assert phoning.send(text="cancel the handoff, ill do it with you").json()["replies"][-1]["buttons"]
    texts = [r["text"] or "" for r in phoning.send(payload="/withdraw_handoff").json()["replies"]]
    assert any("Let's go on where we were" in text for text in texts) and "new phone number" in texts[-1].lower(), texts
    read_back = phoning.say("07700 900456")
    assert "+447700900456" in read_back.replace(" ", "") or "07700" in read_back, read_back
    assert "as it was" in phoning.say("no leave it")

    # nothing left undone: asked what to do
    plain = CustomerClient(product.gateway_url)
    assert plain.send(text="I want a human").json()["state"] == "queued"
    assert plain.send(text="cancel the handoff").json()["replies"][-1]["buttons"]
    texts = [r["text"] for r in plain.send(payload="/withdraw_handoff").json()["replies"]]
    assert texts[-1] == "What can I do for you?" and "out of the queue" in texts[0], texts


def test_a_task_gone_on_to_its_own_form_after_the_order_check_is_offered():
    """A third run: halfway through a return (the order checked, the reason asked), a person
    called, then out of the queue: "What can I do for you?" (5 of 5, returns, address changes
    and cancellations)."""
    events = _form_asking("start_return", "HG-100003") + [
        _user("inform"), _action("order_form"), _loop(None), _action("return_form"), _loop("return_form"),
        _action("action_listen"), _user("request_human")] + _handoff()
    assert task_before_the_handoff(events) == ("start_return", '/start_return{"order_number": "HG-100003"}')
    # the return's form over too: done
    done = events[:-4] + [_action("return_form"), _loop(None), _action("action_start_return"),
                          _action("action_listen"), _user("complaint")] + _handoff()
    assert task_before_the_handoff(done) is None


def _bot(text: str, buttons: Any = None) -> Dict[str, Any]:
    return {"event": "bot", "text": text, "data": {"buttons": buttons}}


def test_a_cancellation_at_its_question_is_offered():
    """A later run: at "Are you sure you want to cancel the whole order?" (no form asking), a
    person called, then out of the queue: only "What can I do for you?" (3 of 3)."""
    asked = _form_asking("cancel_order", "HG-100001") + [
        _user("inform"), _action("order_form"), _loop(None), _action("action_check_cancellation"),
        _bot("Are you sure you want to cancel the whole order?", [{"title": "Yes", "payload": "/affirm"}]),
        _action("action_listen"), _user("request_human")] + _handoff()
    assert task_before_the_handoff(asked) == ("cancel_order", '/cancel_order{"order_number": "HG-100001"}')
    # told, with "anything else?" after it: done
    told = _form_asking("order_status", "HG-100002") + [
        _user("inform"), _action("order_form"), _loop(None), _action("action_order_status"),
        _bot("HG-100002 is on its way. Anything else I can help with?"),
        _action("action_listen"), _user("complaint")] + _handoff()
    assert task_before_the_handoff(told) is None
