"""Rasa's check of action-server responses, with the schema checked once: valid responses
pass, invalid ones are refused with Rasa's own error, as before."""

from __future__ import annotations

from typing import Iterator

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import action_responses


@pytest.fixture
def action() -> Iterator[RemoteAction]:
    original = RemoteAction._validate_action_result
    action_responses.install()
    yield RemoteAction("action_check_order", EndpointConfig("http://127.0.0.1:5055/webhook"))
    RemoteAction._validate_action_result = original  # type: ignore[assignment]


def test_a_valid_response_passes(action: RemoteAction) -> None:
    response = {"events": [{"event": "slot", "name": "order_number", "value": "HG-100001"},
                           {"event": "bot", "text": "Your order is on its way."}],
                "responses": [{"response": "utter_order_status"}]}
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize("response", [
    {"events": "not a list"},
    {"events": [{"name": "order_number"}]},  # an event without its type
    {"events": [], "responses": ["not an object"]},
])
def test_an_invalid_response_is_refused_with_rasas_message(action: RemoteAction, response) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(response)


def test_the_schema_itself_is_checked_once(action: RemoteAction) -> None:
    action_responses.response_validator.cache_clear()
    action_responses.split_validators.cache_clear()
    for _ in range(3):
        action._validate_action_result({"events": []})
        with pytest.raises(ValidationError):
            action._validate_action_result({"events": "not a list"})
    # valid responses pass on the validators split by event name, made once; the whole
    # schema's validator, made once, words the error of an invalid one
    info = action_responses.split_validators.cache_info()
    assert (info.misses, info.hits) == (1, 5)
    info = action_responses.response_validator.cache_info()
    assert (info.misses, info.hits) == (1, 2)


@pytest.mark.parametrize("response", [
    {"events": [], "responses": []},
    {},
    {"events": [{"event": "slot", "name": "rating", "value": "5", "timestamp": None}]},
    {"events": [{"event": "slot", "name": "rating", "value": 5, "timestamp": "yesterday"}]},
    {"events": [{"event": "slot", "name": 5, "value": "5"}]},
    {"events": [{"event": "bot", "text": "hi", "data": {"buttons": [{"title": "a", "payload": "/a"}]},
                 "metadata": {"utter_action": "utter_greet"}}]},
    {"events": [{"event": "bot", "text": 3}]},
    {"events": [{"event": "user", "text": "hi", "parse_data": {
        "intent": {"name": "greet", "confidence": 0.9},
        "entities": [{"entity": "email", "value": "a@b.c", "start": 0, "end": 5}]}}]},
    {"events": [{"event": "user", "parse_data": {"entities": [{"entity": "email"}]}}]},
    {"events": [{"event": "active_loop", "name": "order_form"}, {"event": "active_loop", "name": None},
                {"event": "followup", "name": "utter_greet"}, {"event": "restart"},
                {"event": "reminder", "intent": "remind", "date_time": "2026-12-01T10:00:00"}]},
    {"events": [{"event": "followup"}]},
    {"events": [{"event": "no such event"}]},
    {"events": [{"name": "rating"}]},
    {"events": ["slot"]},
    {"events": None},
    {"events": "slot"},
    {"responses": [{"response": "utter_greet"}, "text"]},
    [],
])
def test_deciding_each_event_by_its_name_agrees_with_the_whole_schema(response) -> None:
    assert action_responses.passes(response) == action_responses.response_validator().is_valid(
        response)


def test_every_event_of_the_schema_is_decided_by_its_name() -> None:
    schema = RemoteAction.action_response_format_spec()
    names = [branch["properties"]["event"]["const"]
             for branch in schema["properties"]["events"]["items"]["oneOf"]]
    outer, named = action_responses.split_validators()
    assert sorted(named) == sorted(names) and len(names) == len(set(names)) > 20
