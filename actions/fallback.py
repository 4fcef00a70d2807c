"""Clarification when the assistant did not understand: `action_clarify`.

A failed turn (a message understood with too little confidence, an out-of-scope message,
or "none of these" to the topics offered) gets the most likely topics as buttons, or is
told what the assistant is for, or is asked to rephrase. A second failed turn in a row is
not answered here: the escalation decision (handoff.escalation) hands it to a person.

When a help-centre article answers the message confidently, that answer comes first, and
a "no" to it gets the topics the question most likely meant (actions/help_centre.py). A
"no" to "that's not something I can help with … what can I do for you there?" is the
customer saying "nothing": it is answered politely and is no failed turn. A short
question leaning on the last answer ("how much is it") is offered that answer's topic first
(actions/leaning_questions.py). A message in another language is told the assistant reads
English only (actions/other_languages.py), not that the shop does not do what it asked.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import latest_entity, latest_intent, response_before_latest_message, response_text
from actions.leaning_questions import kept_details, previous_topic, refers_back
from actions.other_languages import other_language
from actions.company_db import company_session
from actions.payment_methods import tell_instalments, tell_klarna_minimum
from actions.plan_endings import names_a_plan_to_end, tell_how_to_end_a_plan
from actions.plan_joining import wants_to_join
from actions.signup import tell_the_email_is_still_missing
from feedback.capture import tells_an_opinion
from actions.frequent_questions import ANSWERED_BY
from actions.product_details import answer_detail, detail_asked, product_asked_about
from actions.range_questions import names_nothing_sold, tell_not_sold, thing_asked_about
from actions.sections_asked import heading_asked_for
from actions.orders import REFUSALS
from actions.returns import asks_which_reason, sent_the_wrong_item, usable_reason
from actions.warranty import FAULT_SLOT
from actions.help_centre import (SEEN_OFFER_OF_A_PERSON, SEEN_TOPICS, answer_from_help_centre,
                                 answer_from_the_article_just_shown, answer_with_passage_headed,
                                 answered_question, turned_down_before, turned_down_in_own_words)
from actions.team_tasks import offer_team_for_task
from actions.topics import NOT_TOPIC_INTENTS
from company.return_sending import RETURN_LABEL_SECTION, asks_how_a_return_is_sent
from handoff.hesitation import HESITANT, only_hesitates
from handoff.escalation import (NOT_HELPED_OFFER_OF_A_PERSON, NOT_HELPED_TOPICS,
                                 OUT_OF_SCOPE_ANSWERS, TEAM_TASK_OFFER)

TOPICS_OFFERED = 3
MIN_TOPIC_CONFIDENCE = 0.05
# among the topics alone the crumbs of confidence are large shares: only a clear one is offered
MIN_DETAIL_TOPIC_SHARE = 0.2
ACTION_NAME = "action_clarify"


def _in_a_return(tracker: Tracker) -> bool:
    """Whether the customer is in a return: its form asking, or the order checked for one."""
    return tracker.active_loop_name == "return_form" or tracker.get_slot("order_task") == "return"


def candidate_topics(intent_ranking: Sequence[Mapping[str, Any]]) -> List[str]:
    """The intents of a ranking that are real topics and likely enough to offer, best first
    (the evaluation scores "right topic among the buttons" with this too)."""
    return [ranked["name"] for ranked in intent_ranking
            if ranked.get("name") and ranked["name"] not in NOT_TOPIC_INTENTS
            and (ranked.get("confidence") or 0) >= MIN_TOPIC_CONFIDENCE][:TOPICS_OFFERED]


def topics_behind_a_detail(intent_ranking: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The ranking among the topics alone, for a detail told with nothing asked ("I ordered
    the wrong size", inform at 0.94): the answer-like reading takes nearly all the confidence,
    but which topic the detail belongs to is still in how the rest is shared (a return
    there, 0.04, under the floor of a topic worth offering)."""
    topics = [ranked for ranked in intent_ranking if ranked.get("name") not in NOT_TOPIC_INTENTS]
    total = sum(ranked.get("confidence") or 0 for ranked in topics)
    if total <= 0:
        return []
    shares = [{**ranked, "confidence": (ranked.get("confidence") or 0) / total} for ranked in topics]
    return [ranked for ranked in shares if ranked["confidence"] >= MIN_DETAIL_TOPIC_SHARE]


def offered_topics(parse_data: Mapping[str, Any]) -> List[str]:
    """The topics the clarification offers for a message, best first: a detail's ranked
    among themselves (the evaluation scores "right topic among the buttons" with this)."""
    ranking = parse_data.get("intent_ranking") or []
    if (parse_data.get("intent") or {}).get("name") == "inform":
        ranking = topics_behind_a_detail(ranking)
    return candidate_topics(ranking)


def likely_topics(tracker: Tracker, domain: DomainDict,
                  parse_data: Optional[Dict[str, Any]] = None) -> List[Dict[str, str]]:
    """Buttons for the most likely intents of the latest message (or of `parse_data`) that
    are real topics."""
    buttons = []
    for name in offered_topics(parse_data or tracker.latest_message):
        label = response_text(domain, f"utter_topic_{name}")
        if label:
            buttons.append({"title": label, "payload": f"/{name}"})
    return buttons


def earlier_topic(tracker: Tracker) -> Optional[str]:
    """The topic of the customer's last request before the latest message, if any."""
    previous = previous_topic(tracker, NOT_TOPIC_INTENTS)
    return previous[0] if previous else None


def offer_previous_topic(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
    """A short question leaning on the last answer: that topic first, then the likely ones."""
    previous = previous_topic(tracker, NOT_TOPIC_INTENTS)
    label = response_text(domain, f"utter_topic_{previous[0]}") if previous else ""
    if not previous or not label or not refers_back(tracker.latest_message.get("text") or ""):
        return False
    topic, payload = previous
    buttons = [{"title": label, "payload": payload}]
    buttons += [b for b in likely_topics(tracker, domain) if b["payload"] != f"/{topic}"]
    buttons.append({"title": response_text(domain, "utter_clarify_other"), "payload": "/deny"})
    dispatcher.utter_message(response="utter_clarify_previous_topic", topic=label, buttons=buttons)
    return True


def _detail_kept_for_a_return(tracker: Tracker, intent: Optional[str],
                              buttons: Sequence[Mapping[str, str]]) -> List[EventType]:
    """A detail offered a return ("I ordered the wrong size") is that return's reason: kept
    where the return check reads a fault already told, so the form does not ask for it."""
    reason = usable_reason(tracker.latest_message.get("text"))
    if intent != "inform" or not reason or not any(b["payload"] == "/start_return" for b in buttons):
        return []
    return [SlotSet(FAULT_SLOT, reason)]


# what can still be done, asked after a change was refused ("so what can i do then?", "so what
# am i supposed to do, refuse it at the door??", "what are my options")
_WHAT_NOW = re.compile(
    r"\bwhat\s+(?:can|do|should|could|am|shall)\s+i\s+(?:do|supposed|meant)\b|\bwhat\s+now\b|\bwhat\s+then\b"
    r"|\bwhat\s+(?:are\s+)?(?:my\s+)?options\b|\brefuse\s+(?:it|the\s+(?:parcel|delivery))\b|\bnow\s+what\b"
    r"|\bso\s+(?:how|what)\b.*\?|\bhow\s+(?:do|can|would|should)\s+i\s+(?:redirect|refuse|reroute|re-route)\b",
    re.IGNORECASE)


def asks_what_now(text: str) -> bool:
    """Whether the words ask what can still be done."""
    return _WHAT_NOW.search(text) is not None


# where feedback is taken down (data/rules/feedback.yml)
FEEDBACK_FORM = "feedback_form"


class ActionClarify(Action):
    def name(self) -> Text:
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        if (tracker.active_loop_name == "return_form" and tracker.get_slot("requested_slot") == "return_reason"
                and asks_which_reason(tracker.latest_message.get("text") or "")):
            # "does a scratch count as damaged?" (out of scope, to the model) got "not something
            # I can help with" before the reason was asked again
            dispatcher.utter_message(response="utter_return_reason_kinds")
            return []
        if tracker.active_loop_name and (tracker.latest_message.get(HESITANT)
                                         or only_hesitates(tracker.latest_message.get("text") or "")):
            # "hmm" at a return's summary or an address read back: "Could you tell me in a few
            # words what you need?" before the question again read as if the request was lost
            dispatcher.utter_message(response="utter_take_your_time")
            return []
        if intent == "deny":
            # --- help centre: "no" to an article offers what the question likely meant
            question = answered_question(tracker)
            if question is not None:
                return self._topics_after_article(dispatcher, tracker, domain, question)
            # ---
            if response_before_latest_message(tracker) in OUT_OF_SCOPE_ANSWERS | {TEAM_TASK_OFFER}:
                dispatcher.utter_message(response="utter_out_of_scope_nothing_else")
                return []
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        language = other_language(tracker.latest_message.get("text") or "")
        if language:
            dispatcher.utter_message(response="utter_english_only", language=language)
            return []
        if self._not_sold(dispatcher, tracker):
            return []
        said = tracker.latest_message.get("text") or ""
        if not tracker.active_loop_name and tells_an_opinion(said):
            # "honestly the atlas chair is amazing but your website search is kinda rubbish"
            # got the chair's assembly from the help centre (a customer run): feedback, kept
            return [FollowupAction(FEEDBACK_FORM)]
        heading = heading_asked_for(said)
        if tell_klarna_minimum(dispatcher, said) or tell_instalments(dispatcher, tracker) or (
                heading is not None and answer_with_passage_headed(dispatcher, heading, tracker)):
            return []
        if _in_a_return(tracker) and asks_how_a_return_is_sent(said) and answer_with_passage_headed(
                dispatcher, RETURN_LABEL_SECTION, tracker):
            return []
        if sent_the_wrong_item(said):
            # "i got the wrong item" (start_return 0.26) got the refunds article (a customer
            # run): the shop's mistake is put right from the order, which a return's start
            # finds; the return then reads the wrong item in this message and hands it to a person
            dispatcher.utter_message(response="utter_wrong_item_sent", buttons=[
                {"title": response_text(domain, "utter_topic_start_return"), "payload": "/start_return"},
                {"title": response_text(domain, "utter_clarify_other"), "payload": "/deny"}])
            return []
        if tell_the_email_is_still_missing(dispatcher, tracker):
            return []
        if latest_entity(tracker, "plan") and wants_to_join(said):
            # "cool sign me up for plus" after the plans fell back (ask_plans 0.46,
            # create_account 0.24: a customer run): joining a plan named is the plans' answer
            return [FollowupAction(ANSWERED_BY["ask_plans"])]
        if names_a_plan_to_end(tracker.latest_message.get("text") or ""):
            # "cancel my membership pls" fell back (cancel_order 0.46, ask_plans 0.29), twice,
            # and was handed to a person: how a plan ends is known, and changes nothing
            with company_session() as session:
                tell_how_to_end_a_plan(dispatcher, session)
            return []
        if response_before_latest_message(tracker) in REFUSALS and asks_what_now(tracker.latest_message.get("text") or ""):
            # "so what can i do then?" right after "it has already left our warehouse" got "that's
            # not something I can help with" (a customer run)
            dispatcher.utter_message(response="utter_after_refusal_what_now", buttons=[
                {"title": response_text(domain, "utter_topic_request_human"), "payload": "/request_human"}])
            return []
        detail_answer = self._detail_not_held(dispatcher, tracker, domain)
        if detail_answer is not None:
            return detail_answer
        # the last topic with a new detail ("what about france") is surer than an article
        if kept_details(tracker.latest_message) and offer_previous_topic(dispatcher, tracker, domain):
            return []
        if offer_team_for_task(dispatcher, tracker, domain):  # what the help centre says a person does
            return []
        turned_down = turned_down_in_own_words(tracker)  # a "no" in the customer's own words
        if turned_down is not None:
            return self._topics_after_article(dispatcher, tracker, domain, turned_down)
        seen = turned_down_before(tracker)  # a passage said not to help is not given again
        if seen is not None:
            return self._topics_after_article(dispatcher, tracker, domain, seen, seen_before=True)
        if answer_from_help_centre(dispatcher, tracker):  # help centre
            return []
        if answer_from_the_article_just_shown(dispatcher, tracker):
            return []
        if offer_previous_topic(dispatcher, tracker, domain):
            return []
        if intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        buttons = likely_topics(tracker, domain)
        if not buttons:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons.append({"title": response_text(domain, "utter_clarify_other"), "payload": "/deny"})
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return _detail_kept_for_a_return(tracker, intent, buttons)

    @staticmethod
    def _detail_not_held(dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Optional[List[EventType]]:
        """ "is the lumen desk lamp dimmable?": the help centre's passage when one answers it
        confidently, else what is known of the product and where its details are
        (actions/product_details.py); None when the message asks no such thing."""
        detail = detail_asked(tracker.latest_message.get("text") or "")
        if detail is None:
            return None
        with company_session() as session:
            product = product_asked_about(tracker, session)
            if product is None:
                return None
            answer_detail(dispatcher, tracker, domain, product, detail)
            return [SlotSet("product", product.name)]

    @staticmethod
    def _not_sold(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """ "do you sell sofas?": a plain no, and what the shop does sell (actions/range_questions.py);
        or what the help centre says of them, where it does (spare filters)."""
        thing = thing_asked_about(tracker.latest_message.get("text") or "")
        if thing is None:
            return False
        with company_session() as session:
            if not names_nothing_sold(session, thing):
                return False
            tell_not_sold(dispatcher, tracker, session, thing)
        return True

    @staticmethod
    def _topics_after_article(dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict, question: Dict[str, Any],
                              seen_before: bool = False) -> List[EventType]:
        buttons = likely_topics(tracker, domain, question)
        response = SEEN_TOPICS if seen_before else NOT_HELPED_TOPICS
        if not buttons:
            # nothing else the question is likely to mean: a person, or the customer's own words
            response = SEEN_OFFER_OF_A_PERSON if seen_before else NOT_HELPED_OFFER_OF_A_PERSON
            buttons = [{"title": response_text(domain, "utter_topic_request_human"),
                        "payload": "/request_human"}]
        buttons.append({"title": response_text(domain, "utter_clarify_other"), "payload": "/deny"})
        dispatcher.utter_message(response=response, buttons=buttons)
        return []
