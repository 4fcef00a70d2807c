"""Rasa 3.6 checks every action-server response with `jsonschema.validate`, which first
validates Rasa's own response schema against the JSON Schema meta-schema, on every call:
about 90 ms of CPU per custom action on these machines, more than half of the Rasa
server's CPU time per conversation turn (measured with cProfile over the bench's script).

`install` makes Rasa check its schema once and reuse the validator: every response is
still validated against the same schema, and a bad one is refused with the same error.

Validating a response still cost 0.8 ms of CPU (one or two a turn): each event is tried
against all 23 event schemas of the schema's `oneOf`, which must find exactly one. The
event schemas differ by the event's name (`"event": {"const": ...}`), so only the one named
like the event can match: a response passes when its events each pass the common part
and the schema of their name (and the rest of the response its own part of the schema),
which is what the `oneOf` decides. Anything else, or a response that does not pass, goes
through the whole schema as before, for Rasa's own error.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional, Tuple

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


@lru_cache(maxsize=1)
def split_validators() -> Optional[Tuple[Any, Dict[str, Any]]]:
    """A validator of the response without its events' schema, and one per event name (the
    common part of the event schema with that name's schema); None when the schema is not
    shaped as expected (then only the whole schema is used)."""
    schema = RemoteAction.action_response_format_spec()
    try:
        events = schema["properties"]["events"]
        common = {key: value for key, value in events["items"].items() if key != "oneOf"}
        named: Dict[str, Any] = {}
        for branch in events["items"]["oneOf"]:
            name = branch["properties"]["event"]["const"]
            if name in named:
                return None  # two schemas for one name: the oneOf must decide
            named[name] = {"allOf": [common, branch]}
    except (KeyError, TypeError):
        return None
    outer = {**schema, "properties": {**schema["properties"],
                                      "events": {**events, "items": {}}}}
    cls = validator_for(schema)
    return cls(outer), {name: cls(event) for name, event in named.items()}


def passes(result: Any) -> bool:
    """Whether `result` passes the schema, deciding each event's `oneOf` by its name."""
    split = split_validators()
    if split is None:
        return False
    outer, named = split
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        validator = named.get(event.get("event")) if isinstance(event, dict) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate_action_result(_action: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the checked schema kept."""
    if passes(result):
        return True
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
