"""A typed correction of the 5W1H sheet that the model did not read as one.

"the where is wrong, it's St Mary's Primary in York" right after the sheet fell back
(correct_need 0.42, out_of_scope 0.42): the customer got "I'm sorry about this … Could you
tell me in a few words what you need?", and the request was lost. Where the bot's last
message is the sheet (or "Which part should I change?"), a message that names a field
(actions.needs.field_named_in) with words that correct it runs the correction as the
`correct_need` rule would: action_correct_need, then the needs form. So do words that tell
more for the sheet without naming a field ("delivered and assembled if possible, we'd pay by
invoice": actions.needs.additions_told). Intents the rules read there (a correction, a yes, a
no) are left to them.
"""

from __future__ import annotations

import re
from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.needs import additions_told, field_named_in, names_only_a_field, sheet_of, writes_a_line
from handoff.escalation import CORRECT_ACTION as CORRECT, SHEET_QUESTIONS, WHICH_FIELD_QUESTION as WHICH_FIELD
from needs.corrections import replaces_a_value
from bot.policies.written import WrittenPolicy, question_before_latest_message

FORM = "needs_form"
_RULES_READ = frozenset({"correct_need", "affirm", "deny"})
# what words that add to the sheet are read as ("delivered and assembled if possible, we'd pay
# by invoice": a fallback; "we'd pay by invoice" asks for an invoice, an order's in other places)
_ADDITIONS_READ_AS = frozenset({"nlu_fallback", "inform", "describe_need", "request_invoice",
                                # ("… and the contact email is office@…" asks for the contact channels)
                                "ask_contact_channels", "update_contact_details"})
_CORRECTS = re.compile(r"\b(?:wrong|should\s+(?:be|say|read)|make\s+it|change|not|instead|actually|it'?s|its|is\s+now|correct|add|update)\b",
                       re.IGNORECASE)


# the sheet's "Change something" button, typed (it fell back, and a second miss handed over)
_CHANGE_SOMETHING = re.compile(r"^\W*(?:i\s+(?:want|need|would\s+like)\s+to\s+)?change\s+something\W*$", re.IGNORECASE)


def corrects_the_sheet(text: str, asked: Optional[str] = None) -> bool:
    """Whether typed words correct a named field of the sheet: words that say so, the line
    written as the sheet shows it ("How: we'll pay by purchase order"), or, to "Which part
    should I change?" (`asked`), the field's name alone ("why": a customer run fell back)."""
    if field_named_in(text) is None and not names_only_a_field(text):
        return False
    return (_CORRECTS.search(text) is not None or writes_a_line(text)
            or (asked == WHICH_FIELD and names_only_a_field(text)))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class SheetCorrectionPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if (tracker.active_loop_name or message is None
                or question_before_latest_message(tracker) not in SHEET_QUESTIONS):
            return None
        if tracker.latest_action_name == CORRECT:
            # the correction made, the form asks again what it emptied, or shows the sheet (the
            # sheet changed, so what decided the correction may not read the same any more)
            return FORM
        text, intent = message.text or "", message.intent.get("name")
        asked = question_before_latest_message(tracker)
        if asked != WHICH_FIELD and intent not in _RULES_READ and _CHANGE_SOMETHING.match(text):
            return {ACTION_LISTEN_NAME: WHICH_FIELD, WHICH_FIELD: ACTION_LISTEN_NAME}.get(
                tracker.latest_action_name or "")
        # "no, april not march" (read as a "no") and "budget is 3k not 2k" replace a value on
        # the sheet (a "no" there asked which part to change, and the value was lost)
        replaces = intent != "correct_need" and replaces_a_value(sheet_of(tracker), text)
        # words that tell more for the sheet, naming no field, are added to it
        adds = intent in _ADDITIONS_READ_AS and bool(additions_told(sheet_of(tracker), text))
        if not (replaces or adds) and (intent in _RULES_READ or not corrects_the_sheet(text, asked)):
            return None
        return CORRECT if tracker.latest_action_name == ACTION_LISTEN_NAME else None
