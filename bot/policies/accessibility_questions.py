"""A question about how the website or chat works for someone's needs ("do you have
accessibility features on the website, like for screen readers?") is answered from the help
centre's accessibility article (`action_clarify` quotes a confident passage), not with the
fixes for a fault the model's `website_problem` reading would give ("reload the page…", a
customer run). A fault told with it ("the site crashes with my screen reader") stays a fault."""

from __future__ import annotations

import re
from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.written import WrittenPolicy
from handoff.escalation import ACCESS_ARTICLE as ARTICLE
from company.help_articles import HELP_ARTICLE

ANSWER_ACTION = "action_clarify"
READ_AS = frozenset({"website_problem"})
_ASKS_ABOUT_ACCESS = re.compile(
    r"\b(?:accessib\w*|screen\s*readers?|large\s+print|keyboard\s+(?:only|navigation)|zoom|dyslexi\w*"
    r"|colou?r\s*blind\w*|high\s+contrast|text\s+size|bigger\s+text|hard\s+of\s+hearing|deaf|blind"
    r"|partially\s+sighted|visually\s+impaired)\b", re.IGNORECASE)
_FAULT = re.compile(
    r"\b(?:crash\w*|broken|error\w*|down|won'?t|doesn'?t|does\s+not|can'?t|cannot|not\s+working|stopped|stuck"
    r"|freez\w*|blank|fail\w*|bug\w*)\b", re.IGNORECASE)


def asks_about_access(text: str) -> bool:
    """Whether words ask how the site works for a need, with no fault told."""
    return bool(_ASKS_ABOUT_ACCESS.search(text or "")) and not _FAULT.search(text or "")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class AccessibilityQuestionPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8), outside forms
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.active_loop_name or message is None or tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        if message.intent.get("name") not in READ_AS or not asks_about_access(message.text or ""):
            return None
        found = message.parse_data.get(HELP_ARTICLE) or {}
        return ANSWER_ACTION if found.get("slug") == ARTICLE and found.get("confident") is True else None
