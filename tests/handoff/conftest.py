"""The trained model for the escalation table (the same fixtures as the NLU tests)."""

from tests.nlu.conftest import agent, parse  # noqa: F401
