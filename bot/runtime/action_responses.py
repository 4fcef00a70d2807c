"""Rasa 3.6 checks every action-server response with `jsonschema.validate`, which first
validates Rasa's own response schema against the JSON Schema meta-schema, on every call:
about 90 ms of CPU per custom action on these machines, more than half of the Rasa
server's CPU time per conversation turn (measured with cProfile over the bench's script).

`install` makes Rasa check its schema once and reuse the validator: every response is
still validated against the same schema, and a bad one is refused with the same error.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """Rasa's action response schema, checked against the meta-schema once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the checked schema kept."""
    error = best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions")
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]
