"""The base of the policies whose decision is written down, not learned (the escalation,
the follow-ups): nothing to train, and a prediction is one action with full confidence."""

from __future__ import annotations

from typing import Any, Collection, Dict, Iterator, List, Optional, Text, Type

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.source_fingerprint import SourceFingerprinted


class WrittenPolicy(SourceFingerprinted, Policy):
    # whether a prediction wins over an active form's next step: Rasa lets a loop's "happy
    # path" prediction overrule every prediction made on the customer's message unless that
    # is marked the same way (a "no user" prediction)
    overrules_forms = False

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # above RulePolicy (6); the escalation is above this (8)
        return {"priority": 7}

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the decision is written down

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """The action `next_action` names, with full confidence; otherwise it abstains."""
        action = self.next_action(tracker, domain)
        if action is None or action not in domain.action_names_or_texts:
            return self._abstain(domain)
        return self._certain(domain, action, no_user=self.overrules_forms)

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        """The action the written decision takes next, or None to leave it to the others."""
        return None

    def _abstain(self, domain: Domain) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain))

    def _certain(self, domain: Domain, action: str, no_user: bool = False) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=no_user)


class OneAnswerPolicy(WrittenPolicy):
    """Answers a message the model reads as one of `READ_AS` with `ANSWER`, outside forms, when
    `answers` says so; then it is the customer's turn again."""

    ANSWER = ""
    READ_AS: Collection[str] = ()

    def answers(self, message: UserUttered) -> bool:
        """Whether `message` gets `ANSWER`."""
        return False

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.active_loop_name or message is None:
            return None
        if tracker.latest_action_name == self.ANSWER:
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME or message.intent.get("name") not in self.READ_AS:
            return None
        return self.ANSWER if self.answers(message) else None


def message_in_form(tracker: DialogueStateTracker, forms: Collection[str]) -> Optional[UserUttered]:
    """The customer's latest message when it has just come in while one of `forms` is active
    (nothing has answered it yet), else None: what a policy that acts inside a form reads."""
    if tracker.active_loop_name not in forms or tracker.latest_action_name != ACTION_LISTEN_NAME:
        return None
    return tracker.latest_message


def event_before_latest_message(tracker: DialogueStateTracker, kind: Type[Event]) -> Optional[Event]:
    """The bot's last event of `kind` before the customer's latest message (not the listening
    between), or None when an earlier customer message comes first."""
    return next((event for event in between_last_two_messages(tracker)
                 if isinstance(event, kind)
                 and not (isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME)), None)


def between_last_two_messages(tracker: DialogueStateTracker) -> Iterator[Event]:
    """The events between the customer's last two messages (or before the latest, when it is
    the first), the latest first; none from before a new session."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return
        if isinstance(event, UserUttered):
            if seen_message:
                return
            seen_message = True
        elif seen_message:
            yield event


def response_before_latest_message(tracker: DialogueStateTracker) -> Optional[str]:
    """The response the bot's last message before the customer's latest one came from."""
    said = event_before_latest_message(tracker, BotUttered)
    return (said.metadata or {}).get("utter_action") if isinstance(said, BotUttered) else None


def question_before_latest_message(tracker: DialogueStateTracker) -> Optional[str]:
    """The bot's last action before the customer's latest message."""
    event = event_before_latest_message(tracker, ActionExecuted)
    return event.action_name if isinstance(event, ActionExecuted) else None
