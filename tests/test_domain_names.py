"""Every intent, slot, action and response that the Python names exists in the domain, and
every custom action in the domain is implemented in actions/ (and the other way round).

A name the domain does not have fails silently at run time: a set of intents that never
matches (handoff/escalation.py once listed an intent `faq`), a slot that is always empty,
a response that says nothing. The source is read with `ast`, nothing is imported or run,
so the check takes seconds; each failure names the file and line that used the name.

In short (tests/python_names.py lists the rules exactly): responses and actions are found by
their shape (`utter_...`, `action_...`) and as the arguments of `utter_message(response=)`,
`FollowupAction`, `ActionExecuted`; slots in `get_slot`, `SlotSet`, `tracker.slots`,
variables named for slots, slot dicts returned in actions/ and `validate_<slot>` methods;
intents where they are compared with an intent (`latest_intent(t) in NOT_AN_ANSWER`,
`signals.intent == "complaint"`), held in a constant named for intents (FAILED_INTENTS),
used as keys looked up with an intent, or passed as a parameter named `intent`. A word that
only happens to equal a name ("email", "back") is not collected, so there are no false
alarms; config.yml's per-intent fallback settings are checked too.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Dict, Iterable, List, Set

import pytest
import yaml
from rasa.shared.core.constants import DEFAULT_ACTION_NAMES, DEFAULT_INTENTS, DEFAULT_SLOT_NAMES

from tests.conftest import PROJECT_ROOT
from tests.python_names import (ACTION, INTENT, RESPONSE, RESPONSE_PREFIX, SLOT, Project, Use)

# the project's packages: every top-level folder with an __init__.py, tests aside
PACKAGES = sorted(path.parent.name for path in PROJECT_ROOT.glob("*/__init__.py")
                  if path.parent.name != "tests")
FALLBACK_COMPONENT = "bot.nlu.fallback.CalibratedFallbackClassifier"


@pytest.fixture(scope="module")
def project() -> Project:
    return Project(PROJECT_ROOT, PACKAGES)


@pytest.fixture(scope="module")
def uses(project: Project) -> List[Use]:
    return project.uses()


@pytest.fixture(scope="module")
def known(domain: Dict[str, Any]) -> Dict[str, Set[str]]:
    """The domain's names of each kind, with those Rasa itself provides."""
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    responses = set(domain["responses"])
    return {
        INTENT: intents | set(DEFAULT_INTENTS),
        SLOT: set(domain["slots"]) | set(DEFAULT_SLOT_NAMES),
        RESPONSE: responses,
        # what an action event may name: an action, a form or a response
        ACTION: (set(domain["actions"]) | set(domain["forms"]) | set(DEFAULT_ACTION_NAMES)
                 | responses),
    }


def unknown(uses: Iterable[Use], kind: str, names: Set[str]) -> List[str]:
    wrong = sorted({use for use in uses if use.kind == kind and use.name not in names},
                   key=lambda use: (use.path, use.line, use.name))
    return [f"{use.where()}: {kind} {use.name!r} is not in the domain ({use.rule})"
            for use in wrong]


def listed_in(name: str) -> str:
    """The domain file whose `actions:` lists the name."""
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        if name in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("actions", []):
            return path.relative_to(PROJECT_ROOT).as_posix()
    return "domain/"


def report(problems: List[str]) -> str:
    return "\n" + "\n".join(problems)


@pytest.mark.parametrize("kind", [INTENT, SLOT, ACTION, RESPONSE])
def test_every_name_used_in_python_is_in_the_domain(
        uses: List[Use], known: Dict[str, Set[str]], kind: str) -> None:
    assert any(use.kind == kind for use in uses), f"no {kind} found: is the collector broken?"
    problems = unknown(uses, kind, known[kind])
    assert not problems, report(problems)


def test_every_response_chosen_at_run_time_has_responses(
        uses: List[Use], known: Dict[str, Set[str]]) -> None:
    """f"utter_guide_{topic}": a renamed family would leave the prefix matching nothing."""
    prefixes = [use for use in uses if use.kind == RESPONSE_PREFIX]
    assert prefixes
    problems = [f"{use.where()}: no response starts with {use.name!r}" for use in prefixes
                if not any(name.startswith(use.name) for name in known[RESPONSE])]
    assert not problems, report(problems)


def test_the_calibrated_fallback_names_only_domain_intents(known: Dict[str, Set[str]]) -> None:
    """config.yml's per-intent thresholds and alike groups apply to intents by name."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    component = next(c for c in config["pipeline"] if c["name"] == FALLBACK_COMPONENT)
    named = [*component.get("intent_thresholds", {}),
             *(intent for group in component.get("alike", []) for intent in group)]
    assert named
    problems = sorted({f"config.yml: intent {name!r} is not in the domain" for name in named
                       if name not in known[INTENT]})
    assert not problems, report(problems)


def test_every_custom_action_in_the_domain_is_implemented(
        project: Project, domain: Dict[str, Any]) -> None:
    implemented = {found.name for found in project.action_classes()}
    custom = [name for name in domain["actions"] if name not in DEFAULT_ACTION_NAMES]
    assert custom
    problems = [f"{listed_in(name)}: action {name!r} has no class in actions/ whose name() "
                "returns it" for name in custom if name not in implemented]
    assert not problems, report(problems)


def test_every_action_class_is_listed_in_the_domain(
        project: Project, domain: Dict[str, Any]) -> None:
    classes = project.action_classes()
    assert classes
    problems = [f"{found.path}:{found.line}: {found.class_name}.name() "
                + (f"returns {found.name!r}, which the domain does not list" if found.name
                   else "does not return one string literal or constant")
                for found in classes if found.name not in domain["actions"]]
    assert not problems, report(problems)


# --- the collector, on small sources: each wrong name is found, and where ----------------
WRONG_NAMES = [
    ("from actions.tracker_reading import latest_intent\n"
     "LOOKUPS = frozenset({'faq'})\n"
     "def f(tracker):\n"
     "    return latest_intent(tracker) in LOOKUPS\n", INTENT, "faq", 2),
    ("def f(signals):\n"
     "    return signals.intent == 'asking_for_help'\n", INTENT, "asking_for_help", 2),
    ("def f(parse):\n"
     "    final = (parse.get('intent') or {}).get('name') or 'x'\n"
     "    return final in ('out_of_scop',)\n", INTENT, "out_of_scop", 3),
    ("TOPIC_OF_INTENT = {'order_stat': 'orders'}\n", INTENT, "order_stat", 1),
    ("def f(tracker):\n"
     "    return tracker.get_slot('order_numbr')\n", SLOT, "order_numbr", 2),
    ("from rasa_sdk.events import SlotSet\n"
     "EVENTS = [SlotSet('verified', None)]\n", SLOT, "verified", 2),
    ("from typing import Any, Dict, Text\n"
     "def f() -> Dict[Text, Any]:\n"
     "    return {'emial': None}\n", SLOT, "emial", 3),
    ("from rasa_sdk import FormValidationAction\n"
     "class ValidateX(FormValidationAction):\n"
     "    def validate_emial(self, value, dispatcher, tracker, domain):\n"
     "        return {}\n", SLOT, "emial", 3),
    ("def f(dispatcher):\n"
     "    dispatcher.utter_message(response='utter_gret')\n", RESPONSE, "utter_gret", 2),
    ("def f(dispatcher):\n"
     "    dispatcher.utter_message(response='greeting')\n", RESPONSE, "greeting", 2),
    ("from rasa_sdk.events import FollowupAction\n"
     "def f():\n"
     "    return [FollowupAction('rating_coment_form')]\n", ACTION, "rating_coment_form", 3),
    ("HANDOFF_ACTION = 'action_hand_off'\n", ACTION, "action_hand_off", 1),
]


@pytest.mark.parametrize("source, kind, name, line", WRONG_NAMES,
                         ids=[f"{kind}-{name}" for _, kind, name, _ in WRONG_NAMES])
def test_a_wrong_name_is_reported_with_its_file_and_line(
        tmp_path: Path, known: Dict[str, Set[str]], source: str, kind: str, name: str,
        line: int) -> None:
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "__init__.py").write_text("")
    (tmp_path / "actions" / "conversation.py").write_text(textwrap.dedent("""
        def latest_intent(tracker):
            return (tracker.latest_message.get("intent") or {}).get("name")
    """))
    (tmp_path / "actions" / "wrong.py").write_text(source)
    problems = unknown(Project(tmp_path, ["actions"]).uses(), kind, known[kind])
    assert any(p.startswith(f"actions/wrong.py:{line}: {kind} {name!r} is not in the domain")
               for p in problems), problems


def test_words_that_merely_equal_a_name_are_not_collected(tmp_path: Path) -> None:
    """A reason code, a dict key or an entity name is no intent or slot (no false alarms)."""
    (tmp_path / "handoff").mkdir()
    (tmp_path / "handoff" / "__init__.py").write_text("")
    (tmp_path / "handoff" / "words.py").write_text(textwrap.dedent("""
        COMPLAINT = "complain"
        FIELDS = {"phon": 1}
        def f(event, entities):
            intent = {"name": "x", "confidence": 1.0}
            return event.get("utter_action"), entities.get("phon"), intent
    """))
    assert Project(tmp_path, ["handoff"]).uses() == []
