"""Every button payload in the domain reaches the customer as written, through Rasa's response
interpolation, without an error in the log.

Rasa reads `{...}` in a response as a slot to fill, also inside a button's payload: a payload
such as `/rate{"rating": "1"}` came out right, but each time it was sent Rasa logged an ERROR
("The specified slot name does not exist") for each of its buttons: twelve at the first
rating question of `make run`, errors an operator would chase. Written with doubled braces,
the payload comes out the same and nothing is logged.
"""

from __future__ import annotations

import json
from typing import Iterator, Tuple

import pytest
from rasa.core.nlg.interpolator import interpolate_text
from rasa.shared.core.domain import Domain
from structlog.testing import capture_logs

from tests.conftest import PROJECT_ROOT


def _payloads() -> Iterator[Tuple[str, str]]:
    domain = Domain.load(str(PROJECT_ROOT / "domain"))
    for name, variations in domain.responses.items():
        for variation in variations:
            for button in variation.get("buttons") or []:
                yield name, str(button.get("payload") or "")


PAYLOADS = sorted(set(_payloads()))
WITH_ENTITIES = [(name, payload) for name, payload in PAYLOADS if "{" in payload]


def test_the_domain_has_payloads_with_entities() -> None:
    assert len(WITH_ENTITIES) >= 20, WITH_ENTITIES


@pytest.mark.parametrize("name,payload", WITH_ENTITIES)
def test_a_payload_with_entities_comes_out_as_json_and_logs_nothing(name: str, payload: str) -> None:
    with capture_logs() as logged:
        sent = interpolate_text(payload, {"rating": "9", "need_field": "why"})
    assert not logged, f"{name}: {logged}"
    intent, _, entities = sent.partition("{")
    assert intent.startswith("/") and intent[1:].isidentifier(), sent
    assert isinstance(json.loads("{" + entities), dict), sent
