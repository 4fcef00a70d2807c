"""Decides whether the customer in this conversation has proved an order or account is
theirs, and what happens when they fail.

Nothing about an order is revealed or changed unless its number is the one in the
conversation and the customer matched the order's email or delivery postcode (an account:
its email and postcode). Every failed proof is recorded in the database
(company.identity_checks), so guesses add up across conversations and channels: a few
failures lock self-service for that order, that customer or that client address for
everyone, and the failure that starts a lock hands this conversation to a person who can
verify the customer another way. Within one conversation the assistant also stops after
`MAX_FAILED_CHECKS`. A number that does not exist and details that do not match get the
same answer, so the assistant cannot be used to find out which orders exist.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.company_db import company_sessions, ticket_store
from actions.phrasing import team_hours
from actions.handoff import gather_context
from actions.tracker_reading import (entity_values, message_before_latest, said_since_previous_message,
                                     session_messages_newest_first, slot_text)
from ground.settings import Settings
from company.identity_checks import (FAILED, ORDER, PROOF_LOCKED, PROOF_VERIFIED, REFUSED, Attempt,
                                     IdentityChecks, IdentityLimits, Lock)
from company.models import Order
from company.identifiers import normalise_email, normalise_order_number, normalise_postcode
from company.orders import find_order, matches_order_owner
from handoff.escalation import TurnSignals, decide
from handoff.tickets import REASON_LABELS, TicketError

MAX_FAILED_CHECKS = 3
VERIFIED = PROOF_VERIFIED
LOCKED = PROOF_LOCKED


def verified_order(tracker: Tracker, session: Session) -> Optional[Order]:
    """The conversation's order if, and only if, the customer has been verified for it."""
    if tracker.get_slot("order_verifier") != VERIFIED:
        return None
    order = find_order(session, slot_text(tracker.get_slot("order_number")))
    if order is None or order.number != tracker.get_slot("verified_order"):
        return None
    return order


def proved(tracker: Tracker, number: Optional[str]) -> bool:
    """Whether the customer proved order `number` in this conversation: a proof ("ok")
    belongs to the order it was given for (`verified_order`), never to the next order the
    customer names."""
    normalised = normalise_order_number(number)
    return normalised is not None and tracker.get_slot("verified_order") == normalised


# "not HG-100005", "isn't HG-…" just before a number: the order is named to be ruled out
_RULED_OUT = re.compile(r"(?:\bnot|n't|\bno)\s*(?:order\s*)?(?:number\s*)?$", re.IGNORECASE)
_SAYS_ORDER = re.compile(r"\border", re.IGNORECASE)


def named_orders(message: Mapping[str, Any]) -> List[str]:
    """The orders a message names and means, in its order, each once: not those ruled out
    ("cancel HG-100001, not HG-100005"), and a bare six-digit number only beside the word
    "order" ("it shows error code 100234" named no order, and ended a return as if it had)."""
    text = str(message.get("text") or "")
    named: List[str] = []
    for entity in message.get("entities") or []:
        if entity.get("entity") != "order_number":
            continue
        raw = str(entity.get("value") or "")
        if raw.strip().isdigit() and not _SAYS_ORDER.search(text):
            continue
        start = entity.get("start")
        if isinstance(start, int) and _RULED_OUT.search(text[max(0, start - 16):start]):
            continue
        number = normalise_order_number(raw)
        if number and number not in named:
            named.append(number)
    return named


def order_named_instead(tracker: Tracker) -> Optional[str]:
    """The order the customer's latest message names in place of the one proved ("hang on
    wrong order number. HG-…", "not HG-100001, I meant HG-100005"), if any. Before, the task
    went on with the new number and the old proof: the questions named an order nobody had
    proved, and the change was then dropped without a word."""
    proved_number = slot_text(tracker.get_slot("verified_order"))
    named = named_orders(tracker.latest_message)
    if proved_number is None or not named or proved_number in named:
        return None
    return named[-1]


def check_order_instead(number: Optional[str], task: str) -> List[EventType]:
    """The task goes on with order `number` (None: the form asks which), once the customer
    proves it is theirs (a proof belongs to the order it was given for; the detail that proved
    the first proves the same customer's other order: `proof_carried_over`). The email and
    postcode told for the first order are let go: tried on the new one, they were counted as
    a failed guess against it ("Sorry, I can't match those details") on a second switch."""
    return [SlotSet("order_task", task), SlotSet("order_number", number),
            SlotSet("order_verifier", None), SlotSet("email", None), SlotSet("postcode", None),
            FollowupAction("order_form")]


def failed_checks(tracker: Tracker) -> int:
    return int(tracker.get_slot("verification_failures") or 0)


def is_locked(tracker: Tracker) -> bool:
    """Whether this conversation has used up its tries."""
    return failed_checks(tracker) >= MAX_FAILED_CHECKS


def identity_checks() -> IdentityChecks:
    return IdentityChecks(company_sessions(), IdentityLimits.from_settings(Settings.from_env()))


def attempt_of(tracker: Tracker) -> Attempt:
    """Who is trying: the conversation, its channel and the client address the gateway
    saw (the only way the action server learns it is the message's metadata, which only
    the gateway can set)."""
    metadata = tracker.latest_message.get("metadata") or {}
    address = metadata.get("client_address")
    return Attempt(conversation_id=tracker.sender_id,
                   channel=str(metadata.get("channel") or "") or None,
                   client_address=str(address) if address else None)


def identity_claims(tracker: Tracker, typed: Optional[str] = None) -> List[str]:
    """Every email and postcode this conversation offers as proof: the latest message's (each
    of them: "postcode on it is LS6 2QT. New address: …, Leeds LS6 1AH" was asked for the
    postcode again, the new one taken as the only one told), the slots', and what was typed
    as the answer."""
    latest = tracker.latest_message or {}
    claims = [*entity_values(latest, "email"), *entity_values(latest, "postcode"),
              slot_text(tracker.get_slot("email")), slot_text(tracker.get_slot("postcode")),
              typed]
    return list(dict.fromkeys(claim for claim in claims if claim))


def proof_carried_over(tracker: Tracker, session: Session, order: Order) -> bool:
    """Whether a detail the customer told in this session, which proved the conversation's
    verified order, proves `order` too: "i gave you my email at the start!!" when the second
    of Alice's orders asked for it again (a customer run). Tried on an order it does not fit,
    it is no guess (`proven_claims`). Only for an order of the same customer: a postcode two
    customers share proves neither's other orders."""
    number = slot_text(tracker.get_slot("verified_order"))
    verified = find_order(session, number) if number else None
    if verified is None or verified.customer_id != order.customer_id:
        return False
    told = [value for event in session_messages_newest_first(tracker)
            for name in ("email", "postcode")
            for value in entity_values(event.get("parse_data") or {}, name)]
    return any(matches_order_owner(verified, claim) and matches_order_owner(order, claim)
               for claim in dict.fromkeys(str(value) for value in told))


MISMATCH_RESPONSE = "utter_verification_mismatch"


def proof_for_the_order_meant(tracker: Tracker) -> List[str]:
    """The email and postcode the customer's message before the latest offered, when they did
    not match the order then asked about and the latest names the order meant ("sorry wrong
    order, i meant HG-100002", a customer run, asked the proof again although the postcode
    told fits it). Tried on that order, they are a claim like any other: one that does not fit
    it either is counted as a failed check, so a switch of order tries no detail for free."""
    if MISMATCH_RESPONSE not in said_since_previous_message(tracker) or not named_orders(tracker.latest_message):
        return []
    before = message_before_latest(tracker) or {}
    parse_data = before.get("parse_data") or {}
    told = [*entity_values(parse_data, "email"), *entity_values(parse_data, "postcode")]
    typed = str(before.get("text") or "").strip()
    return told or ([typed] if offers_proof([typed]) else [])


def offers_proof(claims: Iterable[Optional[str]]) -> bool:
    """True when a claim could be an email address or a UK postcode at all. Anything else (a
    question typed while the form waits: "is the toaster any good") matches no order and no
    account, so it is no guess: it is not counted against the customer, who is told that
    nothing was checked."""
    return any(normalise_email(claim) or normalise_postcode(claim) for claim in claims if claim)


def proven_claims(tracker: Tracker, session: Session, claims: Iterable[str]) -> List[str]:
    """The claims this conversation already proved: the owner details of its verified order
    (trying them on someone else's order is not a guess)."""
    number = slot_text(tracker.get_slot("verified_order"))
    order = find_order(session, number) if number else None
    if order is None:
        return []
    return [claim for claim in claims if matches_order_owner(order, claim)]


def refused(tracker: Tracker, dispatcher: CollectingDispatcher, checks: IdentityChecks,
            kind: str, target: str, customer_id: Optional[int]) -> bool:
    """True, with the customer told how else to prove who they are, when checks for this
    target may not even be tried: this conversation used up its tries, or the order, its
    customer or this client is locked."""
    if is_locked(tracker):
        dispatcher.utter_message(response="utter_verification_locked", **team_hours())
        return True
    attempt = attempt_of(tracker)
    lock = checks.lock(order_number=target if kind == ORDER else None, customer_id=customer_id,
                       client_address=attempt.client_address)
    if lock is None:
        return False
    checks.record(attempt, kind, target, customer_id, REFUSED)
    dispatcher.utter_message(response="utter_identity_locked", **team_hours())
    return True


def record_failed_check(
    tracker: Tracker, dispatcher: CollectingDispatcher, retry_response: str, checks: IdentityChecks,
    kind: str, target: str, customer_id: Optional[int],
) -> Dict[str, Any]:
    """Records a failed identity check and tells the customer what happens next.

    Returns the slot updates: the conversation's failure count, `locked=True` when checks
    must stop, and the ticket when this failure locked the target and a person takes over.
    """
    attempt = attempt_of(tracker)
    checks.record(attempt, kind, target, customer_id, FAILED)
    failures = failed_checks(tracker) + 1
    outcome: Dict[str, Any] = {"verification_failures": float(failures), "locked": True}
    lock = checks.lock(order_number=target if kind == ORDER else None, customer_id=customer_id,
                       client_address=attempt.client_address)
    if lock is not None:
        ticket = _hand_over(tracker, checks, lock, kind, target, customer_id)
        if ticket is not None:
            dispatcher.utter_message(response="utter_identity_locked_handoff")
            outcome["handoff_ticket"] = str(ticket)
        else:
            dispatcher.utter_message(response="utter_identity_locked", **team_hours())
    elif failures >= MAX_FAILED_CHECKS:
        dispatcher.utter_message(response="utter_verification_locked", **team_hours())
    else:
        dispatcher.utter_message(response=retry_response)
        outcome["locked"] = False
    return outcome


def _hand_over(tracker: Tracker, checks: IdentityChecks, lock: Lock, kind: str, target: str,
               customer_id: Optional[int]) -> Optional[int]:
    """A ticket for a person (the escalation decision's identity-lock reason) carrying what
    was tried; None where there is no gateway conversation to hand over (rasa shell)."""
    decision = decide(TurnSignals(identity_locked=True))
    _, context = gather_context(tracker)
    order_number = target if kind == ORDER else None
    context["decision"] = decision.to_json()
    context["identity_lock"] = {
        "scope": lock.scope, "kind": kind, "target": target, "customer_id": customer_id,
        "until": lock.until.isoformat() + "Z", "failures": lock.failures,
        "conversations": checks.conversations_tried(order_number=order_number,
                                                    customer_id=customer_id),
        "attempts": checks.recent(order_number=order_number, customer_id=customer_id),
    }
    what = f"order {target}" if kind == ORDER else f"the account {target}"
    summary = (f"{REASON_LABELS[decision.reasons[0]].capitalize()}: identity checks for {what} "
               f"failed {lock.failures} times (lock on this {lock.scope} until "
               f"{lock.until:%Y-%m-%d %H:%M} UTC). Verify the customer another way before "
               "sharing or changing anything.")
    try:
        return ticket_store().open(tracker.sender_id, decision, context, summary, None).id
    except TicketError:
        return None
