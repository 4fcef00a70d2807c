"""After the website answer: the customer's reply, read for whether a person is needed.

The answer to `website_problem` gives the usual fixes and asks whether to pass the customer
to a person. Every reply to it but a new question is read here (data/rules/website.yml):

- a site that works now is glad news and nothing more ("yep that worked" is a yes to the
  fixes, not to a person);
- "I'll try that" / "ok will do" means the customer tries the fixes first: wish them luck
  and say a person is one message away;
- a plain "no" (the button, "no thanks") declines the person: anything else?
- anything else (the yes itself, "no, that didn't help", still broken, or a detail the
  assistant cannot use) goes to a person, who can look at the fault.
"""

from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import latest_intent, typed_text

# "it's working now", "works fine again", "sorted", "all good now", "fixed it"
_WORKS = re.compile(r"\b(work(s|ing|ed)?|fixed|sorted|fine|all good|load(s|ing|ed)|back up)\b", re.I)
# but not "still not working", "doesn't work", "no good", "not loading", "never loads"
_STILL_BROKEN = re.compile(
    r"\b(not|no|never|nope|still|same|won'?t|can'?t|doesnt|isnt|didnt|broken|error|crash\w*|froze|frozen"
    r"|stuck)\b|n't\b", re.I)
# "I'll try that", "will do", "let me try again", "gonna give it a go"
_TRYING = re.compile(
    r"\b(will do|(i'?ll|i will|will|let me|gonna|going to|i'?m going to)\s+(try|give it a (go|try|shot)"
    r"|have a go))\b", re.I)
# a person asked for in so many words: "I'll try, but can I speak to someone?"
_PERSON = re.compile(r"\b(person|someone|somebody|human|agent|staff|pass me|speak|talk)\b", re.I)
# a "no" that says the fixes did not help, not that no person is wanted
_UNHELPED = re.compile(r"\b(help(ed|s)?|work(s|ed|ing)?|fix(ed|es)?|still|same|broken|load\w*)\b",
                       re.I)

WORKS, TRYING, DECLINED = "utter_website_working", "utter_website_trying", "utter_ok_anything_else"


def works_now(text: str) -> bool:
    """Whether the customer says the site works now."""
    return bool(_WORKS.search(text)) and not _STILL_BROKEN.search(text)


def reply_answer(text: str, intent: Optional[str]) -> Optional[str]:
    """The response that settles the reply without a person, or None when it needs one."""
    if works_now(text):
        return WORKS
    if intent == "deny":
        return None if _UNHELPED.search(text) or _PERSON.search(text) else DECLINED
    if _TRYING.search(text) and not _STILL_BROKEN.search(text) and not _PERSON.search(text):
        return TRYING
    return None


class ActionWebsiteReply(Action):
    def name(self) -> Text:
        return "action_website_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answer = reply_answer(typed_text(tracker), latest_intent(tracker))
        if answer is not None:
            dispatcher.utter_message(response=answer)
        return [SlotSet("website_needs_person", answer is None)]
