"""After the website answer: the customer's reply, read for whether a person is needed.

The answer to `website_problem` gives the usual fixes and asks whether to pass the customer
to a person. Every yes, no or other reply to it is read here (data/rules/website.yml), and
so is the reply after "good luck" when the customer tried the fixes first; a reply classed as
the website topic again ("the site is working now") too, which handoff.escalation does not
count as the question asked again (`READ_REPLIES`):

- a site that works now ("yep that worked", "no need, it's working now") is glad news and
  nothing more, unless the customer adds a "but" or a payment;
- "ok will do" / "I'll try that" means the customer tries the fixes first: wish them luck
  and say a person is one message away (an "ok" after that waits on);
- a plain refusal (the "No" button, "no thanks", "nah it's fine") declines the person;
- anything else goes to a person, who can look at the fault: the yes itself, and every "no"
  that says more than no ("no, tried that", "no luck", "no it didn't"), since a customer
  whose fixes failed must not be asked "anything else?".
"""

from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import latest_intent, typed_text

# "it's working now", "works again", "sorted", "all good now", "fixed it", "fine now"
_WORKS = re.compile(r"\b(work(s|ing|ed)?|fixed|sorted|fine now|all good|load(s|ing|ed)|back up)\b", re.I)
# but not "still not working", "doesn't work", "not loading", "tried that", "no luck"
_STILL_BROKEN = re.compile(
    r"\b(not|no|never|nope|still|same|won'?t|can'?t|doesnt|isnt|didnt|broken|error|crash\w*|froze|frozen"
    r"|stuck|tried|already|luck|joy|nothing|useless)\b|n't\b", re.I)
# "works now but I was charged twice": more than the site, for a person
_BUT = re.compile(r"\b(but|though|charged|paid|payment|money|twice)\b", re.I)
# "no need, fixed it", "nope, working now": the no answers the offer of a person
_LEADING_NO = re.compile(r"^\W*(no|nope|nah)\b[\s,.!]*(need\b[\s,.!]*)?(thanks?\b[\s,.!]*)?", re.I)
# "no", "no thanks", "nah it's fine", "no I'll try again later": a person declined, nothing more
_PLAIN_NO = re.compile(
    r"^\W*(no|nope|nah|no need)\b[\s,.!]*(thanks?|thank you|thx|ta|cheers|(it'?s|i'?m|that'?s) (fine|ok|okay"
    r"|alright)|i'?ll (try|manage|do it)( (it|that|again|later|myself|now))*)?[\s,.!]*$", re.I)
# "I'll try that", "will do", "let me try again", "gonna give it a go"
_TRYING = re.compile(
    r"\b(will do|(i'?ll|will|let me|gonna|going to)\s+(try|give it a (go|try|shot)"
    r"|have a go))\b", re.I)
# "ok", "thanks", "sure": after "good luck", the customer is still trying
_ACKNOWLEDGED = re.compile(r"^\W*(ok(ay)?|k|sure|cool|great|alright|thanks?|thank you|thx|ta|cheers)\W*$", re.I)
# a person asked for in so many words: "I'll try, but can I speak to someone?"
_PERSON = re.compile(r"\b(person|someone|somebody|human|agent|staff|pass me|speak|talk)\b", re.I)

WORKS, TRYING, WAITING, DECLINED = ("utter_website_working", "utter_website_trying",
                                    "utter_website_waiting", "utter_ok_anything_else")
# what the reply settled, for the rules: a person, or one of the answers above
REPLIES = {WORKS: "works", TRYING: "trying", WAITING: "trying", DECLINED: "declined", None: "person"}


def works_now(text: str) -> bool:
    """Whether the customer says the site works now, and nothing more."""
    rest = _LEADING_NO.sub("", text)
    return (bool(_WORKS.search(rest)) and not _STILL_BROKEN.search(rest)
            and not _BUT.search(rest))


def reply_answer(text: str, intent: Optional[str], trying: bool = False) -> Optional[str]:
    """The response that settles the reply without a person, or None when it needs one.
    `trying`: the customer said before that they would try the fixes first."""
    if not text:  # a button: "No, I'll try again" declines, "Yes, pass me to a person" not
        return DECLINED if intent == "deny" else None
    if works_now(text):
        return WORKS
    if intent == "deny":
        return DECLINED if _PLAIN_NO.match(text) else None
    if _STILL_BROKEN.search(text) or _PERSON.search(text):
        return None
    if _TRYING.search(text):
        return TRYING
    if trying and _ACKNOWLEDGED.match(text):
        return WAITING
    return None


class ActionWebsiteReply(Action):
    def name(self) -> Text:
        return "action_website_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        trying = tracker.get_slot("website_reply") == "trying"
        answer = reply_answer(typed_text(tracker), latest_intent(tracker), trying)
        if answer is not None:
            dispatcher.utter_message(response=answer)
        return [SlotSet("website_reply", REPLIES[answer])]
