"""The returns policy, and starting a return for a delivered order."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.company_db import company_session
from actions.declinable_form import DeclinableForm
from actions.confirmation_replies import asks_a_question
from actions.tracker_reading import (entity_values, latest_entity, message_intent, request_words,
                                     message_before_latest, slot_text, typed_text)
from actions.named_products import product_missing_from, products_in_request
from actions.phrasing import format_day, format_items, registered_return
from actions.plan_endings import money_asked_after_a_plan_ending, tell_what_the_month_paid_becomes
from actions.some_items import has_several_items, wants_only_some
from handoff.gifts import received_as_a_gift
from handoff.hesitation import only_hesitates
from actions.warranty import FAULT_SLOT, OFFERED_SLOT, covers_phrase, split_covers
from company import catalog, policies
from company import orders as order_service
from ground.clock import utcnow
from company.identifiers import mask_email
from company.models import Order, OrderStatus
from company.policies import Cover
from company.money import format_pence

MAX_REASON_LENGTH = 500
# Which response explains a refused return, by the policy's reason code.
_REFUSAL_RESPONSES = {
    "window_closed": "utter_return_window_closed",
    OrderStatus.PLACED: "utter_return_not_delivered",
    OrderStatus.PROCESSING: "utter_return_not_delivered",
    OrderStatus.SHIPPED: "utter_return_not_delivered",
}


def usable_reason(text: Optional[str]) -> Optional[str]:
    """The words as a return's reason: a few letters at least, and not an essay."""
    reason = (text or "").strip()
    if len(re.findall(r"[^\W\d_]", reason)) < 3 or len(reason) > MAX_REASON_LENGTH:
        return None
    return reason


# what a return is for: a fault ("it stopped heating", "the lid has cracked"), damage, the
# wrong thing, or not wanting it ("too small", "changed my mind"). A detail told after a
# warranty answer ("I ordered two of them", "mine is the black one") names none of these.
_NEGATED = (r"(?:\b(?:do|does|did|is|are|was|were|wo|ca|has|have|had|would|could|will)n'?t|"
            r"\bnot|\bnever|\bno longer|\bcannot|\bwill not|\bstop+(?:ed|s)|\bkeeps?)")
_STOPS_DOING = (r"(?:work|turn|switch|charg|heat|boil|toast|grind|start|power|spin|suck|clean|"
                r"connect|pair|sync|fit|clos|shut|lock|seal|zip|stay|hold|play|light|cool|"
                r"blow|fold|spray|pour|hoover|brew|stick|cut|dispens|respond|load|beep|"
                r"leak|drip|crash|break|fall|dying|die|turning off|switching off|cutting out|"
                r"disconnect|restart|reset|overheat|function)")
_REASON_WORDS = re.compile(
    rf"{_NEGATED}\W+(?:\w+\W+){{0,3}}?{_STOPS_DOING}\w*"
    r"|\b(?:fault\w*|defect\w*|broke\w*|break(?:s|ing)?|damag\w*|crack\w*|chip+ed|smash\w*|"
    r"shatter\w*|dent(?:s|ed)?|scratch\w*|scuff\w*|bent|crushed|snap+ed|torn|rip+ed|ruined|"
    r"leak\w*|drip\w*|burn\w*|smok\w*|spark\w*|smell\w*|stinks?|noise|noisy|rattl\w*|"
    r"squeak\w*|buzz\w*|grinding|whin\w*|wobbl\w*|flicker\w*|overheat\w*|stuck|jam+ed|"
    r"drains?|dead|died|dies|loose|peel\w*|fad(?:ed|ing)|stain\w*|mou?ld\w*|rust\w*|"
    r"fell apart|falls apart|came apart|coming apart|falling apart|unwanted|changed my mind|"
    r"change of mind|disappoint\w*|found it cheaper|cheaper (?:elsewhere|somewhere|online)|"
    r"(?:by|in) (?:a )?mistake|mistakenly|by accident|accidentally|"
    # the wrong thing came, not a wrong detail typed ("sorry, wrong order number")
    r"wrong(?! (?:order )?(?:number|email|e-mail|postcode|address|button|one I typed))|"
    r"missing(?! (?:the |my )?(?:order|receipt|number|email|confirmation|invoice))|"
    r"too (?:small|big|large|tight|loose|short|long|heavy|bright|dark|dim|loud|quiet|narrow|"
    r"wide|slow|hot|cold|weak|flimsy)|diff?e?rent (?:from|to|than|colou?r|size|model|item|product)|"
    r"someone else'?s|another person'?s|not mine|"
    r"isn'?t mine|not for me|isn'?t for me|not what I|not as (?:described|pictured|shown|advertised)|"
    r"(?:(?:do|did)n'?t|(?:do|did) not|no longer) (?:like|want|need) (?:it|them|this|that|the)\b|"
    r"arrived late|poor quality|bad quality|cheap(?:ly)? made|"
    # "it not function", "I already have one" (a present), "not same as picture": from a
    # customer run, each asked for the reason again
    r"already (?:have|got|own|has) (?:one|it|this|that|them)(?! (?:order|open|ticket|return|account))|"
    r"not (?:the )?same as|"
    r"stop+ed|stops)\b", re.I)
# a fault wondered about, not told ("what if it stops working?", "and if it breaks?")
_HYPOTHETICAL = re.compile(r"\b(?:if|in case|suppose|supposing|unless|whether|should it)\b", re.I)
_ABOUT_THE_COVER = re.compile(r"\b(?:cover\w*|warrant\w*|guarantee\w*)\b", re.I)


def _tells_a_reason(sentence: str, words: re.Pattern = _REASON_WORDS) -> bool:
    """Whether one sentence says what is wrong: a reason word before any "if" (after it, the
    fault is wondered about), in a part that is no question about the cover ("does it cover
    a cracked lid?")."""
    hypothetical = _HYPOTHETICAL.search(sentence)
    told_before = hypothetical.start() if hypothetical else len(sentence)
    for part in re.finditer(r"[^,]+,?", sentence[:told_before]):
        about_the_cover = _ABOUT_THE_COVER.search(part.group()) and part.group().rstrip().endswith("?")
        if not about_the_cover and words.search(part.group()):
            return True
    return False


# a side of headphones or a speaker gone quiet ("no sound in the left ear"), read by the
# clarification's plain fault too (actions/fallback.py)
NO_SOUND = r"no\s+sound\s+(?:in|from|on|out\s+of)\s+(?:the\s+|one\s+)?(?:left|right|one)\b"
# a fault or damage: the reasons only someone holding the item can tell (not a change of mind)
_FAULT_OR_DAMAGE = re.compile(
    rf"{_NEGATED}\W+(?:\w+\W+){{0,3}}?(?:work|turn|switch|charg|heat|boil|toast|grind|start|power)\w*"
    r"|\b(?:broken|broke|fault\w*|defect\w*|damag\w*|crack\w*|smash\w*|shatter\w*|dented|crushed|snapped"
    r"|in\s+(?:bits|pieces)|leak\w*|noise|noisy|rattl\w*|sparks?|smok\w*|dead|(?:gone|went|going)\s+silent"
    rf"|{NO_SOUND})\b",
    re.I)


def tells_a_fault(text: Optional[str]) -> bool:
    """Whether the words tell a fault or damage in the item ("IT IS BROKEN", "makes a weird
    grinding noise"), not wondered about ("what if it breaks?")."""
    return any(_tells_a_reason(sentence, _FAULT_OR_DAMAGE)
               for sentence in re.findall(r"[^.!?;]+[.!?;]*", text or ""))


def reason_to_return(text: Optional[str]) -> Optional[str]:
    """The words as a return's reason when they say one (a fault, damage, the wrong item, not
    wanting it), else None: a detail told with nothing asked ("I ordered two of them") is no
    reason, and a return must not be registered on it without asking."""
    reason = usable_reason(text)
    if reason is None:
        return None
    sentences = re.findall(r"[^.!?;]+[.!?;]*", reason)
    return reason if any(_tells_a_reason(sentence) for sentence in sentences) else None


_PARTS = re.compile(r"[^,.!?;]+")
_BUT = re.compile(r"\s+but\s+", re.IGNORECASE)
_OPENING = re.compile(r"^\W*(?:(?:hi|hey|hello|hiya|ok|okay|so|well|um+|erm|and)\b\W*)+", re.IGNORECASE)


def reason_in_request(text: Optional[str]) -> Optional[str]:
    """The words of a request that tell why the return is wanted, for its summary: "the jacket
    is the wrong size" in "hi i got my order HG-100003 but the jacket is the wrong size, can i
    send it back? my email is …" (the whole message, read back as the reason, was clumsy: a
    customer run). None when no words tell one (`reason_to_return`)."""
    whole = reason_to_return(text)
    if whole is None:
        return None
    parts = [part.strip() for piece in _PARTS.findall(whole) for part in _BUT.split(piece)]
    told = [_OPENING.sub("", part).strip() for part in parts if part and _tells_a_reason(part)]
    return ", ".join(part for part in told if part) or whole


# the customer no longer wants the return, told where its reason was asked ("actually I
# don't want to return it anymore"); "changed my mind" alone is a reason (one of the buttons)
_NOT_RETURNING = re.compile(
    r"\b(?:(?:do|does|did)\s*n[o']?t|no longer|not)\s+(?:want|need|wish)\s+to\s+(?:return|send)"
    r"|\bnot\s+(?:return|send)ing\s+(?:it|them)\b|\b(?:i'?ll|i will|i'?m going to|gonna)\s+keep\b"
    r"|\b(?:i\s+)?(?:want|wanna|decided|prefer)\s+to\s+keep\b|\bkeep(?:ing)?\s+(?:it|them)\s+after all\b"
    r"|\bnever\s*mind\b|\bforget\s+(?:it|the return|about it)\b|\bdon'?t\s+bother\b"
    r"|\bcancel\s+(?:the|this|my)\s+return\b|\bchanged my mind about (?:the\s+return|returning)\b"
    # "actually scrap that, im keeping it", "no forget the return"
    r"|\bscrap\s+(?:that|it|the\s+return)\b|\b(?:i'?m|im|i\s+am)\s+keeping\s+(?:it|them)\b"
    r"|\bno\s+return\b|\bnot\s+returning\b"
    # "leave it for now ta", a bare "stop" (which became the reason)
    r"|\bleave\s+it(?:\s+for\s+now)?\b(?!\s+(?:with|at|in|on|outside|by))|^\W*(?:stop|stop\s+it|cancel\s+it)\W*$",
    re.IGNORECASE)
# "changed my mind" is a reason to return (a button), but not beside a return given up:
# "changed my mind, not returning it" was registered with that as its reason
_CHANGED_MIND = re.compile(r"\b(?:i'?ve\s+|i\s+have\s+)?changed\s+my\s+mind\b", re.IGNORECASE)


# what only a person can set up, asked for where a return is: only some of the items, or a
# replacement instead of a refund ("i don't want a refund, i want a replacement toaster" was
# summed up as the whole order's refund, with those words as the reason)
PERSON_SLOT = "return_for_a_person"
ONLY_SOME, REPLACEMENT, GIFT, WRONG_ITEM = "only_some", "replacement", "gift", "wrong_item"
# what a person sets up instead of the return, told where its reason is asked (then nothing
# is registered); only some of the items can be told when the return is summed up
_TOLD_WITH_THE_REASON = (REPLACEMENT, GIFT, WRONG_ITEM)
_REPLACEMENT = re.compile(r"\b(?:replacement|replace\s+(?:it|them|the\s+\w+)|(?:a|another)\s+new\s+one"
                          r"|(?:want|need|get|have)\s+(?:it|them|this|the\s+\w+)\s+replaced"
                          r"|exchange\w*|swap\w*"
                          # "i dont want a refund i want the right thing sent" (a customer run)
                          r"|(?:the\s+)?(?:right|correct)\s+(?:one|thing|item|product|size|colou?r)s?"
                          r"(?:\s+\w+){0,2}?\s+(?:sent|instead)|send\s+(?:me\s+)?(?:the\s+)?(?:right|correct)\s+\w+"
                          r"|(?:get|send|have)\s+(?:me\s+)?what\s+i\s+ordered)\b", re.IGNORECASE)
_NO_REPLACEMENT = re.compile(r"\b(?:n't|not|no|dont|without)\s+(?:want\s+|need\s+)?(?:a\s+|an\s+)?"
                             r"(?:replacement|exchange|new\s+one|swap)"
                             r"|(?:n't|not|dont|rather\s+not)\s+(?:want|need|have)\s+(?:it|them|this|the\s+\w+)\s+replaced",
                             re.IGNORECASE)


def wants_a_replacement(text: str) -> bool:
    """Whether the words ask for a replacement (or an exchange) instead of a refund."""
    return _REPLACEMENT.search(text) is not None and _NO_REPLACEMENT.search(text) is None


# the shop sent the wrong thing ("you sent me the wrong item", "this isn't what I ordered"),
# not the customer's own slip ("I ordered the wrong size")
_SENT_WRONG = re.compile(
    r"\bwrong\s+(?:item|product|thing|order(?!\s*(?:number|no\b|#|ref))|parcel|package|goods)s?\b"
    r"|\b(?:sent|send|got|received|receive|delivered|came|arrived|gave|given|shipped)\b(?:\W+\w+){0,3}?"
    r"\W+(?:wrong|incorrect)\b(?!\s+(?:order\s+)?(?:number|no\b|email|e-mail|postcode|address|details|tracking"
    r"|link|code|refund|amount))"
    r"|\b(?:is|was|are|were)?n'?t\s+what\s+i\s+(?:ordered|bought|paid\s+for)"
    r"|\bnot\s+what\s+i\s+(?:ordered|bought|paid\s+for)"
    r"|\bsomeone\s+else'?s\s+(?:order|parcel|package|item|stuff)", re.IGNORECASE)
# ... not the customer's own slip or someone else's ("my husband ordered the wrong size", "i
# sent the wrong item back"), nor a wrong fit ("it's the wrong size for me")
_OWN_SLIP = re.compile(r"\b(?:i|we|he|she|they|my\s+\w+)\s+(?:\w+\s+)?(?:ordered|picked|chose|selected|bought|clicked"
                       r"|sent|returned|put)\s+(?:the\s+|a\s+)?wrong\b|\bwrong\s+\w+\s+for\s+(?:me|my|him|her|us|them)\b",
                       re.IGNORECASE)


def sent_the_wrong_item(text: str) -> bool:
    """Whether the words say the shop sent the wrong item: the shop's mistake, which no
    return window and no warranty covers; a person puts it right."""
    return _SENT_WRONG.search(text) is not None and _OWN_SLIP.search(text) is None


# a yes or a filler where the reason is asked ("ok fine", "yes please go ahead"): no reason
_FILLER = re.compile(r"^\W*(?:(?:yes|yeah|yep|ok|okay|fine|sure|please|go|ahead|do|it|thanks|"
                     r"thank|you|alright|right|cool)\W*)+$", re.IGNORECASE)


# a question about which reason to give, where the reason is asked ("what's the difference
# between faulty and damaged?" handed the customer to a person; taken as the reason, the
# question itself was registered as one)
_REASON_KINDS = r"(?:faulty|damaged|broken|defective|wrong\s+item|changed\s+my\s+mind)"
_ASKS_WHICH_REASON = re.compile(
    # "whats the diffrence between faulty n damaged", "is a crack faulty or damaged?" (a later run)
    rf"\bdiff?e?re?n(?:ce|t)\s+between\b|\b{_REASON_KINDS}\s+(?:or|n|and|vs)\s+{_REASON_KINDS}\b"
    r"|\bwhich\s+(?:reason|one|option)\s+applies\b|\bwhich\s+(?:do|should|shall)\s+i\s+(?:pick|choose|select|go\s+for)\b|\b(?:count|counts|qualify|qualifies|classed|classified)\s+as\b"
    r"|\bwhat\s+(?:does|do|is\s+meant\s+by)\s+['\"]?(?:faulty|damaged|wrong\s+item|changed\s+my\s+mind)\b"
    r"|\bwhich\s+(?:one|option|reason|button)\s+(?:should|do|shall|would)\b"
    r"|\bwhat\s+(?:should|do|shall)\s+i\s+(?:pick|choose|say|put|select|click)\b", re.I)


def asks_which_reason(text: str) -> bool:
    """Whether the words ask which return reason to give ("does a scratch count as damaged?"):
    also where the model reads them as out of scope (actions/fallback.py)."""
    return _ASKS_WHICH_REASON.search(text) is not None


def _reason_answer(text: str) -> str:
    """What a reply to "what's the reason for the return?" is: "stop" (no return wanted),
    "which" (asks which reason to give), "question" (asked something else instead), or
    "reason"."""
    rest = _CHANGED_MIND.sub(" ", _NOT_RETURNING.sub(" ", text))
    if _NOT_RETURNING.search(text) and reason_to_return(rest) is None:
        return "stop"  # "I'll keep the charger but the phone is broken" tells a reason
    if _ASKS_WHICH_REASON.search(text):
        told = " ".join(sentence for sentence in re.findall(r"[^.!?;,]+[.!?;,]*", text)
                        if not _ASKS_WHICH_REASON.search(sentence))
        if reason_to_return(told) is None:  # "it's cracked, does that count as damaged?" tells one
            return "which"
    if asks_a_question(text) and reason_to_return(text) is None:
        return "question"
    return "reason"


def _refusal(reason: str, order: Order, now: datetime) -> Tuple[str, List[Cover]]:
    """The response that explains a refused return, and the warranties it names. Past the
    window a fault may still be under warranty: the answer says so and offers a claim
    (actions/warranty.py), or says that the warranty has ended too."""
    if reason == "window_closed":
        covered, ended = split_covers(order, now.date())
        if covered:
            return "utter_return_window_closed_warranty", covered
        if ended:
            return "utter_return_window_closed_warranty_ended", ended
    if reason == "already_returned" and order.returns:
        return "utter_return_already_registered", []
    return _REFUSAL_RESPONSES.get(reason, "utter_return_closed"), []


def _country_asked_from(tracker: Tracker) -> Optional[str]:
    """The country a returns question is asked from: named in it, or in the returns question
    it goes on from ("is it free for me" after "i live in spain, can i return things")."""
    named = latest_entity(tracker, "country")
    if named is not None:
        return named
    before = message_before_latest(tracker)
    if before is None or message_intent(before) != "ask_return_policy":
        return None
    return next(iter(entity_values(before.get("parse_data") or {}, "country")), None)


def _abroad(country: Optional[str]) -> Optional[str]:
    """The name of `country` when the shop delivers there and it is not the home country."""
    if country is None:
        return None
    with company_session() as session:
        rate = catalog.find_shipping_rate(session, country)
        return rate.country_name if rate is not None and rate.country_code != policies.HOME_COUNTRY else None


class ActionReturnPolicy(Action):
    def name(self) -> Text:
        return "action_return_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # ("do i need the original box?" at a return's "Shall I start it?" was told "just tell me
        # when you'd like to start a return", the return being started: a customer run)
        during = tracker.active_loop_name == "return_form"
        if not during and money_asked_after_a_plan_ending(tracker):
            with company_session() as session:
                tell_what_the_month_paid_becomes(dispatcher, session)
            return []
        abroad = _abroad(_country_asked_from(tracker))
        if abroad is not None:
            # ("i live in spain, can i return things" was told that returns within the UK are
            # free, and "is it free for me" got the membership's trial: a customer run)
            dispatcher.utter_message(response="utter_return_policy_abroad", country=abroad,
                                     window_days=policies.RETURN_WINDOW_DAYS,
                                     refund_days=policies.REFUND_WORKING_DAYS)
            return []
        dispatcher.utter_message(
            response="utter_return_policy_during_return" if during else "utter_return_policy",
            window_days=policies.RETURN_WINDOW_DAYS, refund_days=policies.REFUND_WORKING_DAYS,
        )
        return []


# the customer says the parcel reached them ("my parcel turned up and the box is ripped open")
_ARRIVED = re.compile(r"\b(?:arrived|turned\s+up|came|got\s+(?:it|them|the\s+parcel|my\s+parcel)|received|"
                      r"delivered|showed\s+up|just\s+got)\b", re.IGNORECASE)
# ... not "it hasn't arrived yet", "once its delivered", "I received an email saying..."
_NOT_ARRIVED = re.compile(r"(?:\b(?:not|never|yet|once|when|if|until|till|before|after|an?\s+email|a\s+text"
                          r"|(?:has|have|did|is|was|does|do)n'?t)\b|n't\b)"
                          r"(?:\W+\w+){0,3}\W+(?:arrived|turned\s+up|came|received|delivered|showed\s+up)\b"
                          r"|\breceived\s+(?:an?\s+)?(?:email|text|message|notification|confirmation)\b",
                          re.IGNORECASE)


def says_it_arrived(text: str) -> bool:
    """Whether the customer says the parcel reached them."""
    return _ARRIVED.search(text) is not None and _NOT_ARRIVED.search(text) is None


# whether a fault told is normal ("the kettle i got leaks from the bottom, is that normal?" got the
# clarification's buttons: a customer run)
_IS_IT_NORMAL = re.compile(
    r"\b(?:is|r)\s+(?:that|this|it)\s+(?:normal|ok|okay|alright|expected|usual|right|meant\s+to|supposed\s+to)\b"
    r"|\bis\s+(?:that|this|it)\s+(?:how\s+it'?s|what\s+it'?s)\s+(?:meant|supposed)\b"
    r"|\b(?:should|does)\s+(?:it|that|this)\s+(?:do\s+that|be\s+(?:like\s+that|happening))\b", re.IGNORECASE)


def asks_if_a_fault_is_normal(text: Optional[str]) -> bool:
    """Whether the words tell a fault or damage and ask whether it is normal: it is not, and a
    return (or the warranty) puts it right."""
    return _IS_IT_NORMAL.search(text or "") is not None and tells_a_fault(text)


def has_it(text: Optional[str]) -> bool:
    """Whether the words say the customer has the item: it arrived, or it has a fault only
    the one holding it can tell (not "it hasn't arrived and the tracking is dead")."""
    return says_it_arrived(text or "") or (tells_a_fault(text) and _NOT_ARRIVED.search(text or "") is None)


class ActionCheckReturn(Action):
    """Opens the return form when the order can be returned, explains otherwise."""

    def name(self) -> Text:
        return "action_check_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, False)]
            now = utcnow()
            decision = policies.return_decision(order, now)
            request = request_words(tracker, "start_return", order.number)
            named = products_in_request(tracker, session, order, request)
            missing = product_missing_from(tracker, session, order, request)
            if missing is not None:
                # "my headphones from HG-100004 stopped working" was offered a claim for its
                # toaster; "the kettle I got in HG-100154 leaks" the return of the whole order
                dispatcher.utter_message(response="utter_product_not_in_order", order_number=order.number,
                                         product=missing, items=format_items(order))
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, False)]
            fault = slot_text(tracker.get_slot(FAULT_SLOT))
            if decision.reason == OrderStatus.SHIPPED and (has_it(request) or has_it(fault)):
                # "it came damaged" while the courier has not recorded the delivery: the
                # customer is not told there is nothing to return; a person sorts it out. So
                # too a fault told, which only the one holding the item can tell ("IT IS
                # BROKEN. I want a replacement" was told there was nothing to return: a
                # customer run)
                dispatcher.utter_message(response="utter_return_arrived_before_recorded",
                                         order_number=order.number)
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, False),
                        FollowupAction("action_handoff")]
            if (decision.allowed or decision.reason == "window_closed") and sent_the_wrong_item(request):
                # the shop's mistake, whatever the window: "i want to return HG-…, you sent me the
                # wrong item" after it was offered a warranty claim, as if the item were faulty
                dispatcher.utter_message(response=f"utter_return_{WRONG_ITEM}")
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, False),
                        SlotSet(FAULT_SLOT, None), FollowupAction("action_handoff")]
            if not decision.allowed:
                response, covers = _refusal(decision.reason, order, now)
                dispatcher.utter_message(
                    response=response, order_number=order.number,
                    window_days=policies.RETURN_WINDOW_DAYS, products=covers_phrase(covers),
                    **registered_return(order),
                )
                # every check says whether it offered a claim: the rules after it need to know
                offered = response == "utter_return_window_closed_warranty"
                # the fault told stays for the claim offered, and only for it
                kept = tracker.get_slot(FAULT_SLOT) if offered else None
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, offered),
                        SlotSet(FAULT_SLOT, kept)]
            # ... or the fault told before the order was found ("its broken. i want it replaced
            # under warranty" was offered the whole order's £406 refund: a customer run)
            wanted = _asked_of_a_person(order, request, named) or (
                _told_with_the_reason(fault) if fault else None)
            if wanted is not None:
                # "I'd like to return the headphones only" registered the whole order's return;
                # "it flickers, can you send me a new one?" a refund
                dispatcher.utter_message(response=f"utter_return_{wanted}")
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, False),
                        FollowupAction("action_handoff")]
            deadline = policies.return_deadline(order)
            dispatcher.utter_message(
                response="utter_return_allowed", order_number=order.number,
                deadline=format_day(deadline) if deadline else "",
            )
        # a fault already told is the reason: the return form does not ask for it again; words
        # kept that say no reason ("I ordered two of them") leave the form to ask
        reason = reason_in_request(slot_text(tracker.get_slot(FAULT_SLOT))) or reason_in_request(request)
        return [SlotSet("return_allowed", True), SlotSet("return_reason", reason),
                SlotSet("return_confirmed", None), SlotSet(OFFERED_SLOT, False),
                SlotSet(FAULT_SLOT, None)]


# the refund wanted as a gift card, as a gift's is made ("he doesnt want me to get the money
# back he wants a gift card": a customer run, offered the buyer's refund); not "I don't want a
# gift card", nor buying one
_GIFT_CARD_REFUND = re.compile(
    r"\bgift\s+cards?\s+(?:instead|rather)\b|\b(?:refund|money)\s+(?:back\s+)?(?:as|on|in|to)\s+a\s+gift\s+card"
    r"|\b(?:he|she|they|recipient|friend|nephew|niece|son|daughter|mum|mom|dad|wife|husband|partner)\s+"
    r"(?:\w+\s+)?(?:wants?|would\s+like|'?d\s+like|prefers?|rather\s+have)\s+(?:a\s+)?gift\s+card", re.IGNORECASE)
_NO_GIFT_CARD = re.compile(r"\b(?:n'?t|not|no|never)\s+(?:\w+\s+){0,2}?(?:a\s+)?gift\s+cards?\b", re.IGNORECASE)


def wants_a_gift_card_refund(text: str) -> bool:
    """Whether the words want the refund as a gift card, the way a gift's return is made."""
    return _GIFT_CARD_REFUND.search(text) is not None and _NO_GIFT_CARD.search(text) is None


def _told_with_the_reason(text: str) -> Optional[str]:
    """What the words ask that a person sets up instead of a return: a replacement, the
    wrong item put right, or a gift's return for the person who received it."""
    if wants_a_replacement(text):
        return REPLACEMENT
    if sent_the_wrong_item(text):
        return WRONG_ITEM
    return GIFT if received_as_a_gift(text) or wants_a_gift_card_refund(text) else None


def _names_only_some(order: Order, named: List[Any]) -> bool:
    """Whether the products named are some, not all, of the order's several products ("return
    my headphones from HG-100003", which also holds a speaker and a grinder, was summed up as
    the whole order's return, and registered on a yes)."""
    held = {item.product_id for item in order.items}
    wanted = {product.id for product in named}
    return len(held) > 1 and bool(wanted) and wanted < held


def _asked_of_a_person(order: Order, text: str, named: Sequence[Any] = ()) -> Optional[str]:
    """What the words ask of the return that only a person can set up: what
    `_told_with_the_reason` finds, or only some of the order's several items (in words, or
    by the products named); None for none of them."""
    told = _told_with_the_reason(text)
    if told is not None:
        return told
    several = has_several_items(order) and (wants_only_some(text) or _names_only_some(order, list(named)))
    return ONLY_SOME if several else None


# words that keep the whole order's return whatever products they name
_THE_WHOLE_ORDER = re.compile(r"\b(?:whole|entire|all\s+of\s+(?:it|them)|everything|the\s+lot|all\s+the\s+items)\b",
                              re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:than|compared\s+(?:to|with)|like\s+my)\b", re.IGNORECASE)


def _for_a_person(tracker: Tracker) -> Optional[str]:
    """What the words where the return's reason or its summary is asked want that only a
    person can set up (`_told_with_the_reason`), or only some of several items (in words, or
    by naming some of the order's products); None for neither."""
    asked = tracker.get_slot("requested_slot")
    text = typed_text(tracker)
    told = _told_with_the_reason(text) if asked in ("return_reason", "return_confirmed") else None
    if told is not None:
        return told
    if asked not in ("return_reason", "return_confirmed"):
        return None
    with company_session() as session:
        order = verification.verified_order(tracker, session)
        if order is None:
            return None
        # "the headphones" to the reason, of an order with a speaker and a grinder too, was
        # summed up as the whole order's £406 return (a customer run)
        if _THE_WHOLE_ORDER.search(text):
            named = []  # "the headphones stopped working so I'm sending the whole order back"
        elif asked == "return_reason" and _COMPARED.search(text):
            named = []  # "the speaker sounds worse than my old headphones": one product compared
        else:
            named = products_in_request(tracker, session, order, text)
        return _asked_of_a_person(order, text, named)


class ValidateReturnForm(DeclinableForm):
    """The reason, then the customer's yes to the return summed up. A customer who no longer
    wants the return, told where the reason was asked, ends the form with nothing registered
    (action_start_return says so), whatever the model reads the words as; a question asked
    there is answered and the reason asked again."""

    confirmation_slot = "return_confirmed"
    asked_slot = "return_reason"

    def name(self) -> Text:
        return "validate_return_form"

    def gives_up(self, text: str) -> bool:
        return _reason_answer(text) == "stop"

    def answers(self, text: str) -> bool:
        # "changed my mind" is a reason (a button), but after a "no" it takes the return back
        return reason_to_return(text) is not None and _CHANGED_MIND.search(text) is None

    async def extract_return_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Only some of several items, or a replacement, typed where the whole order's return
        is asked: no return is registered, and a person sets it up (action_start_return), as
        the question's own button does for some items."""
        return {"return_confirmed": False} if _for_a_person(tracker) else {}

    def validate_return_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        # the affirm *button* belongs to another question on the screen (a help article's
        # "Yes, thanks"); the summary's own button is /confirm_return, a typed yes is words
        pressed_other = str(tracker.latest_message.get("text") or "").strip().startswith("/affirm")
        wanted = _for_a_person(tracker) if value is False else None
        if wanted:
            return {"return_confirmed": False, PERSON_SLOT: wanted}
        return {"return_confirmed": None if value is True and pressed_other else value}

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = slot_text(value) or ""
        wanted = _for_a_person(tracker)
        if wanted in (ONLY_SOME, *_TOLD_WITH_THE_REASON):
            # "it's broken, I want a replacement", "it was a present tho, can i get a gift card
            # instead?": the reason, kept for the person who sets it up; nothing is registered
            return {"return_reason": usable_reason(text), "return_confirmed": False, PERSON_SLOT: wanted}
        if only_hesitates(text):
            # "idk" was registered as the reason (a customer run)
            dispatcher.utter_message(response="utter_take_your_time")
            return {"return_reason": None}
        answer = _reason_answer(text)
        if answer == "stop":
            return {"return_reason": None, "return_confirmed": False}
        if answer == "question":
            dispatcher.utter_message(response="utter_return_reason_question")
            return {"return_reason": None}
        if answer == "which":
            dispatcher.utter_message(response="utter_return_reason_kinds")
            return {"return_reason": None}
        reason = None if _FILLER.match(text) else usable_reason(text)
        if reason is None and typed_text(tracker):
            # (not after a command: the return gone on with after leaving the queue said "tell
            # me a little more" before the reason was ever asked)
            dispatcher.utter_message(response="utter_return_reason_invalid")
        return {"return_reason": reason}


class ActionAskReturnConfirmed(Action):
    """Sums the return up (order, items, refund, reason) and asks before registering it. A
    return here covers the whole order: with several items the question says so and offers
    a person for only some of them, so that nobody is promised the whole order's refund for
    the one item they meant."""

    def name(self) -> Text:
        return "action_ask_return_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return [SlotSet("return_confirmed", False)]
            several = has_several_items(order)
            dispatcher.utter_message(
                response="utter_ask_return_confirmed_whole_order" if several
                else "utter_ask_return_confirmed",
                order_number=order.number, items=format_items(order),
                refund=format_pence(order.total_pence),
                reason=slot_text(tracker.get_slot("return_reason")) or "",
            )
        return []


class ActionStartReturn(Action):
    """Registers the return and queues the free returns label."""

    def name(self) -> Text:
        return "action_start_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        done = [SlotSet("return_allowed", None), SlotSet("return_reason", None),
                SlotSet("return_confirmed", None), SlotSet(FAULT_SLOT, None), SlotSet(PERSON_SLOT, None)]
        reason = slot_text(tracker.get_slot("return_reason"))
        named = verification.order_named_instead(tracker)
        if named:
            dispatcher.utter_message(response="utter_order_switched",
                                     order_number=slot_text(tracker.get_slot("verified_order")))
            return done + verification.check_order_instead(named, "return")
        wanted = tracker.get_slot(PERSON_SLOT)
        if wanted in (ONLY_SOME, *_TOLD_WITH_THE_REASON):
            dispatcher.utter_message(response=f"utter_return_{wanted}")
            return done + [FollowupAction("action_handoff")]
        if tracker.get_slot("return_confirmed") is not True:
            dispatcher.utter_message(response="utter_return_not_started")
            return done
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None or not reason:
                return done
            try:
                request = order_service.start_return(session, order, reason, utcnow())
            except order_service.NotAllowed:
                dispatcher.utter_message(response="utter_return_closed", order_number=order.number)
                return done
            dispatcher.utter_message(
                response="utter_return_started", rma=request.rma, order_number=order.number,
                masked_email=mask_email(order.customer.email),
                refund=format_pence(request.refund_pence),
            )
        return done


class ActionReportFault(Action):
    """A fault told in the customer's own words after a warranty answer's "tell me"
    ("it stopped heating"): kept as the reason, and the order is identified for the return
    (or, past the return window, the claim). Any other detail said there ("I ordered two of
    them", "mine is the black one") is no fault: it is neither acknowledged as one nor kept,
    so the return form asks for the reason before anything is registered."""

    def name(self) -> Text:
        return "action_report_fault"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events: List[EventType] = [SlotSet("order_task", "return")]
        # an email or postcode told here proves the order; it is not the fault
        if latest_entity(tracker, "email") or latest_entity(tracker, "postcode"):
            return events
        fault = reason_to_return(typed_text(tracker))
        if fault is None:
            return events
        dispatcher.utter_message(response="utter_fault_noted")
        return events + [SlotSet(FAULT_SLOT, fault)]
