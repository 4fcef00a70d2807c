"""Closing an account on a real database: the account proof, the erasure request recorded
and explained, and the conversation handed to the operations team."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from actions.company_db import company_sessions
from actions.erasure import ActionRequestErasure, ValidateErasureForm
from actions.verification import MAX_FAILED_CHECKS
from conversations.models import State
from conversations.store import ConversationStore
from company import accounts
from company.models import ErasureRequest, IdentityCheck, OutboundEmail
from handoff.accounts import StaffAccounts
from handoff.escalation import PRIORITY_NORMAL, Reason
from handoff.models import Role, Skill
from handoff.tickets import TicketStore
from tests.conftest import make_tracker

ALICE = "alice.morgan@example.com"
WEB = {"channel": "web", "client_address": "203.0.113.9"}


async def request(domain, make_dispatcher, sender, slots=None):
    tracker = make_tracker({"account_verified": ALICE, "account_email": ALICE,
                            "account_postcode": "LS6 2QT", **(slots or {})},
                           domain=domain, sender_id=sender, metadata=WEB,
                           events=[{"event": "user", "text": "please close my account",
                                    "parse_data": {"intent": {"name": "close_account",
                                                              "confidence": 0.98}}}])
    dispatcher = make_dispatcher(tracker)
    events = await ActionRequestErasure().run(dispatcher, tracker, domain)
    return dispatcher, {e["name"]: e.get("value") for e in events if e.get("event") == "slot"}


def test_the_account_is_proved_like_any_account_change(database_url, session, domain, make_dispatcher):
    form = ValidateErasureForm()
    tracker = make_tracker({"account_email": ALICE}, domain=domain, sender_id="web-1", metadata=WEB)
    assert form.validate_account_postcode("LS6 2QT", make_dispatcher(tracker), tracker, domain) == {
        "account_postcode": "LS6 2QT", "account_verified": ALICE, "customer_vip": False}

    dispatcher = make_dispatcher(tracker)
    result = form.validate_account_postcode("M3 4LQ", dispatcher, tracker, domain)
    assert result["account_verified"] is None and result["verification_failures"] == 1
    assert dispatcher.responses() == ["utter_account_not_verified"]
    failed = session.execute(select(IdentityCheck)).scalar_one()
    assert (failed.kind, failed.target, failed.outcome) == ("account", ALICE, "failed")


async def test_an_email_typed_before_the_yes_is_not_asked_for_again(domain, make_dispatcher):
    def said(intent, entities=()):
        return {"event": "user", "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}

    email = [{"entity": "email", "value": ALICE, "start": 0, "end": len(ALICE)}]
    form = ValidateErasureForm()
    tracker = make_tracker(domain=domain, events=[said("close_account"), said("inform", email), said("affirm")])
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {
        "account_email": ALICE}
    # nor one given with the request itself
    tracker = make_tracker(domain=domain, events=[said("close_account", email), said("affirm")])
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {
        "account_email": ALICE}
    # an email from before the request (another topic's) is not taken for the account
    tracker = make_tracker(domain=domain, events=[said("inform", email), said("close_account"), said("affirm")])
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {}
    # nor once the form asks for it: its own mapping takes the answer
    tracker = make_tracker({"requested_slot": "account_email"}, domain=domain,
                           events=[said("close_account"), said("inform", email)])
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {}


async def test_a_conversation_out_of_tries_asks_nothing_more(domain, make_dispatcher):
    tracker = make_tracker({"verification_failures": float(MAX_FAILED_CHECKS)}, domain=domain)
    slots = await ValidateErasureForm().required_slots(
        ["account_email", "account_postcode"], make_dispatcher(tracker), tracker, domain)
    assert slots == []


async def test_a_proved_request_is_recorded_explained_and_handed_to_operations(
        database_url, session, domain, make_dispatcher):
    sessions = company_sessions()
    conversation = ConversationStore(sessions).create_web_conversation()
    dispatcher, slots = await request(domain, make_dispatcher, conversation.id)

    assert dispatcher.responses() == ["utter_erasure_recorded", "utter_erasure_open_orders",
                                      "utter_erasure_plan_ends", "utter_erasure_records_kept",
                                      "utter_handoff_taking_over"]
    said = dispatcher.messages
    assert said[0]["masked_email"] != ALICE and said[0]["reference"].startswith("ER-")
    assert said[1]["orders"].startswith("HG-100001, HG-100002")  # and the random ones
    assert said[3]["years"] == 6
    # the plan's own name says "Harbor Club" ("Your Harbor Club Harbor Club Premium plan" before)
    ends = domain["responses"]["utter_erasure_plan_ends"][0]["text"].format(**said[2])
    assert ends.startswith(f"Your {said[2]['plan']} plan ends") and "Club Harbor" not in ends, ends
    row = session.execute(select(ErasureRequest)).scalar_one()
    assert (row.email, row.conversation_id, row.channel, row.status) == (
        ALICE, conversation.id, "web", "pending")
    assert said[0]["due_date"] == f"{row.due_by.day} {row.due_by:%B %Y}"
    assert slots["account_verified"] is None and slots["account_email"] is None
    assert slots["handoff_ticket"] == str(row.ticket_id)

    admin = StaffAccounts(sessions).create_user("root", "root-password-1234", Role.ADMIN)
    store = TicketStore(sessions)
    ticket = store.detail(row.ticket_id, admin)
    assert ticket["reasons"] == [Reason.ERASURE_REQUEST] and ticket["priority"] == PRIORITY_NORMAL
    assert (ticket["tier"], ticket["skill"]) == (2, Skill.OPERATIONS)
    assert ticket["context"]["erasure_request"]["reference"] == said[0]["reference"]
    assert ticket["context"]["profile"]["email"] == ALICE
    assert "ER-" in ticket["summary"] and "HG-100001" in ticket["summary"]
    agent = StaffAccounts(sessions).create_user("ann", "ann-password-1234", Role.AGENT)
    ops = StaffAccounts(sessions).create_user("otto", "otto-password-1234", Role.EXPERT,
                                              skills=[Skill.OPERATIONS])
    assert [t["id"] for t in store.list(ops)] == [row.ticket_id]
    assert store.list(agent) == []
    assert ConversationStore(sessions).conversation(conversation.id).state == State.QUEUED


async def test_asking_again_finds_the_request_already_made(database_url, session, domain,
                                                           make_dispatcher):
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    await request(domain, make_dispatcher, conversation.id)
    dispatcher, _ = await request(domain, make_dispatcher, conversation.id)
    assert dispatcher.responses()[0] == "utter_erasure_already_requested"
    assert session.execute(select(func.count()).select_from(ErasureRequest)).scalar_one() == 1
    assert session.execute(select(func.count()).select_from(OutboundEmail)
                           .where(OutboundEmail.template == "erasure_requested")).scalar_one() == 1


async def test_nothing_is_recorded_without_a_proved_account(database_url, session, domain,
                                                            make_dispatcher):
    dispatcher, slots = await request(domain, make_dispatcher, "web-2", {"account_verified": None})
    assert dispatcher.responses() == []
    assert session.execute(select(ErasureRequest)).scalars().all() == []
    assert slots == {"account_email": None, "account_postcode": None, "account_verified": None}


async def test_outside_the_gateway_the_request_is_kept_and_the_team_named(
        database_url, session, domain, make_dispatcher):
    dispatcher, slots = await request(domain, make_dispatcher, "rasa-shell-session")
    assert dispatcher.responses()[-1] == "utter_erasure_team_contact"
    assert "utter_handoff_taking_over" not in dispatcher.responses()
    row = session.execute(select(ErasureRequest)).scalar_one()
    assert row.ticket_id is None and "handoff_ticket" not in slots


async def test_a_vip_request_goes_to_their_account_manager(database_url, session, domain,
                                                           make_dispatcher):
    sessions = company_sessions()
    manager = StaffAccounts(sessions).create_user("mia", "mia-password-1234", Role.ACCOUNT_MANAGER)
    victoria = accounts.find_customer_by_email(session, "victoria.hughes@example.com")
    StaffAccounts(sessions).assign_customer(victoria.id, manager.id)
    conversation = ConversationStore(sessions).create_web_conversation()
    tracker = make_tracker({"account_verified": victoria.email}, domain=domain,
                           sender_id=conversation.id, metadata=WEB)
    await ActionRequestErasure().run(make_dispatcher(tracker), tracker, domain)
    ticket = TicketStore(sessions).list(manager)[0]
    assert ticket["tier"] == 3 and ticket["reasons"] == [Reason.ERASURE_REQUEST, Reason.VIP]


@pytest.mark.parametrize("text, wanted", [
    ("so my account is NOT being closed right?", False),
    ("wait no!! i DON'T want my account closed", False),
    ("my account won't be closed, will it?", False),
    ("you're not closing my account are you", False),
    ("i don't want to close it, i just want fewer emails", False),
    ("it stays open though?", False),
    ("close my account please", True),
    ("why can't I close my account", True),
    ("I want my account deleted, not just the newsletter", True),
    # from a review: customers who want it closed, and two who do not
    ("my account still isn't closed, I asked last week", True),
    ("why is my account still open? i asked you to close it", True),
    ("it was never closed", True),
    ("please dont close my account", False),
    ("keep my account open, I just want fewer emails", False),
])
async def test_words_about_closing_that_do_not_want_it(domain, make_dispatcher, text, wanted):
    """A customer run: "so my account is NOT being closed right?" was offered the closure,
    and its "yes thats right" started the account check for the erasure."""
    from actions.erasure import ActionReadCloseRequest

    tracker = make_tracker(text=text, intent="close_account", domain=domain)
    events = await ActionReadCloseRequest().run(make_dispatcher(tracker), tracker, domain)
    assert [(e["name"], e["value"]) for e in events] == [("closing_wanted", wanted)]
