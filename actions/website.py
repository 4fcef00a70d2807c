"""After the website answer: the customer's reply, read for whether the site works now.

The answer to `website_problem` gives the usual fixes and asks whether to pass the customer
to a person. A "yes", or a reply that is neither yes nor no (`inform`: "still not working",
"it's working now", an email address), is read here: a site that works now is glad news and
nothing more ("yep that worked" is a yes to the question, not to a person); anything else
(the yes itself, still broken, or a detail the assistant cannot use) goes to a person, who
can look at the fault (data/rules/website.yml).
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import typed_text

# "it's working now", "works fine again", "sorted", "all good now", "fixed it"
_WORKS = re.compile(r"\b(work(s|ing|ed)?|fixed|sorted|fine|all good|load(s|ing|ed)|back up)\b", re.I)
# but not "still not working", "doesn't work", "no good", "not loading", "never loads"
_STILL_BROKEN = re.compile(
    r"\b(not|no|never|nope|still|same|won'?t|can'?t|doesnt|isnt|didnt|broken|error|crash\w*|froze|frozen"
    r"|stuck)\b|n't\b", re.I)


def works_now(text: str) -> bool:
    """Whether the customer says the site works now."""
    return bool(_WORKS.search(text)) and not _STILL_BROKEN.search(text)


class ActionWebsiteReply(Action):
    def name(self) -> Text:
        return "action_website_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        fixed = works_now(typed_text(tracker))
        if fixed:
            dispatcher.utter_message(response="utter_website_working")
        return [SlotSet("website_fixed", fixed)]
