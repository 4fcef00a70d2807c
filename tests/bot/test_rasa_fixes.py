"""The Rasa server's smaller fixes on their own (bot.runtime.graph_runs, event_types,
action_calls, rule_lookup, slot_copies, empty_domain); tests/nlu/test_rasa_server_fixes.py
checks them together on the trained model's predictions."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any, Dict, List

import pytest
import ujson
from rasa.engine.exceptions import GraphRunError
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import action_calls, event_types, graph_runs, rule_lookup


def fake_runner(needs: Dict[str, Dict[str, str]], targets: List[str]) -> Any:
    """Nodes that return (their name, what they were given), as Rasa's GraphNode does."""
    calls: List[str] = []

    def node(name: str):
        def run(*inputs: Any) -> Any:
            calls.append(name)
            return name, [value if isinstance(value, str) else value[1] for value in inputs]
        return run

    schema = SimpleNamespace(nodes={name: SimpleNamespace(needs=needed)
                                    for name, needed in needs.items()},
                             target_names=targets)
    return SimpleNamespace(_graph_schema=schema, __dict__={}, calls=calls,
                           _instantiated_nodes={name: node(name) for name in needs})


def test_graph_nodes_run_after_the_nodes_they_need() -> None:
    runner = fake_runner({"parse": {"message": "__message__"}, "domain": {},
                          "predict": {"parsed": "parse", "domain": "domain"},
                          "unused": {}}, ["predict"])
    result = graph_runs.run(runner, {"__message__": "hi"})
    assert runner.calls == ["parse", "domain", "predict"]
    assert result == {"predict": [["hi"], []]}
    graph_runs.run(runner, {"__message__": "again"}, ["parse"])
    assert set(runner.__dict__[graph_runs.ORDERS]) == {("predict",), ("parse",)}


def test_a_missing_input_is_passed_as_its_name_and_a_clash_refused() -> None:
    runner = fake_runner({"parse": {"message": "__message__"}}, ["parse"])
    assert graph_runs.run(runner) == {"parse": ["__message__"]}  # as dask does
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        graph_runs.run(runner, {"__message__": "parse"})


def test_the_runner_without_dask_only_inside_the_block() -> None:
    from rasa.engine.runner.dask import DaskGraphRunner

    before = DaskGraphRunner.run
    with graph_runs.installed():
        assert DaskGraphRunner.run is graph_runs.run
    assert DaskGraphRunner.run is before
    with pytest.raises(ValueError):
        with graph_runs.installed():
            raise ValueError("a failing evaluation")
    assert DaskGraphRunner.run is before


def test_a_cycle_is_refused() -> None:
    runner = fake_runner({"a": {"x": "b"}, "b": {"y": "a"}}, ["a"])
    with pytest.raises(GraphRunError, match="cycle"):
        graph_runs.run(runner)


def test_event_classes_are_rasas_and_kept() -> None:
    for name in ("user", "action", "slot", "bot", "session_started", "active_loop"):
        assert event_types.resolve_by_type(name) is event_types._rasa_resolve_by_type(name)
        assert name in event_types._found
    assert event_types.resolve_by_type("no such event", default=SlotSet) is SlotSet
    assert "no such event" not in event_types._found
    assert event_types.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        event_types.resolve_by_type("no such event")


def test_events_read_back_the_same_with_the_kept_classes(monkeypatch) -> None:
    events = [UserUttered("hi", {"name": "greet", "confidence": 1.0}),
              ActionExecuted("utter_greet"), SlotSet("rating", "5")]
    dicts = [event.as_dict() for event in events]
    before = [Event.from_parameters(d) for d in dicts]
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    event_types.install()
    assert [Event.from_parameters(d) for d in dicts] == before == events


def test_an_endpoint_keeps_one_session_per_event_loop() -> None:
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook", headers={"X-Secret": "s"})

    async def two_sessions() -> List[Any]:
        first = await action_calls.session(endpoint).__aenter__()
        async with action_calls.session(endpoint) as second:
            pass
        assert not second.closed  # kept open after the block
        return [first, second]

    first, second = asyncio.run(two_sessions())
    assert first is second
    assert first._json_serialize is ujson.dumps
    assert first.headers["X-Secret"] == "s"
    third, _ = asyncio.run(two_sessions())  # another event loop: another session
    assert third is not first
    asyncio.run(first.close())
    asyncio.run(third.close())


def test_ujson_writes_the_same_values_as_json() -> None:
    body = {"next_action": "action_order_status", "sender_id": "abc/ü",
            "tracker": {"events": [{"event": "user", "timestamp": 1764546000.123456,
                                    "parse_data": {"intent": {"confidence": 0.9345678901234},
                                                   "text": "where's \"my\" order?\n"}}],
                        "slots": {"rating": None, "vip": True, "n": 3}},
            "domain": {"responses": {"utter_x": [{"text": "{name}, <b> & é"}]}}}
    assert json.loads(ujson.dumps(body)) == json.loads(json.dumps(body)) == body


def state(intent: str, action: str = "action_listen", **slots: float) -> Dict[str, Any]:
    found: Dict[str, Any] = {"user": {"intent": intent}, "prev_action": {"action_name": action}}
    if slots:
        found["slots"] = {name: (value,) for name, value in slots.items()}
    return found


def test_kept_rule_lookups_are_rasas() -> None:
    import json as json_module
    from rasa.core.policies.rule_policy import RulePolicy

    rules = [[state("greet")], [state("greet", "utter_greet"), state("affirm")],
             [state("deny"), state("affirm", "utter_ask"), state("affirm", vip=1.0)],
             [{"prev_action": {"action_name": "action_listen"}}]]
    lookup = {json_module.dumps(rule): "utter_x" for rule in rules}
    policy = RulePolicy.__new__(RulePolicy)  # the lookup methods need no training
    conversations = [
        [state("greet")],
        [state("deny"), state("affirm", "utter_ask"), state("affirm", vip=1.0)],
        [state("greet"), state("deny"), state("affirm", "utter_ask"), state("affirm", vip=1.0)],
        [state("bye"), state("deny"), state("affirm", "utter_ask"), state("affirm", vip=1.0)],
        [state("greet", "utter_greet"), state("affirm")],
        [state("affirm", vip=1.0)], [state("affirm", vip=0.0)], [],
    ]
    for _ in range(2):  # computed, then kept
        for states in conversations:
            assert rule_lookup.get_possible_keys(policy, lookup, states) == \
                rule_lookup._rasa_get_possible_keys(policy, lookup, states)
    assert policy.__dict__[rule_lookup.LENGTHS] == {(id(lookup), len(lookup)): 3}
    # the second to fourth conversations differ only before their last 3 states: one answer
    assert len(policy.__dict__[rule_lookup.CACHE]) == len(conversations) - 2


def test_slot_copies_are_what_copy_copy_makes(monkeypatch) -> None:
    import copy

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import Slot

    from bot.runtime import slot_copies
    from tests.conftest import PROJECT_ROOT

    slots = Domain.load(str(PROJECT_ROOT / "domain")).slots
    assert len(slots) > 30
    for slot in slots:
        slot.value = ["a", 1] if slot.type_name == "list" else slot.value
    expected = [copy.copy(slot) for slot in slots]
    monkeypatch.setattr(Slot, "__copy__", slot_copies.shallow_copy, raising=False)
    for slot, rasas in zip(slots, expected):
        ours = copy.copy(slot)
        assert ours is not slot and type(ours) is type(rasas) is type(slot)
        assert ours.__dict__ == rasas.__dict__
        assert all(ours.__dict__[key] is value for key, value in rasas.__dict__.items())


def test_a_domain_is_empty_as_rasa_says_and_only_inside_the_block() -> None:
    from rasa.shared.core.domain import Domain

    from bot.runtime import empty_domain
    from tests.conftest import PROJECT_ROOT

    rasas = Domain.is_empty
    product, empty = Domain.load(str(PROJECT_ROOT / "domain")), Domain.empty()
    nlu_only = Domain.from_dict({"intents": ["greet"]})
    with empty_domain.installed():
        assert Domain.is_empty is empty_domain.is_empty
        assert [d.is_empty() for d in (product, empty, nlu_only)] == [False, True, False]
        assert empty.is_empty() and empty.is_empty()  # the kept contents stay unchanged
    assert Domain.is_empty is rasas
    assert [d.is_empty() for d in (product, empty, nlu_only)] == [False, True, False]


def test_the_lock_store_is_told_where_redis_is() -> None:
    from bot.runtime.rasa_server import lock_store_environment

    assert lock_store_environment("") == {}
    assert lock_store_environment("redis://:s%40cret@10.0.0.7:6390/2") == {
        "LOCK_STORE_HOST": "10.0.0.7", "LOCK_STORE_PORT": "6390", "LOCK_STORE_DB": "2",
        "LOCK_STORE_PASSWORD": "s@cret"}
    assert lock_store_environment("redis://127.0.0.1")["LOCK_STORE_DB"] == "0"
