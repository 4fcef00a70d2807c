"""The Rasa server's fixes that touch predictions (bot.runtime.rasa_server.install: lazy
policies, graph runs without dask, the kept rule lookups, the kept event classes, the
direct slot copies) predict
what Rasa predicts: the trained model predicts every action of the test stories and the
training stories with Rasa as it is and with the fixes, and of a conversation opened with
each intent of the domain (paths no story or rule wrote, where TEDPolicy decides); the
predictions (action confidences, policy, events) are the same. TEDPolicy was skipped where
a certain rule or story settled the prediction and ran where none did. (The session's model
has its TEDPolicy loaded as the product loads it; tests/bot/test_ted_loading.py compares
that load with Rasa's own.)"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Tuple

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime import event_types, graph_runs, lazy_policies, rule_lookup, slot_copies
from tests.conftest import PROJECT_ROOT

STORIES = [PROJECT_ROOT / "tests" / "stories", PROJECT_ROOT / "data" / "stories"]


@pytest.fixture(scope="module")
def story_trackers(agent) -> List[DialogueStateTracker]:
    from rasa.core.test import _create_data_generator

    trackers: List[DialogueStateTracker] = []
    for folder in STORIES:
        generator = _create_data_generator(str(folder), agent)
        trackers += generator.generate_story_trackers()
    assert len(trackers) >= 40
    return trackers


def summary(prediction) -> Tuple[Any, ...]:
    return (prediction.policy_name, tuple(prediction.probabilities),
            tuple(str(e) for e in prediction.events), prediction.is_no_user_prediction,
            prediction.is_end_to_end_prediction, prediction.hide_rule_turn)


def unscripted(agent) -> List[Tuple[Any, ...]]:
    """A conversation opened with each intent: the actions predicted until the bot listens
    (at most 5), each applied as if it ran."""
    made = []
    for intent in agent.domain.intents:
        tracker = DialogueStateTracker.from_events(
            intent, [ActionExecuted(ACTION_LISTEN_NAME), UserUttered("", {"name": intent})],
            agent.domain.slots)
        for _ in range(5):
            prediction = agent.processor._predict_next_with_tracker(tracker)
            action = agent.domain.action_names_or_texts[
                prediction.probabilities.index(prediction.max_confidence)]
            made.append((intent, action, *summary(prediction)))
            tracker.update_with_events(prediction.events, agent.domain)
            tracker.update(ActionExecuted(action, prediction.policy_name,
                                          prediction.max_confidence))
            if action == ACTION_LISTEN_NAME:
                break
    return made


def predictions(agent, trackers: List[DialogueStateTracker]) -> List[Tuple[Any, ...]]:
    """Each story's predictions, action by action, as `rasa test` makes them, then the
    unscripted conversations'."""
    made = []
    for tracker in trackers:
        events = list(tracker.events)
        partial = DialogueStateTracker.from_events(tracker.sender_id, events[:1],
                                                   agent.domain.slots)
        for event in events[1:]:
            if isinstance(event, ActionExecuted):
                prediction = agent.processor._predict_next_with_tracker(partial)
                made.append((event.action_name, *summary(prediction)))
            partial.update(event)
    return made + unscripted(agent)


@pytest.fixture
def server_fixes(agent, monkeypatch) -> Iterator[List[str]]:
    """The fixes installed for one test (the agent's own graph runner made lazy), then
    taken back."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import Event

    runner = agent.processor.graph_runner
    saved: Dict[str, Any] = {
        name: (node._fn, dict(runner._graph_schema.nodes[name].needs))
        for name, node in runner._instantiated_nodes.items()
    }
    from rasa.shared.core.slots import Slot

    for cls, name in ((DaskGraphRunner, "run"), (RulePolicy, "_get_possible_keys"),
                      (Event, "resolve_by_type")):
        monkeypatch.setattr(cls, name, cls.__dict__[name])  # put back afterwards
    # slot_copies.install(), taken back afterwards
    monkeypatch.setattr(Slot, "__copy__", slot_copies.shallow_copy, raising=False)
    graph_runs.install()
    rule_lookup.install()
    event_types.install()
    try:
        yield lazy_policies.make_lazy(runner)
    finally:
        runner.__dict__.pop(graph_runs.ORDERS, None)
        for name, (fn, needs) in saved.items():
            node = runner._instantiated_nodes[name]
            node._fn = fn
            runner._graph_schema.nodes[name].needs.clear()
            runner._graph_schema.nodes[name].needs.update(needs)
            node._inputs = runner._graph_schema.nodes[name].needs


def test_the_fixes_predict_what_rasa_predicts(agent, story_trackers, request,
                                               monkeypatch) -> None:
    everything = predictions(agent, story_trackers)
    changed = request.getfixturevalue("server_fixes")
    assert any("TEDPolicy" in name for name in changed)
    assert any("MemoizationPolicy" in name for name in changed)
    assert not any("RulePolicy" in name for name in changed)

    decisions: Dict[str, List[bool]] = {}
    settled = lazy_policies.settled

    def recording(above, priority, end_to_end, tracker, domain) -> bool:
        answer = settled(above, priority, end_to_end, tracker, domain)
        decisions.setdefault(str(priority), []).append(answer)
        return answer

    monkeypatch.setattr(lazy_policies, "settled", recording)
    fixed = predictions(agent, story_trackers)
    fixed_again = predictions(agent, story_trackers)  # now from the kept rule lookups

    assert fixed == everything
    assert fixed_again == everything
    assert any("TEDPolicy" in prediction for prediction in fixed), "TED never decided"
    ted = decisions[str(1)]  # TEDPolicy's priority
    assert any(ted) and not all(ted), "TED should be skipped sometimes and run sometimes"
    policy = next(node._component for name, node in
                  agent.processor.graph_runner._instantiated_nodes.items() if "RulePolicy" in name)
    assert 0 < len(policy.__dict__[rule_lookup.CACHE]) <= rule_lookup.LIMIT


def test_a_rejected_action_does_not_settle_the_prediction(agent) -> None:
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.shared.core.events import ActionExecutionRejected, UserUttered

    domain = agent.domain
    probabilities = [0.0] * len(domain.action_names_or_texts)
    probabilities[domain.index_for_action("utter_greet")] = 1.0
    rule = PolicyPrediction(probabilities, "RulePolicy", 6)
    tracker = DialogueStateTracker.from_events("x", [UserUttered("hi", {"name": "greet"})],
                                               domain.slots)
    assert lazy_policies.settled([rule], 1, False, tracker, domain)
    tracker.update(ActionExecutionRejected("utter_greet"))
    assert not lazy_policies.settled([rule], 1, False, tracker, domain)
    # a policy of the same or a higher priority is never settled by it
    assert not lazy_policies.settled([rule], 6, False, DialogueStateTracker("y", domain.slots),
                                     domain)


def test_no_user_and_end_to_end_predictions(agent) -> None:
    from rasa.core.policies.policy import PolicyPrediction

    domain = agent.domain
    tracker = DialogueStateTracker("x", domain.slots)
    zero = [0.0] * len(domain.action_names_or_texts)
    no_user = PolicyPrediction(list(zero), "EscalationPolicy", 7, is_no_user_prediction=True)
    end_to_end = PolicyPrediction(list(zero), "RulePolicy", 6, is_end_to_end_prediction=True)
    assert lazy_policies.settled([no_user], 1, True, tracker, domain)
    assert lazy_policies.settled([end_to_end], 1, False, tracker, domain)
    assert not lazy_policies.settled([end_to_end], 1, True, tracker, domain)
