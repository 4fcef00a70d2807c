"""The assistant's domain as Rasa loads it, for the written-down policies' tests."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain

from ground.envfile import PROJECT_ROOT


@pytest.fixture(scope="session")
def rasa_domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain"))
