"""action_handoff on a real database: the ticket it opens, what it tells the customer."""

from __future__ import annotations

from actions.handoff import ActionHandoff
from actions.company_db import company_sessions
from conversations.models import State
from conversations.store import ConversationStore
from company.accounts import find_customer_by_email
from handoff.accounts import StaffAccounts
from handoff.models import Role
from handoff.tickets import TicketStore
from tests.conftest import make_tracker


def user(text, intent, score=0.0, risks=(), confidence=0.97):
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": confidence},
                           "entities": [], "emotion": {"score": score, "risks": list(risks)}}}


def bot(text):
    return {"event": "bot", "text": text}


async def run(domain, make_dispatcher, events, slots=None, sender=None, latest_action="action_listen"):
    tracker = make_tracker(slots or {}, events=events, domain=domain, sender_id=sender or "nowhere",
                           latest_action=latest_action)
    dispatcher = make_dispatcher(tracker)
    result = await ActionHandoff().run(dispatcher, tracker, domain)
    return dispatcher, result


async def test_an_upset_customer_gets_empathy_first_and_a_ticket_with_the_context(
        database_url, domain, make_dispatcher):
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    events = [user("where is my order HG-100002", "order_status"), bot("Which email is it under?"),
              user("alice.morgan@example.com", "inform"), bot("It is on its way."),
              user("this is ridiculous, I hate waiting!!!", "complaint", score=-0.8)]
    dispatcher, result = await run(domain, make_dispatcher, events,
                                   {"verified_order": "HG-100002", "order_number": "HG-100002"},
                                   conversation.id)
    assert dispatcher.responses() == ["utter_handoff_empathy", "utter_handoff_taking_over"]
    assert "hour" in dispatcher.messages[1]["wait"]
    assert {"event": "slot", "name": "handoff_ticket", "value": "1", "timestamp": None} in result
    store = TicketStore(company_sessions())
    admin = StaffAccounts(company_sessions()).create_user("root", "root-password-1234", Role.ADMIN)
    ticket = store.detail(store.open_ticket_for(conversation.id), admin)
    assert ticket["reasons"] == ["negative_emotion", "complaint"] and ticket["tier"] == 1
    context = ticket["context"]
    assert [i["intent"] for i in context["intents"]] == ["order_status", "inform", "complaint"]
    assert context["sentiment"] == [0.0, 0.0, -0.8] and ticket["sentiment"] == [0.0, 0.0, -0.8]
    assert context["slots"]["verified_order"] == "HG-100002"
    assert context["profile"]["name"] == "Alice Morgan" and context["profile"]["open_orders"]
    assert context["bot_answers"] == ["Which email is it under?", "It is on its way."]
    assert set(context["needs"]) == {"why", "what", "when", "where", "who", "how"}
    assert "Alice Morgan" in ticket["summary"] and "very upset" in ticket["summary"]
    assert ConversationStore(company_sessions()).conversation(conversation.id).state == State.QUEUED


async def test_a_vip_goes_to_their_own_account_manager(database_url, domain, make_dispatcher):
    sessions = company_sessions()
    manager = StaffAccounts(sessions).create_user("mia", "mia-password-1234", Role.ACCOUNT_MANAGER)
    with sessions() as session:
        victoria = find_customer_by_email(session, "victoria.hughes@example.com")
    StaffAccounts(sessions).assign_customer(victoria.id, manager.id)
    conversation = ConversationStore(sessions).create_web_conversation()
    events = [user("please change the delivery address", "change_address")]
    dispatcher, _ = await run(domain, make_dispatcher, events,
                              {"verified_order": "HG-100005", "customer_vip": True}, conversation.id)
    # nothing is changed before the manager confirms it, and the customer is told so
    assert dispatcher.responses() == ["utter_handoff_vip", "utter_handoff_taking_over"]
    ticket = TicketStore(sessions).list(manager)[0]
    assert ticket["tier"] == 3 and ticket["assignee"]["id"] == manager.id
    assert "vip" in ticket["reasons"] and ticket["customer"]["vip"]


async def test_a_vip_shown_by_the_proof_of_a_change_asked_before_goes_to_their_manager(
        database_url, domain, make_dispatcher):
    """The escalation policy hands over right after the order form when the proof shows a
    VIP whose task changes something (bot/policies/escalation.py): the ticket says why."""
    sessions = company_sessions()
    manager = StaffAccounts(sessions).create_user("mia", "mia-password-1234", Role.ACCOUNT_MANAGER)
    with sessions() as session:
        StaffAccounts(sessions).assign_customer(
            find_customer_by_email(session, "victoria.hughes@example.com").id, manager.id)
    conversation = ConversationStore(sessions).create_web_conversation()
    events = [user("please change the delivery address of HG-100005", "change_address"),
              bot("What's the email address or the delivery postcode of order HG-100005?"),
              user("NW1 6XE", "inform"), {"event": "slot", "name": "customer_vip", "value": True}]
    dispatcher, _ = await run(domain, make_dispatcher, events,
                              {"verified_order": "HG-100005", "customer_vip": True,
                               "order_task": "change_address"}, conversation.id, latest_action="order_form")
    assert dispatcher.responses() == ["utter_handoff_vip", "utter_handoff_taking_over"]
    ticket = TicketStore(sessions).list(manager)[0]
    assert ticket["reasons"] == ["vip"] and ticket["tier"] == 3 and ticket["assignee"]["id"] == manager.id


async def test_safety_and_fraud_get_their_own_first_words(database_url, domain, make_dispatcher):
    sessions = company_sessions()
    for risk, first in (("safety", "utter_handoff_safety"), ("fraud", "utter_handoff_security")):
        conversation = ConversationStore(sessions).create_web_conversation()
        dispatcher, _ = await run(domain, make_dispatcher, [user("...", "inform", risks=[risk])],
                                  sender=conversation.id)
        assert dispatcher.responses() == [first, "utter_handoff_taking_over"]


async def test_outside_the_gateway_the_customer_gets_the_teams_contacts(database_url, domain, make_dispatcher):
    dispatcher, _ = await run(domain, make_dispatcher, [user("a person please", "request_human")],
                              sender="rasa-shell-session")
    assert dispatcher.responses() == ["utter_human_contact"]


async def test_new_risks_are_answered_and_routed_as_the_decision_says(database_url, domain, make_dispatcher):
    """A churn threat or repeated contact is acknowledged first and stays at the frontline; a
    dispute with evidence and a business contract change go to operations experts."""
    sessions = company_sessions()
    admin = StaffAccounts(sessions).create_user("root", "root-password-1234", Role.ADMIN)
    store = TicketStore(sessions)
    expected = {
        "churn_threat": (["utter_handoff_empathy", "utter_handoff_taking_over"], 1, None),
        "repeat_contact": (["utter_handoff_empathy", "utter_handoff_taking_over"], 1, None),
        "evidence_dispute": (["utter_handoff_evidence", "utter_handoff_taking_over"], 2, "operations"),
        "business_contract": (["utter_handoff_taking_over"], 2, "operations"),
        "bereavement": (["utter_handoff_condolences", "utter_handoff_taking_over"], 2, "operations"),
    }
    for risk, (responses, tier, skill) in expected.items():
        conversation = ConversationStore(sessions).create_web_conversation()
        dispatcher, _ = await run(domain, make_dispatcher, [user("...", "inform", risks=[risk])],
                                  sender=conversation.id)
        assert dispatcher.responses() == responses, risk
        ticket = store.detail(store.open_ticket_for(conversation.id), admin)
        assert (ticket["reasons"], ticket["tier"], ticket["skill"]) == ([risk], tier, skill)


async def test_handed_over_while_the_team_is_away_the_customer_is_told_when_it_is_back(
        database_url, domain, make_dispatcher, monkeypatch):
    """At 06:30 on a Saturday the customer was promised a person "within the hour"; the
    team starts at 9:00."""
    import actions.handoff
    from datetime import datetime

    monkeypatch.setenv("SUPPORT_HOURS", "mon-fri 08:00-20:00, sat 09:00-17:00")
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    events = [user("can I talk to a person please", "request_human")]
    for moment, said, reopens in ((datetime(2026, 12, 5, 6, 30), "utter_handoff_taking_over_closed", "today at 9:00 UK time"),
                                  (datetime(2026, 12, 5, 10, 0), "utter_handoff_taking_over", None)):
        monkeypatch.setattr(actions.handoff, "utcnow", lambda: moment)
        dispatcher, _ = await run(domain, make_dispatcher, events, sender=conversation.id)
        assert dispatcher.responses()[-1] == said
        assert dispatcher.messages[-1].get("reopens") == reopens


async def test_a_bare_prompt_to_go_on_is_clarified_not_handed_over(database_url, domain, make_dispatcher):
    """"and?" after an answer is a complaint to the model, and the complaint rule ran the
    handoff: the customer was queued for a person (3 of 3 in a customer run)."""
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    events = [user("how much is delivery?", "ask_shipping"), bot("Standard delivery is £3.95."),
              user("and?", "complaint", confidence=0.69)]
    dispatcher, result = await run(domain, make_dispatcher, events, sender=conversation.id)
    assert dispatcher.responses() == [] and result == [
        {"event": "followup", "timestamp": None, "name": "action_clarify"}]
    assert ConversationStore(company_sessions()).conversation(conversation.id).state == State.BOT
    # said in anger, it is still a complaint
    events[-1] = user("and??", "complaint", score=-0.6, confidence=0.69)
    dispatcher, _ = await run(domain, make_dispatcher, events, sender=conversation.id)
    assert "utter_handoff_taking_over" in dispatcher.responses()
