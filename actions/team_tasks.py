"""Requests for what the help centre says our team does: a person offered at once.

"how do I ask for the large print manual for the Aurora Kettle then?", right after the
accessibility article's "We can send … product manuals … in large print … Ask our team",
got the kettle's descaling; "i want to buy a replacement filter", after the filter passage's
"a person from our team can order one for you", got that passage again (customer runs). Both
reached a person only after two misses. A request to have such a thing done, about a passage
just shown or about the passage the message itself finds, is offered a person at once
(`TEAM_TASK_OFFER`), who sees the conversation; "yes" hands over
(actions/help_centre.ActionHelpArticleHelped), "no" is no failure (handoff/escalation.py).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.help_centre import ANSWER_RESPONSE, LEANING_FLOOR, confident_article, current_passage, quote_passage
from actions.tracker_reading import response_text
from company.help_articles import HELP_ARTICLE, Article, Passage, done_by_our_team
from handoff.escalation import TEAM_TASK_OFFER

# asking to have something done or got, not how it works: "how do I ask for …", "can you send
# me one", "i want to buy a replacement filter", "please post it"
_ASKS_TO_HAVE_IT_DONE = re.compile(
    r"\bhow\s+(?:do|can|would|should)\s+(?:i|we)\s+(?:ask|request|get|order|buy|arrange|apply)\b"
    r"|\b(?:can|could|would|will)\s+(?:you|u|someone|somebody|your\s+team)\s+(?:please\s+|pls\s+|just\s+)?"
    r"(?:send|order|get|post|email|arrange|sort)\b"
    r"|\b(?:i|we)(?:'d|\s+would)?\s+(?:like|want|wanna|need)\s+(?:to\s+(?:buy|order|get|request|have)\b|one\b|a\s+copy\b)"
    r"|\bplease\s+(?:send|order|get|post|email)\b|\bwhere\s+(?:do|can)\s+(?:i|we)\s+(?:get|buy|order)\b",
    re.IGNORECASE)


def asks_to_have_it_done(text: str) -> bool:
    """Whether the words ask for something to be done or got for the customer."""
    return _ASKS_TO_HAVE_IT_DONE.search(text or "") is not None


def team_task_passage(tracker: Tracker) -> Optional[Tuple[Article, Passage, bool]]:
    """The passage that says our team does what the latest message asks to have done, and
    whether it is new to the customer: one shown in answer to the customer's message before
    (a "yes" or "no" to "did that help?" may stand between), or the one the message itself
    finds, when it is confident (new: it is quoted before the offer)."""
    latest = tracker.latest_message or {}
    if not asks_to_have_it_done(str(latest.get("text") or "")):
        return None
    for slug, section in recently_shown(tracker.events):
        shown = current_passage({"slug": slug, "section": section})
        if shown is not None and done_by_our_team(shown[1]):
            return shown[0], shown[1], False
    found = latest.get(HELP_ARTICLE)
    if isinstance(found, dict) and float(found.get("score") or 0.0) >= LEANING_FLOOR and confident_article(latest):
        own = current_passage(found)
        if own is not None and done_by_our_team(own[1]):
            return own[0], own[1], True
    return None


def recently_shown(events: List[Dict[str, Any]]) -> List[Tuple[str, str]]:
    """The help passages (slug, section) that answered the customer's message before the
    latest, latest first; one "yes" or "no" to "did that help?" may come between."""
    latest = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), None)
    shown: List[Tuple[str, str]] = []
    replies = 0
    for event in reversed(events[:latest] if latest is not None else []):
        kind = event.get("event")
        if kind == "session_started":
            break
        if kind == "bot":
            metadata = event.get("metadata") or {}
            if metadata.get("utter_action") == ANSWER_RESPONSE and metadata.get("help_section"):
                shown.append((str(metadata.get("help_slug") or ""), str(metadata.get("help_section"))))
        elif kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if shown or replies or intent not in ("affirm", "deny"):
                break
            replies += 1
    return shown


def offer_team_for_task(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
    """Offers a person for a request the help centre says our team carries out. True: offered."""
    found = team_task_passage(tracker)
    if found is None:
        return False
    article, passage, new = found
    if new:
        # ("how often do i need to change the filter … and where do i buy new ones" was offered
        # a person without the passage that says how often: a customer run)
        quote_passage(dispatcher, article, passage)
    dispatcher.utter_message(response=TEAM_TASK_OFFER, help_title=article.title, buttons=[
        {"title": response_text(domain, "utter_topic_request_human"), "payload": "/request_human"},
        {"title": response_text(domain, "utter_team_task_not_now"), "payload": "/deny"}])
    return True
