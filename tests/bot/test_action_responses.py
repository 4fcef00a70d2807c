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
    for _ in range(3):
        action._validate_action_result({"events": []})
    info = action_responses.response_validator.cache_info()
    assert (info.misses, info.hits) == (1, 2)
