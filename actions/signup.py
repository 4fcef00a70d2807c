"""Signing up: how to create an account, and what to do when signing up goes wrong.

The assistant only explains (it never creates accounts, nor asks for a password); the rules
it states (password length, the confirmation link, no guest checkout) are Harbor Goods'
policies (company/policies.py). A sign-up problem is answered for what went wrong, read from
the customer's words; two of them offer a next step the customer accepts with "yes": an
email already registered → a password reset link (password_reset_form), an error on the
site → a person (action_handoff).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session
from actions.plan_joining import signs_up_for_the_plan, tell_how_to_join
from actions.tracker_reading import response_before_latest_message, typed_text
from company import catalog, policies

ALREADY_REGISTERED, NO_CONFIRMATION = "already_registered", "no_confirmation"
PASSWORD_RULES, SITE_ERROR, GENERAL = "password_rules", "site_error", "general"

# what went wrong, tried in this order (the first that matches wins). A missing confirmation
# email comes before an address already registered ("I already signed up but never got the
# confirmation email" is about the email), and an error on the site before the password
# rules ("I get an error after entering my password" needs a person), unless the words name
# a rule the password broke ("an error saying my password is too short").
_PASSWORD = r"\bpass ?(?:words?|wd)\b"
# what a rule says a password has or lacks ("too short", "a number", "weak password")
_RULE_WORDS = (r"too (?:short|long|weak|simple|easy)|weak|strong\w*|characters?|letters?|"
               r"numbers?|digits?|symbols?|special|capitals?|upper ?case|lower ?case|"
               r"requirements?|rules?|criteria|minimum|valid|invalid")
_ISSUES = (
    (NO_CONFIRMATION, re.compile(
        # "confirmation email", not "I confirmed my email" (that one arrived)
        r"\b(confirm(?!ed\b)\w*|verif(?!ied\b)\w*|activat(?!ed\b)\w*|welcome)\b.{0,30}"
        r"\b(e-?mails?|mails?|links?|codes?)\b"
        r"|\b(e-?mails?|mails?|links?|codes?)\b.{0,40}\b(never|not|didn'?t|hasn'?t|haven'?t|no)\b"
        r".{0,20}\b(arriv\w*|c[oa]me|receiv\w*|get|got|turn\w* up|show\w* up)\b", re.I)),
    (ALREADY_REGISTERED, re.compile(
        r"\balready\b.{0,30}\b(registered|in use|exists?|taken|used|signed up|an account|account)\b"
        r"|\b(e-?mail|address|account)\b.{0,40}\b(exists?|in use|taken|already)\b", re.I)),
    (PASSWORD_RULES, re.compile(
        # after the password also what it must have ("what does the password need")
        rf"{_PASSWORD}.{{0,40}}\b(?:{_RULE_WORDS}|need\w*|must|accept\w*)\b"
        # the password itself refused ("my password doesn't work"), not the page failing
        rf"|{_PASSWORD}\s+(?:does ?n[o']?t|won'?t|will not|isn'?t|is not)\s+work\w*\b"
        rf"|\b(?:{_RULE_WORDS})\b.{{0,20}}{_PASSWORD}", re.I)),
    (SITE_ERROR, re.compile(
        r"\b(errors?|crash\w*|broken|bugs?|glitch\w*|blank|freez\w*|froze|fail\w*|"
        r"won'?t (load|let|work|submit|go through)|not (loading|working)|doesn'?t work|"
        r"keeps? (loading|spinning|refreshing)|nothing happens|went wrong)\b", re.I)),
    (PASSWORD_RULES, re.compile(_PASSWORD, re.I)),
)

_RESPONSES = {
    ALREADY_REGISTERED: "utter_signup_already_registered",
    NO_CONFIRMATION: "utter_signup_no_confirmation",
    PASSWORD_RULES: "utter_signup_password_rules",
    SITE_ERROR: "utter_signup_site_error",
    GENERAL: "utter_signup_help",
}


def signup_issue(text: str) -> str:
    """Which sign-up problem the customer describes; GENERAL when the words don't say."""
    for issue, pattern in _ISSUES:
        if pattern.search(text):
            return issue
    return GENERAL


def account_rules() -> Dict[str, Any]:
    """The sign-up facts the responses quote."""
    return {"sign_up_url": policies.SIGN_UP_URL, "min_length": policies.PASSWORD_MIN_LENGTH,
            "link_hours": policies.CONFIRMATION_LINK_HOURS, "min_age": policies.MIN_ACCOUNT_AGE}


class ActionAccountCreationInfo(Action):
    def name(self) -> Text:
        return "action_account_creation_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if signs_up_for_the_plan(typed_text(tracker), response_before_latest_message(tracker)):
            with company_session() as session:
                plans = catalog.plans(session)
                tell_how_to_join(dispatcher, min((plan.trial_days for plan in plans), default=7))
            return []
        dispatcher.utter_message(response="utter_create_account", **account_rules())
        return []


class ActionSignupHelp(Action):
    def name(self) -> Text:
        return "action_signup_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        issue = signup_issue(typed_text(tracker))
        dispatcher.utter_message(response=_RESPONSES[issue], **account_rules())
        return [SlotSet("signup_issue", issue)]


# the confirmation email still missing after the answer about it ("its not in spam either" got
# the order confirmation article: a customer run)
_STILL_MISSING = re.compile(
    r"\b(?:not|nothing|isn'?t|isnt|wasn'?t|no\s+sign)\b[^.?!]{0,25}\b(?:spam|junk|promotions|there|inbox)\b"
    r"|\b(?:spam|junk)\b[^.?!]{0,20}\b(?:nothing|empty|not\s+there)\b"
    r"|\bstill\s+(?:nothing|not|no)\b|\b(?:already|i)\s+(?:checked|looked)\b|\bresend\w*\b[^.?!]{0,25}\b(?:nothing|not|didn'?t|doesn'?t)\b",
    re.IGNORECASE)
STILL_MISSING_RESPONSE = "utter_signup_email_still_missing"


def tell_the_email_is_still_missing(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Right after the answer about a missing confirmation email, words that say it is still
    not there are offered a person, who can check the address and confirm it. True: answered."""
    if response_before_latest_message(tracker) != _RESPONSES[NO_CONFIRMATION]:
        return False
    if _STILL_MISSING.search(typed_text(tracker)) is None:
        return False
    dispatcher.utter_message(response=STILL_MISSING_RESPONSE)
    return True
