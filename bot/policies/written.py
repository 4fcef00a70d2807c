"""The base of the policies whose decision is written down, not learned (the escalation,
the follow-ups): nothing to train, and a prediction is one action with full confidence."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates

from bot.nlu.source_fingerprint import SourceFingerprinted


class WrittenPolicy(SourceFingerprinted, Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # above RulePolicy (6); the escalation is above this (8)
        return {"priority": 7}

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the decision is written down

    def _abstain(self, domain: Domain) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain))

    def _certain(self, domain: Domain, action: str, no_user: bool = False) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=no_user)
