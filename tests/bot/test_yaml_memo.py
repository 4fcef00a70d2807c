"""Each YAML text parsed and schema-checked once per training run (bot.runtime.yaml_memo),
on Rasa's own parser, schemas and readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List

import pytest
import rasa.shared.utils.io
import rasa.shared.utils.validation
from rasa.shared.core.domain import Domain
from rasa.shared.exceptions import YamlException
from rasa.shared.nlu.training_data.formats.rasa_yaml import NLU_SCHEMA_FILE, RasaYAMLReader
from rasa.shared.utils.validation import validate_yaml_schema

from bot.runtime import yaml_memo
from bot.runtime.wrapping import original
from ground.envfile import PROJECT_ROOT

NLU = """version: "3.1"
nlu:
- intent: order_status
  examples: |
    - where is my parcel
    - has my order shipped
"""


def counting(calls: List[str], function: Any) -> Any:
    def counted(content: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(content)
        return function(content, *args, **kwargs)
    return counted


def test_a_text_is_parsed_once_and_every_caller_gets_its_own_copy() -> None:
    calls: List[str] = []
    read_yaml = yaml_memo.remembering_parser(counting(calls, rasa.shared.utils.io.read_yaml))
    first = read_yaml(NLU)
    first["nlu"][0]["intent"] = "changed by its caller"
    second = read_yaml(NLU)
    assert calls == [NLU]
    assert second == rasa.shared.utils.io.read_yaml(NLU)
    assert second["nlu"][0]["intent"] == "order_status"


def test_another_text_or_reader_type_is_parsed_anew() -> None:
    calls: List[str] = []
    read_yaml = yaml_memo.remembering_parser(counting(calls, rasa.shared.utils.io.read_yaml))
    read_yaml(NLU)
    with_lines = read_yaml(NLU, reader_type=["safe", "rt"])
    changed = NLU.replace("parcel", "package")
    read_yaml(changed)
    assert calls == [NLU, NLU, changed]
    assert with_lines.lc.line == 0  # the round-trip reader's line numbers are kept
    assert "where is my package" in read_yaml(changed)["nlu"][0]["examples"]


def test_a_text_that_passed_its_schema_is_checked_once_and_a_failing_one_every_time() -> None:
    calls: List[str] = []
    validate = yaml_memo.remembering_validator(counting(calls, validate_yaml_schema))
    validate(NLU, NLU_SCHEMA_FILE)
    validate(NLU, NLU_SCHEMA_FILE)
    assert calls == [NLU]
    broken = NLU.replace("examples: |", "examples: [1, 2]")
    for _ in range(2):
        with pytest.raises(YamlException):
            validate(broken, NLU_SCHEMA_FILE)
    assert calls == [NLU, broken, broken]
    validate(NLU, NLU_SCHEMA_FILE, package_name="rasa")  # Rasa's own keyword: its own key
    validate(NLU, NLU_SCHEMA_FILE, package_name="rasa")
    assert calls == [NLU, broken, broken, NLU]


def test_installed_rasa_reads_the_product_domain_and_data_as_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Rasa's own functions, whether or not a test before this one installed the memo
    monkeypatch.setattr(rasa.shared.utils.io, "read_yaml",
                        original(rasa.shared.utils.io.read_yaml))
    monkeypatch.setattr(rasa.shared.utils.validation, "validate_yaml_schema",
                        original(rasa.shared.utils.validation.validate_yaml_schema))
    plain_domain = Domain.load(str(PROJECT_ROOT / "domain"))
    nlu_file = next(Path(PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
    plain_nlu = RasaYAMLReader().read(str(nlu_file))
    plain_parse = rasa.shared.utils.io.read_yaml
    yaml_memo.install()
    parse = rasa.shared.utils.io.read_yaml
    assert parse is not plain_parse
    yaml_memo.install()  # once is enough; a second install wraps nothing twice
    for _ in range(2):
        assert Domain.load(str(PROJECT_ROOT / "domain")).as_dict() == plain_domain.as_dict()
        read = RasaYAMLReader().read(str(nlu_file))
        assert ([(m.get("text"), m.get("intent")) for m in read.training_examples]
                == [(m.get("text"), m.get("intent")) for m in plain_nlu.training_examples])
    assert rasa.shared.utils.io.read_yaml is parse
