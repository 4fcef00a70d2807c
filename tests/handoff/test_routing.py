"""Where the new kinds of escalation go (issue 15), from the decision to the route: the
database side of routing is in test_tickets."""

from handoff.escalation import PRIORITY_HIGH, PRIORITY_NORMAL, Reason, TurnSignals, decide
from handoff.models import Skill
from handoff.routing import route

MANAGER = 42


def routed(risk, vip=False, manager=None, intent="inform"):
    decision = decide(TurnSignals(intent=intent, risks=frozenset({risk}), vip=vip))
    return decision, route(decision.reasons, manager)


def test_a_churn_threat_is_answered_soon_with_empathy_and_a_vip_keeps_their_manager():
    decision, path = routed(Reason.CHURN)
    assert decision.escalate and decision.priority == PRIORITY_HIGH and decision.emotional
    assert (path.tier, path.skill) == (1, None)
    decision, path = routed(Reason.CHURN, vip=True, manager=MANAGER)
    assert decision.reasons == (Reason.CHURN, Reason.VIP)
    assert (path.tier, path.assignee_id) == (3, MANAGER)


def test_a_dispute_with_evidence_goes_to_operations_unless_it_is_fraud():
    decision, path = routed(Reason.EVIDENCE)
    assert decision.priority == PRIORITY_HIGH and not decision.emotional
    assert (path.tier, path.skill) == (2, Skill.OPERATIONS)
    both = decide(TurnSignals(intent="inform", risks=frozenset({Reason.EVIDENCE, Reason.FRAUD})))
    assert both.reasons[0] == Reason.FRAUD and route(both.reasons).skill == Skill.TECHNICAL


def test_a_business_contract_change_goes_to_the_account_manager_or_else_operations():
    decision, path = routed(Reason.BUSINESS)
    assert decision.priority == PRIORITY_NORMAL
    assert (path.tier, path.skill) == (2, Skill.OPERATIONS)
    _, path = routed(Reason.BUSINESS, manager=MANAGER)  # not a VIP, but the account is managed
    assert (path.tier, path.assignee_id) == (3, MANAGER)


def test_repeated_contact_stays_at_the_frontline_but_comes_first():
    decision, path = routed(Reason.REPEAT_CONTACT)
    assert decision.priority == PRIORITY_HIGH and decision.emotional
    assert path.tier == 1
    # a plain request for a person is normal priority, so repeated contact is served sooner
    assert decide(TurnSignals(intent="request_human")).priority > decision.priority


def test_every_reason_has_a_label_for_agents():
    from handoff.tickets import REASON_LABELS

    assert set(Reason.ORDER) <= set(REASON_LABELS)
