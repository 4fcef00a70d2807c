"""The trained model for the NLU components' tests (the same fixtures as tests/nlu)."""

from tests.nlu.conftest import agent, parse  # noqa: F401
