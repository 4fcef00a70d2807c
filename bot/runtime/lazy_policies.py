"""Rasa 3.6 runs every policy for every action it predicts, two to four times a turn, and
then keeps one prediction: the most confident, and of equally confident ones the policy
with the higher priority (rasa.core.policies.ensemble.DefaultPolicyPredictionEnsemble).
Most of a turn's predictions are certain rules or remembered stories (confidence 1.0 from
RulePolicy, priority 6, or MemoizationPolicy, 3), which nothing of lower priority can
beat; TEDPolicy (priority 1) was nevertheless run for each of them, and it is the
dearest step of a turn (a transformer in TensorFlow, about 7 ms of CPU each time).

`install` makes the Rasa server skip a policy whose prediction cannot be chosen: in the
loaded prediction graph, TEDPolicy and MemoizationPolicy wait for the policies of higher
priority, and run only if none of those settled the prediction. A prediction is settled
for a lower-priority policy when one of them is

- a "no user" prediction (which overrules every other), or
- an end-to-end prediction when the lower policy cannot make one (end-to-end predictions
  overrule the others), or
- certain: its highest confidence, not counting an action that was just rejected (the
  ensemble zeroes it), is 1.0, which no policy of lower priority can exceed.

A skipped policy answers "no action" (all confidences 0), which the ensemble never picks
over the settled one. These two policies' predictions carry no events the ensemble would
keep from a losing prediction (RulePolicy's can, so it always runs), so the chosen action,
its confidence and its events are the same as with every policy run:
tests/bot/test_lazy_policies.py replays the test stories both ways. Training, `rasa test`
and the trainer's evaluations run Rasa's graph unchanged.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Dict, List, Optional, Tuple

import rasa.engine.loader
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

logger = logging.getLogger(__name__)

PREDICT = "predict_action_probabilities"
# policies whose predictions never carry events of their own (mandatory events are kept
# from every prediction, the chosen one or not), so skipping one changes nothing;
# RulePolicy, a MemoizationPolicy, is not one of them (LoopInterrupted)
SKIPPABLE = (TEDPolicy, MemoizationPolicy)
NOT_SKIPPABLE = (RulePolicy,)
ABOVE = "lazy_policies_above__"  # prefix of the extra inputs: the higher policies' predictions

_rasa_load_predict_graph_runner = rasa.engine.loader.load_predict_graph_runner


def rejected_action(tracker: DialogueStateTracker) -> Optional[str]:
    """The action whose execution was just rejected (the ensemble zeroes its confidence)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return event.action_name
        if isinstance(event, ActionExecuted):
            return None
    return None


def can_predict_end_to_end(policy: Policy) -> bool:
    """Whether the policy may make an end-to-end prediction (TED trained on user text)."""
    if isinstance(policy, MemoizationPolicy) and not isinstance(policy, RulePolicy):
        return False
    return bool(getattr(policy, "only_e2e", False)
                or TEXT in (getattr(policy, "fake_features", None) or {}))


def settled(above: List[PolicyPrediction], priority: int, end_to_end: bool,
            tracker: DialogueStateTracker, domain: Domain) -> bool:
    """Whether a policy of `priority` (able to predict end to end or not) cannot be chosen
    over the predictions `above` it, whatever it predicts."""
    if any(p.is_no_user_prediction for p in above):
        return True
    if end_to_end:
        return False  # its own end-to-end prediction would overrule the others
    if any(p.is_end_to_end_prediction for p in above):
        return True
    certain = [p for p in above
               if p.policy_priority > priority and max(p.probabilities, default=0.0) >= 1.0]
    if not certain:
        return False
    rejected = rejected_action(tracker)
    if rejected is None:
        return True
    skip = domain.index_for_action(rejected)
    return any(max((c for i, c in enumerate(p.probabilities) if i != skip), default=0.0) >= 1.0
               for p in certain)


def lazy(predict: Callable, policy_node: str) -> Callable:
    """`predict` (a policy's predict_action_probabilities), run only when not settled."""

    @functools.wraps(predict)
    def maybe_predict(policy: Policy, tracker: DialogueStateTracker, domain: Domain,
                      **kwargs: Any) -> PolicyPrediction:
        above = [kwargs.pop(name) for name in [k for k in kwargs if k.startswith(ABOVE)]]
        if settled(above, policy.priority, can_predict_end_to_end(policy), tracker, domain):
            return policy._prediction(policy._default_predictions(domain))
        return predict(policy, tracker, domain, **kwargs)

    maybe_predict.lazy_policy_node = policy_node  # type: ignore[attr-defined]
    return maybe_predict


def make_lazy(runner: Any) -> List[str]:
    """Makes the skippable policies of a loaded DaskGraphRunner wait for the policies of
    higher priority and run only when needed; returns the names of the nodes changed."""
    schema = runner._graph_schema
    nodes = runner._instantiated_nodes
    policies: List[Tuple[str, int]] = []
    for name, schema_node in schema.nodes.items():
        component = getattr(nodes.get(name), "_component", None)
        if schema_node.fn == PREDICT and isinstance(component, Policy):
            policies.append((name, component.priority))
    changed = []
    for name, priority in policies:
        node = nodes[name]
        if (not isinstance(node._component, SKIPPABLE)
                or isinstance(node._component, NOT_SKIPPABLE)
                or hasattr(node._fn, "lazy_policy_node")):
            continue
        above = [other for other, other_priority in policies if other_priority > priority]
        if not above:
            continue
        needs: Dict[str, str] = schema.nodes[name].needs
        for other in above:
            needs[f"{ABOVE}{other}"] = other
        node._inputs = needs
        node._fn = lazy(node._fn, name)
        changed.append(name)
    runner.__dict__.pop("_caredesk_orders", None)  # bot.runtime.graph_runs: needs changed
    return changed


def load_predict_graph_runner(*args: Any, **kwargs: Any) -> Any:
    """rasa.engine.loader.load_predict_graph_runner, with the lazy policies."""
    metadata, runner = _rasa_load_predict_graph_runner(*args, **kwargs)
    try:
        changed = make_lazy(runner)
    except (AttributeError, KeyError, TypeError) as error:  # another runner or Rasa version
        logger.warning("every policy runs for every prediction: %s", error)
    else:
        logger.info("policies run only when their prediction can be chosen: %s",
                    ", ".join(changed) or "none")
    return metadata, runner


def install() -> None:
    rasa.engine.loader.load_predict_graph_runner = load_predict_graph_runner  # type: ignore[assignment]
