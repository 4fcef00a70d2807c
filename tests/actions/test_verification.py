"""Identity checks that cannot be out-guessed: failures add up in the database across
conversations and channels, identity given with the order number counts, and an order
number that does not exist reads exactly like details that do not match."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import pytest
from sqlalchemy import func, select

from actions.accounts import ValidateContactForm
from actions.orders import ValidateOrderForm
from actions.verification import LOCKED, VERIFIED
from company import accounts
from company.models import IdentityCheck, OutboundEmail
from tests.conftest import entity, make_tracker

WRONG_POSTCODES = ["LS6 2QT", "NW1 6XE", "EH1 2NG"]  # HG-100003 is Ben Okafor's, M3 4LQ


def conversation(n: int) -> Tuple[str, Dict[str, Any]]:
    """The n-th conversation: alternately web and Telegram, each from its own address."""
    if n % 2:
        return f"tg-{n}", {"channel": "telegram", "client_address": f"telegram:{4000 + n}"}
    return f"web-{n}", {"channel": "web", "client_address": f"203.0.113.{n}"}


def verify(domain, make_dispatcher, n: int, number: str, claim: str,
           failures: float = 0.0) -> Tuple[Dict[str, Any], List[Optional[str]]]:
    sender, metadata = conversation(n)
    tracker = make_tracker({"order_number": number, "verification_failures": failures},
                           domain=domain, sender_id=sender, metadata=metadata, text=claim)
    dispatcher = make_dispatcher(tracker)
    result = ValidateOrderForm().validate_order_verifier(claim, dispatcher, tracker, domain)
    return result, dispatcher.responses()


def failures_recorded(session, target: str) -> int:
    return session.execute(select(func.count()).select_from(IdentityCheck).where(
        IdentityCheck.target == target, IdentityCheck.outcome == "failed")).scalar_one()


def test_the_guessing_sequence_is_refused(database_url, session, domain, make_dispatcher):
    """Three wrong postcodes per conversation in four conversations (web and Telegram),
    then the right postcode in a fifth: nothing is shown."""
    said: List[Optional[str]] = []
    for n in range(4):
        failures = 0.0
        for guess in WRONG_POSTCODES:
            result, responses = verify(domain, make_dispatcher, n, "HG-100003", guess, failures)
            failures = result.get("verification_failures", failures)
            said += responses
            assert result["order_verifier"] != VERIFIED
    assert failures_recorded(session, "HG-100003") == 5  # after the lock, guesses are not even tried
    assert said[:2] == ["utter_verification_mismatch"] * 2
    assert "utter_identity_locked" in said
    result, responses = verify(domain, make_dispatcher, 5, "HG-100003", "M3 4LQ")  # the right one
    assert result == {"order_verifier": LOCKED}
    assert responses == ["utter_identity_locked"]


def test_identity_sent_with_the_order_number_counts(database_url, session, domain, make_dispatcher):
    tracker = make_tracker({"email": "guess@example.com"}, domain=domain, sender_id="web-1",
                           text="where is HG-100003, my email is guess@example.com",
                           entities=[entity("order_number", "HG-100003"),
                                     entity("email", "guess@example.com")],
                           metadata={"channel": "web", "client_address": "203.0.113.1"})
    dispatcher = make_dispatcher(tracker)
    result = ValidateOrderForm().validate_order_number("HG-100003", dispatcher, tracker, domain)
    assert result["order_verifier"] is None and result["email"] is None
    assert dispatcher.responses() == ["utter_verification_mismatch"]
    assert failures_recorded(session, "HG-100003") == 1


def test_a_proven_identity_tried_on_another_order_is_not_a_guess(database_url, session, domain,
                                                                 make_dispatcher):
    tracker = make_tracker({"email": "alice.morgan@example.com", "verified_order": "HG-100001",
                            "order_verifier": VERIFIED}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    result = ValidateOrderForm().validate_order_number("HG-100003", dispatcher, tracker, domain)
    assert result == {"order_number": "HG-100003", "order_verifier": None}
    assert dispatcher.responses() == []
    assert failures_recorded(session, "HG-100003") == 0


async def test_the_order_meant_after_a_mismatch_is_checked_with_the_detail_told(database_url, session, domain,
                                                                               make_dispatcher):
    """A customer run: "where is my order HG-100003", "LS6 2QT" (can't match: Alice's
    postcode), "sorry wrong order, i meant HG-100002" asked for the proof again although the
    postcode fits HG-100002. It proves it; on an order it does not fit either, it is a failed
    check like any other (a switch of order tries no detail for free)."""
    def told(text: str, entities: List[Dict[str, Any]]) -> Dict[str, Any]:
        return {"event": "user", "text": text, "parse_data": {"text": text, "entities": entities}}

    def bot(response: str) -> Dict[str, Any]:
        return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}

    async def meant(number: str, said: List[Dict[str, Any]], postcode_entity: bool = True,
                   text: str = "sorry wrong order, i meant {number}"):
        text = text.format(number=number)
        given = told("LS6 2QT", [entity("postcode", "LS6 2QT")] if postcode_entity else [])
        # as Rasa runs the form: the number and the words (taken as the proof asked for) to validate
        candidates = {"order_number": number, "order_verifier": text}
        events = [given, *said, told(text, [entity("order_number", number)]),
                  {"event": "action", "name": "order_form"},
                  *({"event": "slot", "name": name, "value": value} for name, value in candidates.items())]
        slots = {"order_number": "HG-100003", "verification_failures": 1.0, "requested_slot": "order_verifier"}
        tracker = make_tracker({**slots, **candidates}, domain=domain, text=text, intent="inform",
                               entities=[entity("order_number", number)], events=events, active_loop="order_form",
                               sender_id=f"web-meant-{number}-{len(said)}", metadata={"client_address": "203.0.113.50"})
        dispatcher = make_dispatcher(tracker)
        for event in await ValidateOrderForm().run(dispatcher, tracker, domain):
            if event["event"] == "slot":
                slots[event["name"]] = event["value"]
        return slots, dispatcher.responses()

    mismatch = [bot("utter_verification_mismatch"), bot("utter_ask_order_verifier")]
    for postcode_entity in (True, False):
        result, responses = await meant("HG-100002", mismatch, postcode_entity)
        assert result["order_verifier"] == VERIFIED and result["verified_order"] == "HG-100002", result
        assert responses == []
    result, responses = await meant("HG-100005", mismatch)
    assert result["order_verifier"] is None and responses == ["utter_verification_mismatch"]
    assert failures_recorded(session, "HG-100005") == 1
    # another order asked about, not the number corrected: the detail is not tried on it
    result, responses = await meant("HG-100002", mismatch, text="and {number}?")
    assert result["order_verifier"] is None and responses == []
    # no mismatch just before: the postcode was not told for an order, and is not tried
    result, responses = await meant("HG-100002", [bot("utter_ask_order_number")])
    assert result["order_number"] == "HG-100002" and result["order_verifier"] is None and responses == []


def test_an_order_that_does_not_exist_reads_like_a_mismatch(database_url, domain, make_dispatcher):
    form = ValidateOrderForm()
    answers = []
    for number in ("HG-100002", "HG-999999"):
        tracker = make_tracker(domain=domain)
        dispatcher = make_dispatcher(tracker)
        asked = form.validate_order_number(number, dispatcher, tracker, domain)
        assert asked == {"order_number": number, "order_verifier": None}
        result, responses = verify(domain, make_dispatcher, 0, number, "M3 4LQ")
        answers.append((dispatcher.responses(), {k: v for k, v in result.items()}, responses))
    assert answers[0] == answers[1]


def test_guessing_through_the_contact_details_flow_locks_the_account(database_url, session, domain,
                                                                     make_dispatcher):
    form = ValidateContactForm()
    said = []
    for n in range(6):
        sender, metadata = conversation(n)
        tracker = make_tracker({"account_email": "alice.morgan@example.com"}, domain=domain,
                               sender_id=sender, metadata=metadata)
        dispatcher = make_dispatcher(tracker)
        result = form.validate_account_postcode("M3 4LQ", dispatcher, tracker, domain)
        said += dispatcher.responses()
        assert result["account_verified"] is None
    assert said[-1] == "utter_identity_locked"
    # the right postcode from a new conversation changes nothing now
    tracker = make_tracker({"account_email": "alice.morgan@example.com"}, domain=domain,
                           sender_id="web-99", metadata={"client_address": "198.51.100.99"})
    dispatcher = make_dispatcher(tracker)
    result = form.validate_account_postcode("LS6 2QT", dispatcher, tracker, domain)
    assert result["account_verified"] is None
    assert dispatcher.responses() == ["utter_identity_locked"]
    # and the same customer's orders are locked too
    result, responses = verify(domain, make_dispatcher, 7, "HG-100001", "LS6 2QT")
    assert result == {"order_verifier": LOCKED} and responses == ["utter_identity_locked"]


@pytest.mark.parametrize("typed", ["is the toaster any good", "what?", "hang on, let me look"])
def test_a_question_typed_while_the_form_waits_is_no_guess(database_url, session, domain,
                                                           make_dispatcher, typed):
    """No email and no postcode in it: nothing is checked, nothing counted, the proof is
    asked again (it was "can't match those details", and three of them locked the order)."""
    failures = 0.0
    for n in range(4):
        result, responses = verify(domain, make_dispatcher, n, "HG-100003", typed, failures)
        failures = result.get("verification_failures", failures)
        assert result == {"order_verifier": None}
        assert responses == ["utter_proof_not_seen"]
    assert failures_recorded(session, "HG-100003") == 0
    # the message that named this order (a switch of order: "wrong one, HG-100003") is no
    # attempt at a proof: the question comes without "I didn't see an email address"
    text = "wrong one, HG-100003"
    tracker = make_tracker({"order_number": "HG-100003"}, domain=domain, text=text,
                           entities=[{"entity": "order_number", "value": "HG-100003", "start": 11}])
    dispatcher = make_dispatcher(tracker)
    assert ValidateOrderForm().validate_order_verifier(text, dispatcher, tracker, domain) == {
        "order_verifier": None}
    assert dispatcher.responses() == []
    # a real guess still counts, and the right postcode still proves the order
    result, responses = verify(domain, make_dispatcher, 5, "HG-100003", "NW1 6XE")
    assert responses == ["utter_verification_mismatch"]
    assert failures_recorded(session, "HG-100003") == 1
    result, _ = verify(domain, make_dispatcher, 6, "HG-100003", "m34lq")
    assert result["order_verifier"] == VERIFIED


def test_an_account_postcode_answer_that_is_no_postcode_is_asked_again(database_url, session, domain,
                                                                        make_dispatcher):
    form = ValidateContactForm()
    tracker = make_tracker({"account_email": "alice.morgan@example.com"}, domain=domain,
                           text="why do you need that")
    dispatcher = make_dispatcher(tracker)
    result = form.validate_account_postcode("why do you need that", dispatcher, tracker, domain)
    assert result == {"account_postcode": None}  # the email stays: only the postcode is asked
    assert dispatcher.responses() == ["utter_postcode_not_seen"]
    assert failures_recorded(session, "alice.morgan@example.com") == 0
    result = form.validate_account_postcode("LS6 2QT", make_dispatcher(tracker), tracker, domain)
    assert result["account_verified"] == "alice.morgan@example.com"


def test_password_reset_mails_are_limited_per_customer(database_url, session, now):
    for minute in range(6):
        accounts.request_password_reset(session, "alice.morgan@example.com", now)
    sent = session.execute(select(func.count()).select_from(OutboundEmail).where(
        OutboundEmail.template == "password_reset")).scalar_one()
    assert sent == accounts.RESETS_PER_DAY
