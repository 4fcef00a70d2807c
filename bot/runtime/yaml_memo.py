"""One `rasa train` parses each YAML text once, and checks it against its schema once.

Rasa reads the training data and the domain through several importers in one training run:
the validation before training, the fingerprint run and the training run each load the
domain (40 files here), the stories, the rules and the NLU examples again, and every load
validates each file against Rasa's schema, which reads the three schema files again each
time. A profile of the product's `rasa train` (2026-12-02) counted 628 YAML parses and 137
schema checks before the first component trained, in ruamel's pure-Python parser.

Installed by the training command (bot.runtime.threaded_training) for its process only:
- `rasa.shared.utils.io.read_yaml` keeps what it parsed, keyed by the text and the reader
  type, and returns a deep copy each time (callers may change what they get);
- `rasa.shared.utils.validation.validate_yaml_schema` remembers the (text, schema) pairs
  that passed; one that fails is checked, and fails, every time.
A changed file is a different text, so it is parsed and checked anew.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, Callable, Dict, List, Set, Text, Tuple, Union

from bot.runtime.wrapping import wrap_once

_UNKNOWN = object()


def remembering_parser(parse: Callable[..., Any]) -> Callable[..., Any]:
    """`parse` (Rasa's read_yaml), parsing each (text, reader type) once."""
    parsed: Dict[Tuple[Text, Tuple[Text, ...]], Any] = {}
    lock = threading.Lock()

    def read_yaml(content: Text, reader_type: Union[Text, List[Text]] = "safe") -> Any:
        kinds = tuple(reader_type) if isinstance(reader_type, list) else (reader_type,)
        key = (content, kinds)
        with lock:
            value = parsed.get(key, _UNKNOWN)
        if value is _UNKNOWN:
            value = parse(content, reader_type)
            with lock:
                parsed[key] = value
        return copy.deepcopy(value)

    return read_yaml


def remembering_validator(validate: Callable[..., None]) -> Callable[..., None]:
    """`validate` (Rasa's validate_yaml_schema), checking each passing (text, schema) once."""
    passed: Set[Tuple[Any, ...]] = set()
    lock = threading.Lock()

    def validate_yaml_schema(yaml_file_content: Text, schema_path: Text,
                             *args: Text, **kwargs: Text) -> None:
        key = (yaml_file_content, schema_path, *args, *sorted(kwargs.items()))
        with lock:
            if key in passed:
                return
        validate(yaml_file_content, schema_path, *args, **kwargs)
        with lock:
            passed.add(key)

    return validate_yaml_schema


def install() -> None:
    """Rasa's YAML reading and schema checks remember their results (once per process)."""
    import rasa.shared.utils.io
    import rasa.shared.utils.validation

    wrap_once(rasa.shared.utils.io, "read_yaml", remembering_parser)
    wrap_once(rasa.shared.utils.validation, "validate_yaml_schema", remembering_validator)
