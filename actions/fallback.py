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
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import (entity_values, latest_entity, latest_intent, response_before_latest_message, response_text,
                                     said_before_latest_message)
from actions.leaning_questions import kept_details, previous_topic, refers_back
from actions.order_deadlines import asks_to_be_ordered_for, tell_how_to_order, tell_last_order_days
from actions.other_languages import other_language
from actions import verification
from actions.company_db import company_session
from actions.phrasing import format_items, order_total
from actions.payment_methods import KLARNA_SECTION, tell_instalments, tell_klarna_minimum
from actions.plan_endings import (money_asked_after_a_plan_ending, names_a_plan_to_end, tell_how_to_end_a_plan,
                                  tell_what_the_month_paid_becomes)
from actions.plan_joining import wants_to_join
from actions.signup import tell_the_email_is_still_missing
from feedback.capture import tells_an_opinion
from actions.faq import answer_plans
from actions.product_details import answer_detail, detail_asked, product_asked_about, tell_prices
from actions.range_questions import names_nothing_sold, products_called, tell_not_sold, tell_product_price
from company.range_asked import asks_which_are_sold, thing_asked_about
from actions.sections_asked import heading_asked_for
from actions.orders import REFUSALS, wants_the_invoice_for_a_company
from actions.returns import (NO_SOUND, asks_if_a_fault_is_normal, asks_which_reason, sent_the_wrong_item, tells_a_fault,
                             usable_reason)
from actions.warranty import FAULT_SLOT
from actions.help_centre import (MORE_HELP_ARTICLES, SEEN_OFFER_OF_A_PERSON, SEEN_TOPICS, answer_from_help_centre,
                                 answer_from_the_article_just_shown, answer_with_passage_headed,
                                 answered_question, turned_down_before, turned_down_in_own_words)
from actions.team_tasks import offer_team_for_task
from actions.topics import NOT_TOPIC_INTENTS
from company.delivery_areas import REFUSING_SECTION, asks_about_refusing_a_delivery
from company.policies import RETURN_WINDOW_DAYS
from company.return_sending import RETURN_LABEL_SECTION, asks_how_a_return_is_sent
from handoff.hesitation import HESITANT, only_hesitates
from handoff.escalation import (NOT_HELPED_OFFER_OF_A_PERSON, NOT_HELPED_TOPICS,
                                 OUT_OF_SCOPE_ANSWERS, PREVIOUS_TOPIC_OFFER, TEAM_TASK_OFFER)

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
    dispatcher.utter_message(response=PREVIOUS_TOPIC_OFFER, topic=label, buttons=buttons)
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
    r"|\bso\s+(?:how|what)\b.*\?|\bhow\s+(?:do|can|would|should)\s+i\s+(?:redirect|refuse|reroute|re-route)\b"
    # what can still be done did not work ("I tried the courier site and it wont let me, please
    # can you do it" got "not sure I understood": a customer run)
    r"|\b(?:won'?t|wont|doesn'?t|doesnt|didn'?t|didnt|would\s*n'?t)\s+let\s+me\b"
    r"|\bcan\s*(?:'?t|not)\s+(?:do|find|get)\s+(?:it|that)\s+(?:on|there|online)\b"
    r"|\b(?:can|could|would|will)\s+(?:you|u)\s+(?:just\s+|please\s+|pls\s+)?(?:do|sort|redirect|change|fix)\s+(?:it|that|this)"
    r"(?:\s+for\s+me)?\W*$",
    re.IGNORECASE)


# buttons that are no next step of an answer
_NOT_A_STEP = frozenset({"/deny", "/affirm"})


def asks_what_now(text: str) -> bool:
    """Whether the words ask what can still be done."""
    return _WHAT_NOW.search(text) is not None


# where feedback is taken down (data/rules/feedback.yml)
FEEDBACK_FORM = "feedback_form"


Answer = Optional[List[EventType]]  # events when a reading answered the message, None when not its


def _answered(done: bool) -> Answer:
    return [] if done else None


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _reason_kinds_asked(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "does a scratch count as damaged?" where a return asks its reason (out of scope, to the
    model) got "not something I can help with" before the reason was asked again."""
    if (tracker.active_loop_name == "return_form" and tracker.get_slot("requested_slot") == "return_reason"
            and asks_which_reason(_text(tracker))):
        dispatcher.utter_message(response="utter_return_reason_kinds")
        return []
    return None


def _hesitation_in_a_form(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "hmm" at a return's summary or an address read back: "Could you tell me in a few words
    what you need?" before the question again read as if the request was lost."""
    if tracker.active_loop_name and (tracker.latest_message.get(HESITANT) or only_hesitates(_text(tracker))):
        dispatcher.utter_message(response="utter_take_your_time")
        return []
    return None


def _no_to_an_answer(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """A "no": to an article, the topics its question likely meant; to "that's not something I
    can help with … what can I do for you there?", nothing more is needed; else rephrase."""
    if latest_intent(tracker) != "deny":
        return None
    question = answered_question(tracker)
    if question is not None:
        return _topics_after_article(dispatcher, tracker, domain, question)
    if response_before_latest_message(tracker) in OUT_OF_SCOPE_ANSWERS | {TEAM_TASK_OFFER}:
        dispatcher.utter_message(response="utter_out_of_scope_nothing_else")
        return []
    dispatcher.utter_message(response="utter_ask_rephrase")
    return []


def _other_language(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    language = other_language(_text(tracker))
    if language:
        dispatcher.utter_message(response="utter_english_only", language=language)
        return []
    return None


def _not_sold(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "do you sell sofas?": a plain no, and what the shop does sell (actions/range_questions.py);
    or what the help centre says of them, where it does (spare filters)."""
    thing = thing_asked_about(_text(tracker))
    if thing is None:
        return None
    with company_session() as session:
        if not names_nothing_sold(session, thing):
            # "what kettles do you sell?": the one it is, with its price; "what speakers do you
            # guys sell": each, with theirs (it got the Orbit's pairing: a customer run)
            found = products_called(session, thing) if asks_which_are_sold(_text(tracker)) else []
            if not found:
                return None
            if len(found) > 1:
                tell_prices(dispatcher, found)
                return []
            tell_product_price(dispatcher, found[0])
            return [SlotSet("product", found[0].name)]
        tell_not_sold(dispatcher, tracker, session, thing)
    return []


def _an_opinion(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "honestly the atlas chair is amazing but your website search is kinda rubbish" got the
    chair's assembly from the help centre (a customer run): feedback, kept."""
    if not tracker.active_loop_name and tells_an_opinion(_text(tracker)):
        return [FollowupAction(FEEDBACK_FORM)]
    return None


def _payment_details(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    return _answered(tell_klarna_minimum(dispatcher, _text(tracker)) or tell_instalments(dispatcher, tracker)
                     or _klarna_terms_after_the_methods(dispatcher, tracker))


# Klarna's terms asked right after the ways to pay: "whats the minimum", "is there any interest"
_KLARNA_TERMS = re.compile(r"\b(?:minimum|min|interest|fees?|charges?|credit\s+check|late|miss(?:ed)?|instal+ments?"
                           r"|how\s+many\s+payments)\b", re.IGNORECASE)


def _klarna_terms_after_the_methods(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """ "whats the minimum" and "is there any interest" right after the ways to pay (Klarna
    named among them) got "not something I can help with" (a customer run): Klarna's section."""
    return (response_before_latest_message(tracker) == "utter_payment_methods"
            and _KLARNA_TERMS.search(_text(tracker)) is not None
            and answer_with_passage_headed(dispatcher, KLARNA_SECTION, tracker))


def _last_order_day(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    return _answered(tell_last_order_days(dispatcher, tracker))


def _ordering_for_the_customer(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "ok can you order one for me" after a price got the packaging article (a customer run):
    the assistant cannot, and says how to order."""
    if not asks_to_be_ordered_for(_text(tracker)):
        return None
    tell_how_to_order(dispatcher, tracker)
    return []


def _section_asked_for(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    heading = heading_asked_for(_text(tracker))
    return _answered(heading is not None and answer_with_passage_headed(dispatcher, heading, tracker))


def _how_a_return_is_sent(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    return _answered(_in_a_return(tracker) and asks_how_a_return_is_sent(_text(tracker))
                     and answer_with_passage_headed(dispatcher, RETURN_LABEL_SECTION, tracker))


def _wrong_item_sent(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "i got the wrong item" (start_return 0.26) got the refunds article (a customer run): the
    shop's mistake is put right from the order, which a return's start finds; the return then
    reads the wrong item in this message and hands it to a person."""
    if not sent_the_wrong_item(_text(tracker)):
        return None
    dispatcher.utter_message(response="utter_wrong_item_sent", buttons=_return_or_else(domain))
    return []


def _return_or_else(domain: DomainDict) -> List[Dict[str, str]]:
    """The buttons under an answer that a return puts right: the return's start, or something else."""
    return [{"title": response_text(domain, "utter_topic_start_return"), "payload": "/start_return"},
            {"title": response_text(domain, "utter_clarify_other"), "payload": "/deny"}]


def _fault_put_right(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
                     response: str, words: Optional[str] = None) -> List[EventType]:
    """How a fault is put right, the return offered, and the words kept as its reason (the
    latest message's unless `words` tell it)."""
    dispatcher.utter_message(response=response, window_days=RETURN_WINDOW_DAYS, buttons=_return_or_else(domain))
    reason = usable_reason(words or _text(tracker))
    return [SlotSet(FAULT_SLOT, reason)] if reason else []


# a fault asked about ahead: "what if it's broken?", "what happens if it stops working"
_FAULT_AHEAD = re.compile(
    r"\b(?:what\s+(?:if|happens\s+if|do\s+i\s+do\s+if)|if|in\s+case)\b[^.!?]*\b(?:broken|breaks?|broke|faulty"
    r"|stops?\s+working|dies|damaged|(?:does|do)\s*n'?o?t\s+work|fails?|packs?\s+up|goes\s+wrong)\b[^.!?]*\?",
    re.IGNORECASE)


def _fault_asked_about_ahead(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "what if it's broken?" after the grinder's care got "not sure I understood" (and, read
    as upset, a person: a customer run): how a fault would be put right."""
    if not _FAULT_AHEAD.search(_text(tracker)):
        return None
    dispatcher.utter_message(response="utter_fault_what_if", window_days=RETURN_WINDOW_DAYS)
    return []


def _fault_asked_if_normal(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "the kettle i got leaks from the bottom, is that normal?" (start_return 0.72, under its
    bar) got the clarification's buttons (a customer run): it is not normal, it is stopped, and
    a return puts it right, with these words as its reason."""
    if not asks_if_a_fault_is_normal(_text(tracker)):
        return None
    return _fault_put_right(dispatcher, tracker, domain, "utter_fault_not_normal")


def _fault_told(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "omg the headphones i got for my son's birthday dont turn on … what can i do" (out of
    scope, 0.57) got "not something I can help with", then a person (a customer run): a fault
    in a product named, that no help-centre passage answers, is ours to put right by a return."""
    if not latest_entity(tracker, "product") or not tells_a_fault(_text(tracker)):
        return None
    return _fault_put_right(dispatcher, tracker, domain, "utter_fault_told")


def _fault_left_after_an_article(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "tried that, still dead" after the charging advice for the Nimbus Headphones went to a
    person as upset, then got the likely topics (customer runs): the advice did not put right
    the fault of the product asked about, which a return or the warranty does."""
    question = answered_question(tracker)
    if question is None or not tells_a_fault(_text(tracker)):
        return None
    if not (entity_values(question, "product") or latest_entity(tracker, "product")):
        return None
    asked = str(question.get("text") or "")
    return _fault_put_right(dispatcher, tracker, domain, "utter_fault_told",
                            words=asked if tells_a_fault(asked) else None)


# a product that plainly does not work, which no care passage puts right: "my kettle stopped
# working after 3 months" got the limescale passage ("not a manufacturing fault": a customer
# run); a symptom ("won't charge", "won't turn on", "keeps sinking") is the help centre's to answer
_PLAIN_FAULT = re.compile(
    r"\bstopped\s+working\b|\b(?:does|did|do)\s*(?:n'?t|not)\s+work\b|\bdoesnt\s+work\b|\bnot\s+working\b"
    r"|\bbroken\b|\bbroke\b|\b(?:gone|went)\s+(?:silent|dead)\b"
    rf"|\b{NO_SOUND}",
    re.IGNORECASE)


def _plain_fault_told(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """A product named that plainly does not work: how a fault is put right, before any help
    passage."""
    if not _PLAIN_FAULT.search(_text(tracker)):
        return None
    return _fault_told(dispatcher, tracker, domain)


def _email_still_missing(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    return _answered(tell_the_email_is_still_missing(dispatcher, tracker))


def _joining_a_plan(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "cool sign me up for plus" after the plans fell back (ask_plans 0.46, create_account
    0.24: a customer run): joining a plan named is the plans' answer."""
    if latest_entity(tracker, "plan") and wants_to_join(_text(tracker)):
        # answered here: after a follow-up action no rule predicts, and "Sorry, I didn't quite
        # get that" came after the answer (a customer run)
        answer_plans(dispatcher, tracker)
        return []
    return None


def _ending_a_plan(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "cancel my membership pls" fell back (cancel_order 0.46, ask_plans 0.29), twice, and
    was handed to a person: how a plan ends is known, and changes nothing."""
    if not names_a_plan_to_end(_text(tracker)):
        return None
    with company_session() as session:
        tell_how_to_end_a_plan(dispatcher, session)
    return []


def _money_after_a_plan_ending(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "will i get money back for this month" right after how a plan ends got the refunds
    article of orders (a customer run): what happens to the month paid for."""
    if not money_asked_after_a_plan_ending(tracker):
        return None
    with company_session() as session:
        tell_what_the_month_paid_becomes(dispatcher, session)
    return []


# how soon the team answers: "how fast do you reply", "how long do emails take"
_REPLY_TIME = re.compile(r"\bhow\s+(?:fast|quick(?:ly)?|soon|long)\b.*\b(?:repl\w*|respon\w*|answer\w*|get\s+back"
                         r"|hear|emails?|take)\b", re.IGNORECASE)


def _reply_time_after_the_contacts(dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Answer:
    """ "how fast do you reply" right after the ways to reach us got "not sure I understood" (a
    customer run): how soon each way is answered."""
    if response_before_latest_message(tracker) != "utter_contact_channels" or not _REPLY_TIME.search(_text(tracker)):
        return None
    dispatcher.utter_message(response="utter_contact_reply_times")
    return []


# what the order holds: "oh. what was in it again?" after its status
_ITEMS_ASKED = re.compile(r"\bwhat\s+(?:was|is|'s|s|were)\s+in\s+(?:it|that|there|the\s+(?:order|parcel|box|package))\b"
                          r"|\bwhat\s+did\s+i\s+(?:order|buy|get)\b|\b(?:which|what)\s+items?\b", re.IGNORECASE)


def _items_of_the_order_proved(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "oh. what was in it again?" after a proved order's status got "not sure I understood" (a
    customer run): the order's items."""
    if not _ITEMS_ASKED.search(_text(tracker)):
        return None
    with company_session() as session:
        order = verification.verified_order(tracker, session)
        if order is None:
            return None
        dispatcher.utter_message(response="utter_order_items", order_number=order.number, items=format_items(order),
                                 total=order_total(order))
    return []


def _invoice_for_a_company_after_it_was_sent(dispatcher: CollectingDispatcher, tracker: Tracker,
                                             domain: DomainDict) -> Answer:
    """ "can you put my company name on it" right after an invoice was sent got "not sure I
    understood" (a customer run): who can re-issue it."""
    if response_before_latest_message(tracker) != "utter_invoice_sent" or not wants_the_invoice_for_a_company(
            _text(tracker)):
        return None
    dispatcher.utter_message(response="utter_invoice_for_a_company")
    return []


def _what_now_after_a_refusal(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "so what can i do then?" right after "it has already left our warehouse" got "that's
    not something I can help with" (a customer run)."""
    if response_before_latest_message(tracker) not in REFUSALS or not asks_what_now(_text(tracker)):
        return None
    if asks_about_refusing_a_delivery(_text(tracker)) and answer_with_passage_headed(dispatcher, REFUSING_SECTION,
                                                                                       tracker):
        # "can i refuse it at the door instead?" after a shipped order's cancellation was
        # refused got "I can't make that change here any more" (a customer run): it can
        return []
    dispatcher.utter_message(response="utter_after_refusal_what_now", buttons=[
        {"title": response_text(domain, "utter_topic_request_human"), "payload": "/request_human"}])
    return []


def _what_now_after_an_offer(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "what do i do next" right after an answer that offered its next step as a button (the
    warranty's "Something has a fault") got the delivery article (a customer run): that step
    again, with its button."""
    if not asks_what_now(_text(tracker)):
        return None
    said = said_before_latest_message(tracker) or {}
    steps = [button for button in (said.get("data") or {}).get("buttons") or []
             if isinstance(button, dict) and str(button.get("payload") or "").startswith("/")
             and button.get("payload") not in _NOT_A_STEP]
    if len(steps) != 1:
        return None
    dispatcher.utter_message(response="utter_what_now_next_step", step=steps[0].get("title"), buttons=steps)
    return []


def _detail_not_held(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """ "is the lumen desk lamp dimmable?": the help centre's passage when one answers it
    confidently, else what is known of the product and where its details are
    (actions/product_details.py)."""
    detail = detail_asked(_text(tracker))
    if detail is None or tracker.latest_message.get(MORE_HELP_ARTICLES):
        # (two help questions: "is the kettle dishwasher safe? and how do I descale it" got the
        # first alone, a customer run; the help centre answers both)
        return None
    with company_session() as session:
        product = product_asked_about(tracker, session)
        if product is None:
            return None
        answer_detail(dispatcher, tracker, domain, product, detail)
        return [SlotSet("product", product.name)]


def _last_topic_with_a_new_detail(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """The last topic with a new detail ("what about france") is surer than an article."""
    return _answered(bool(kept_details(tracker.latest_message)) and offer_previous_topic(dispatcher, tracker, domain))


def _team_task(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """What the help centre says a person does."""
    return _answered(offer_team_for_task(dispatcher, tracker, domain))


def _turned_down_in_own_words(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """A "no" to an article in the customer's own words."""
    turned_down = turned_down_in_own_words(tracker)
    return None if turned_down is None else _topics_after_article(dispatcher, tracker, domain, turned_down)


def _turned_down_before(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    """A passage said not to help is not given again."""
    seen = turned_down_before(tracker)
    return None if seen is None else _topics_after_article(dispatcher, tracker, domain, seen, seen_before=True)


def _help_centre(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    return _answered(answer_from_help_centre(dispatcher, tracker))


def _article_just_shown(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    return _answered(answer_from_the_article_just_shown(dispatcher, tracker))


def _last_topic(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    return _answered(offer_previous_topic(dispatcher, tracker, domain))


def _out_of_scope(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Answer:
    if latest_intent(tracker) != "out_of_scope":
        return None
    dispatcher.utter_message(response="utter_out_of_scope")
    return []


Reading = Callable[[CollectingDispatcher, Tracker, DomainDict], Answer]
# what a failed turn is read as, in turn, the first that answers it wins: the question in the
# form's context, a "no", what the message plainly asks, then the help centre, then the last
# topic; when none answers, the likely topics as buttons (ActionClarify)
READINGS: Tuple[Reading, ...] = (
    _reason_kinds_asked, _hesitation_in_a_form, _no_to_an_answer, _other_language, _not_sold, _an_opinion,
    _payment_details, _last_order_day, _ordering_for_the_customer, _section_asked_for, _how_a_return_is_sent, _wrong_item_sent, _fault_asked_about_ahead,
    _fault_asked_if_normal,
    _email_still_missing,
    _joining_a_plan, _ending_a_plan, _money_after_a_plan_ending,
    _invoice_for_a_company_after_it_was_sent, _reply_time_after_the_contacts, _items_of_the_order_proved, _what_now_after_a_refusal, _what_now_after_an_offer, _detail_not_held, _last_topic_with_a_new_detail,
    _plain_fault_told, _team_task, _fault_left_after_an_article, _turned_down_in_own_words, _turned_down_before, _article_just_shown, _help_centre, _fault_told,
    _last_topic, _out_of_scope,
)


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


class ActionClarify(Action):
    def name(self) -> Text:
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        for reading in READINGS:
            answer = reading(dispatcher, tracker, domain)
            if answer is not None:
                return answer
        buttons = likely_topics(tracker, domain)
        if not buttons:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons.append({"title": response_text(domain, "utter_clarify_other"), "payload": "/deny"})
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return _detail_kept_for_a_return(tracker, latest_intent(tracker), buttons)
