"""The escalation decision: whether a customer turn goes to a person, why, and how urgently.

This is the only place that decides. The assistant's escalation policy asks it after every
customer message (and `action_handoff` asks it again for the reasons), and the gateway asks
it when the assistant is unavailable. It reads plain facts about the conversation
(`TurnSignals`), never the model or the database, so that a table of cases can test it.

`signals_from_events` turns a Rasa tracker's events (as dicts) into those facts, so the
policy in the Rasa server and the action in the action server read them identically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from company.identity_checks import PROOF_LOCKED, PROOF_SLOT
from company.range_asked import asks_if_sold
from handoff.emotion import (BEREAVEMENT, BILLING, BUSINESS, CHURN, CRISIS, EVIDENCE, FRAUD, LEGAL,
                             CANCELLATION_REGRETTED, DISTRESSED, MISSING_ITEMS, PERSON_ASKED, REPEAT_CONTACT,
                             SAFETY, VULNERABLE, speaks_of_replacing)
from handoff.follow_ups import LOOKUP_ACTIONS, follow_up_action
from handoff.hesitation import HESITANT
from company.help_articles import HELP_ARTICLE


class Reason:
    """Reason codes on a ticket, most urgent first."""

    SAFETY = SAFETY
    LEGAL = LEGAL
    FRAUD = FRAUD
    BILLING = BILLING
    EVIDENCE = EVIDENCE  # disputes a delivery or charge with evidence ("not my signature")
    CHURN = CHURN  # threatens to leave or to warn others off: a customer about to be lost
    REPEAT_CONTACT = REPEAT_CONTACT  # has contacted us about this before: the last answer failed
    BUSINESS = BUSINESS  # a business customer's contract or terms change: a person agrees terms
    # "tell me if it's still missing" after a parcel recorded as delivered, and the customer
    # says it is: a person opens a claim with the courier and arranges a replacement or refund
    MISSING_PARCEL = "missing_parcel"
    # a delivered parcel came with items missing, or empty: a person sends what is missing
    # (or refunds it)
    MISSING_ITEMS = MISSING_ITEMS
    # "oh no, I didn't mean that, can you undo it?" after an order was cancelled: only a
    # person can put it back through, and only before the refund goes out
    CANCELLATION_REGRETTED = CANCELLATION_REGRETTED  # also said in so many words (handoff.emotion)
    # someone close to the customer has died: condolences, and a person who takes care of
    # their account and orders (no erasure or cancellation flow for someone else's account)
    BEREAVEMENT = BEREAVEMENT
    # words of harming oneself: where to get help now (Samaritans, 999), and a person at once
    CRISIS = CRISIS
    # the customer needs extra support (memory, sight, hearing, learning, someone who usually
    # helps): a person who takes it slowly, with everything said so far
    VULNERABLE = VULNERABLE
    # identity checks failed too often for an order or account: self-service is locked and
    # a person verifies the customer another way (company.identity_checks)
    IDENTITY_LOCK = "identity_lock"
    NEGATIVE_EMOTION = "negative_emotion"  # a very negative message
    EMOTION_DROP = "emotion_drop"  # a sharp drop, or anger that goes on
    COMPLAINT = "complaint"
    REQUESTED = PERSON_ASKED  # the intent, or the words whatever the intent (handoff.emotion)
    REPEATED_FALLBACK = "repeated_fallback"  # two failed turns in a row
    REPEATED_QUESTION = "repeated_question"  # asked again after an answer
    VIP = "vip"
    ASSISTANT_UNAVAILABLE = "assistant_unavailable"
    LOW_RATING = "low_rating"  # a 1-2 rating after a resolved case: the loop is reopened
    NEGATIVE_FEEDBACK = "negative_feedback"  # a negative comment or piece of feedback
    NOT_SOLVED = "not_solved"  # "no" to the day-3 aftercare message: the case is reopened
    CHECK_IN = "check_in"  # day 30 for a VIP: the account manager checks in personally
    # the customer confirmed they want their account closed and personal data erased (UK
    # GDPR art. 17) and proved the account is theirs: a person confirms and carries it out
    # within the legal month (company.erasure)
    ERASURE_REQUEST = "erasure_request"
    # a fault on a delivered order past its return window, still under warranty: a product
    # expert checks the fault and arranges the repair or replacement (actions/warranty.py)
    WARRANTY_CLAIM = "warranty_claim"
    # a requirement sheet (5W1H) confirmed by a customer nobody identified: the product team
    # answers it in the chat, the only way to reach them (actions/requirement_tickets.py)
    REQUIREMENT = "new_requirement"

    ORDER = (CRISIS, SAFETY, LEGAL, FRAUD, IDENTITY_LOCK, BEREAVEMENT, VULNERABLE, BILLING, EVIDENCE, MISSING_PARCEL,
             MISSING_ITEMS,
             CANCELLATION_REGRETTED, CHURN, REPEAT_CONTACT,
             NEGATIVE_EMOTION, EMOTION_DROP, COMPLAINT, BUSINESS, ERASURE_REQUEST, WARRANTY_CLAIM, REQUIREMENT,
             REQUESTED,
             REPEATED_FALLBACK, REPEATED_QUESTION, VIP, ASSISTANT_UNAVAILABLE, LOW_RATING,
             NEGATIVE_FEEDBACK, NOT_SOLVED, CHECK_IN)
    # the named risks, as the emotion analysis reports them
    RISKS = (CRISIS, SAFETY, LEGAL, FRAUD, BEREAVEMENT, VULNERABLE, BILLING, EVIDENCE, CHURN, REPEAT_CONTACT,
             BUSINESS, PERSON_ASKED, MISSING_ITEMS, CANCELLATION_REGRETTED)
    # the customer's feeling comes first in the answer: upset, leaving, or let down before
    EMOTIONAL = frozenset({NEGATIVE_EMOTION, EMOTION_DROP, COMPLAINT, CHURN, REPEAT_CONTACT,
                           BEREAVEMENT, CRISIS, VULNERABLE})


# Sentiment scores run from -1 (furious) to 1 (delighted); see handoff.emotion.
VERY_NEGATIVE = -0.55
NEGATIVE = -0.3
SHARP_DROP = 0.6
FAILED_TURNS_FOR_HUMAN = 2
REPEAT_WINDOW = 4  # customer turns back in which a question counts as asked again
# The second asking of a topic in a conversation is answered once more; only a third is
# asked again. A follow-up is often the same intent: "and when was it delivered?" after the
# status (which names the day), "has it shipped yet?", "how much is Premium?" after the
# plans, "what about Saturday delivery?", a return asked for again after stopping it; each
# went to a person with an hour's wait as "asked the same again".
# ... unless the second asking says the answer did not do: "it still hasn't arrived"
_INSISTS = re.compile(r"\b(still|again|hasn'?t|has not|haven'?t|have not|not arrived|not here|"
                      r"already (?:told|asked|said)|(?:did|do|does|would|will|wo)n'?t answer|"
                      r"not (?:what|answering)|as i (?:said|asked)|i (?:just )?(?:told|asked) you|"
                      r"second time|(?:just|already) asked)\b|[?!]{2,}", re.I)

# taking back what was asked ("wait no!! i DON'T want my account closed", read as closing the
# account a third time) is no question asked again: it was handed over as one
_TAKES_BACK = re.compile(
    r"^\W*(?:wait|hang on|hold on|actually|no+)\b.*\b(?:do\s*n'?t|do not|not)\s+(?:want|need)\b", re.I)
# ... but a question after it insists ("no i don't want to wait, where's my refund")
_ASKS_STILL = re.compile(r"\?|\b(?:where|when|why|how|what)\b", re.I)

# the customer says the answer just given missed their question, whatever the model reads
# (typed as customers type it: "thats not wat i asked", "u didnt anwser me", "ur not listening")
_ANSWER = r"(?:answer|anwser|awnser|answr|anser)(?:ing|ed)?"
_ANSWER_MISSED = re.compile(
    r"\b(?:not\s*(?:what|wat|wot|wht)\s+i\s+(?:asked|askd|asled|said|meant)"
    rf"|(?:did|do|does|would|will|wo)n'?t {_ANSWER}|(?:you|u) (?:did|do|does|will) not {_ANSWER}"
    rf"|(?:you'?re|you are|your|ur|u r|u are) not (?:listening|listenin|{_ANSWER})"
    rf"|(?:that|this|thats|that'?s) (?:doesn'?t|does not|didn'?t|did not|dosent|doesnt) {_ANSWER}"
    rf"|{_ANSWER} (?:my|the|me) (?:question|q|qs)|read (?:my|the) (?:question|message))\b", re.I)

FAILED_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
# the details a form asks for: a message that tells one where a form asks is an answer, whatever
# else it says ("ugh fine LS6 2QT. but answer my question about postage" fell back where the
# order's proof was asked, and went to a person as a second miss: a customer run)
FORM_DETAILS = frozenset({"order_number", "email", "postcode", "phone"})
OUT_OF_SCOPE = "out_of_scope"
# a failed intent answered by a help-centre article (actions/help_centre.py) is not a failed
# turn, unless the customer then says it did not help ("no" to action_clarify's question)
HELP_ARTICLE_ANSWER = "utter_help_article"
# the answers to a "no" after an article: other likely topics, or (none likely) a person
NOT_HELPED_TOPICS = "utter_help_article_not_helped"
NOT_HELPED_OFFER_OF_A_PERSON = "utter_help_article_not_helped_rephrase"
NOT_HELPED_ANSWERS = frozenset({NOT_HELPED_TOPICS, NOT_HELPED_OFFER_OF_A_PERSON})
# ... and to the "no" taken back after them ("it did answer, I clicked wrong")
GLAD_AFTER_ALL = "utter_help_article_glad_after_all"
# "that's not something I can help with … what can I do for you there?" and the polite
# answer to a "no" after it: a "no" to either is "nothing", not a failed turn (a "no" to
# the topics offered is one)
OUT_OF_SCOPE_ANSWERS = frozenset({"utter_out_of_scope", "utter_out_of_scope_nothing_else"})
# what the shop does not sell or do, told for what was asked: understood, whatever the intent
# the model read ("do u sell cars", then "can you design me a logo for my bakery then", went to
# a person as two misses with "I'm still not getting it", a customer run)
# (and a product's detail the catalogue does not hold, with where it is: "is the lumen desk lamp
# dimmable?" asked twice went to a person as two misses, a customer run)
DECLINED_ANSWERS = frozenset({"utter_product_not_sold", "utter_needs_work_not_offered",
                              "utter_product_details_not_held", "utter_product_details_not_held_again"})
# the topic of the last answer offered for a short question leaning on it ("how much is
# it"): like an article, the offer is no failure, and a "no" to it is one
PREVIOUS_TOPIC_OFFER = "utter_clarify_previous_topic"
# a person offered for what the help centre says our team does (actions/team_tasks.py): an
# answer, not a failure, and a "no" to it is "not now", not a failure either
TEAM_TASK_OFFER = "utter_offer_team_task"
# how a Harbor Club plan ends, told for a message that fell back ("cancel my membership pls",
# actions/plan_endings.py): an answer, not a failure
PLAN_ENDING_ANSWER = "utter_plan_cancel"
# a fault told that the model did not read, told how it is put right ("my son's headphones dont
# turn on … what can i do", actions/fallback.py): an answer, not a failure
FAULT_ANSWERS = frozenset({"utter_fault_told", "utter_fault_not_normal"})
# what action_clarify answers itself, once its readings understood the message: a plan joined
# ("ok sign me up for plus"), an order asked to be placed for the customer
# ... and what the reply to a reset link just sent reads in its words: the link that will not
# open, a new link asked for ("got it but it says link expired??", then that answer's own
# "please send another link" button, went to a person as two misses: a customer run); not its
# reply to anything else ("it hasn't come through"), which may not have been understood
READ_ANSWERS = frozenset({"utter_plan_one", "utter_plan_how_to_join", "utter_cannot_order_in_chat",
                          "utter_password_reset_link_failed", "utter_password_reset_sent"})
# what the assistant says to acknowledge, before it asks again: not an answer to the request;
# nor is the feeling acknowledged before a form's question ("I'm sorry about this. Let's get
# it sorted." to an upset "where is my order!!", then "What's the order number?")
NOT_ANSWERS = frozenset({"utter_order_task_noted", "utter_close_account_details_kept",
                         "utter_needs_noted_elsewhere", "utter_acknowledge_feeling"})
# responses that ask for a reply an action reads for what it says, whatever its intent:
# "the site is working now" after the website answer is classed as the website topic again,
# but it answers "shall I pass you to a person?" and is not the question asked again
# (actions/website.py reads it: working, still broken, trying first)
READ_REPLIES = frozenset({"utter_website_problem", "utter_website_trying", "utter_website_waiting"})
# "it's still missing", "not found it", "no sign of it", "never arrived", "still nothing",
# "the neighbours don't have it", "someone stole it"
_STILL_MISSING = re.compile(
    r"\bmissing\b|\bno sign\b|\bnowhere\b|\bstill nothing\b|\bno parcel\b"
    # "asked the neighbours already, nothing. it's gone. what now" got a menu of guesses (a
    # customer run)
    r"|\b(?:it'?s|its|it\s+is|it\s+has|parcel'?s|parcel\s+is)\s+(?:just\s+|totally\s+|completely\s+)?gone\b"
    r"|\bnothing\s*(?:[.,;!]|$)|\bno\s+luck\b"
    r"|\bnothing (here|came|arrived|turned up)\b"
    r"|\b(can'?t|cannot|can not|couldn'?t|could not) (find|see)\b|\b(don'?t|do not|doesn'?t|does not) have it\b"
    r"|\bstol(e|en)\b"
    r"|\b(not|never|didn'?t|did not|hasn'?t|has not|haven'?t|have not|isn'?t|is not|wasn'?t|nt)\b"
    r"[^.?!]{0,30}\b(found|find|arrived|received|recieved|got|get|turned up|shown up|showed up|come|came"
    r"|here|there|delivered)\b",
    re.I)
# but not "found it", "my neighbour had it", "not missing any more", "I didn't know it had
# come", "I'll tell you if it isn't there"
_FOUND = re.compile(
    r"(?<!n't )(?<!nt )(?<!not )(?<!never )\bfound (it|them|the parcel|the package)\b"
    r"|\bneighbou?rs? (got|had|has|took|kept|signed)\b|\b(picked it up|took it in|not missing)\b"
    r"|\bif\b|\bdidn'?t know\b"
    # it came, and something is wrong with it ("no the vacuum isn't missing, it's BROKEN. it
    # won't turn on" was told a person would open a claim with the courier: a customer run)
    r"|\b(?:isn'?t|is\s+not|wasn'?t|was\s+not|hasn'?t\s+gone|has\s+not\s+gone|never\s+went|not)\s+missing\b"
    r"|\b(?:broken|broke|faulty|damaged|defective|cracked|smashed|stopped\s+working|doesn'?t\s+work"
    r"|won'?t\s+(?:turn|switch|power)\s+on)\b", re.I)
# "undo it", "I didn't mean that", "cancelled it by mistake", "wrong order!", "no wait";
# not "I ordered it by mistake anyway" or "I changed my mind, so that's perfect", which
# explain the cancellation
_REGRETTED = re.compile(
    r"\b(undo|uncancel|un-cancel|reinstate|cancel the cancell?ation)\b"
    r"|\b(didn'?t|did not|never) mean\b|\b(didn'?t|did not) want (to cancel|it cancell?ed)\b"
    r"|\b(cancell?ed|pressed|clicked|hit|tapped|chose|picked)\b[^.?!]{0,25}"
    r"\b(by mistake|by accident|accidentally|mistakenly|the wrong)\b"
    r"|\b(by mistake|by accident|accidentally|mistakenly)\b[^.?!]{0,25}\bcancel"
    r"|\b(that|this|it) was a mistake\b|\bwrong (one|order|button)\b|\bnot that one\b|\bput it back\b"
    r"|\b(keep|want) it (back|after all)\b|\bstill want\b|\b(no+,? wait|wait,? no+|hang on|hold on)\b",
    re.I)
# a "no" that closes the chat rather than answering the answer: "no thanks", "no that's all"
_DONE = re.compile(r"\b(thanks?|thank you|thx|cheers|ta|that'?s (all|it|fine|everything)|all good|bye"
                   r"|goodbye|fine|perfect|great)\b", re.I)


@dataclass(frozen=True)
class ReplyRisk:
    """What a reply to an answer says that only a person can act on, and the reason."""

    says: "re.Pattern[str]"
    reason: str
    unless: Optional["re.Pattern[str]"] = None
    no_says_it: bool = True  # whether a "no" says it too


# Replies to some answers, whatever their intent: the delivered answer ends "tell me if it's
# still missing", and a cancellation is done the moment it is confirmed. A "no" to either
# ("not yet", "nope, nothing", "no wait") says the same, unless it closes the chat.
# The plan's ending says a person can end it for the customer: "ok do it for me please" got
# "didn't quite get that", and "please cancel my membership for me" the same answer again
# (a customer run). Asked to do it, the assistant passes it to that person.
_DO_IT_FOR_ME = re.compile(
    r"\b(?:do|cancel|end|stop|sort)\s+(?:it|that|this|them|my\s+(?:membership|plan|subscription|harbou?r\s+club))"
    r"\s+(?:for\s+me|on\s+my\s+behalf)\b"
    # a request, not a question about what happens: "can you just do it", not "what happens if
    # you cancel it" or "can you do it in the app?"
    r"|^\W*(?:(?:ok|okay|so|then|please|pls|well)\W+)*(?:can|could|would|will|cant|can't)\s+(?:you|u|someone|somebody)"
    r"\s+(?:just\s+|please\s+|pls\s+)?(?:do|cancel|end)\s+(?:it|that|my\s+(?:membership|plan|subscription))"
    r"(?:\s+(?:for\s+me|please|pls|then|instead))*\W*$",
    re.IGNORECASE)
REPLY_RISKS: Dict[str, ReplyRisk] = {
    "utter_order_status_delivered": ReplyRisk(_STILL_MISSING, Reason.MISSING_PARCEL, unless=_FOUND),
    "utter_order_cancelled": ReplyRisk(_REGRETTED, Reason.CANCELLATION_REGRETTED),
    PLAN_ENDING_ANSWER: ReplyRisk(_DO_IT_FOR_ME, Reason.REQUESTED, no_says_it=False),
}


def reply_risks(answer: Optional[str], text: str, intent: Optional[str] = None) -> FrozenSet[str]:
    """The reasons a reply to the response `answer` names (REPLY_RISKS)."""
    risk = REPLY_RISKS.get(answer or "")
    if risk is None or (risk.unless is not None and risk.unless.search(text)):
        return frozenset()
    said = risk.says.search(text) or (risk.no_says_it and intent == "deny" and not _DONE.search(text))
    return frozenset({risk.reason}) if said else frozenset()


# The status of an order on schedule, and impatience with it ("why is it taking so long?",
# "ugh this is taking ages"): the parcel is on time, so a person can do no more than the
# assistant, and the team may be away for days (5 of 12 such replies went to an empty queue
# in a customer run, and a feeling handed over cannot leave the queue). The assistant says
# so and offers a person (bot/policies/order_waits.py).
ON_SCHEDULE_ANSWERS = frozenset({"utter_order_status_placed", "utter_order_status_processing",
                                 "utter_order_status_shipped"})
_IMPATIENT = re.compile(
    r"\b(?:tak(?:e|es|ing)|took)\s+(?:so\s+|too\s+|this\s+)?(?:long|ages|forever)\b"
    r"|\b(?:so|too|very|really|painfully)\s+slow\b|\bages\b|\bforever\b|\bany\s+(?:sooner|faster|quicker)\b"
    r"|\bneed(?:ed)?\s+it\s+(?:by|for|before)\b|\bwhy\s+(?:is|has|does|isn'?t|hasn'?t)\b.*\b(?:long|still|yet|take)\b"
    # "ugh still waiting" fell back to a menu of guesses
    r"|^\W*(?:(?:ugh+|argh+|urgh+|meh|hmm+|omg|seriously|so|and|but|well|i'?m|im|i\s+am|we'?re|we\s+are)\W+)*"
    r"(?:still|yet)\s+waiting\b"
    # "I needed it yesterday" fell back; "that's too late" (a "no") got "Anything else?"
    r"|\bneeded\s+it\s+(?:yesterday|today|already|by\s+now|last\s+week)\b"
    r"|\b(?:that'?s|thats|is|it'?s|its|way|far|much|bit)\s+too\s+late\b"
    # a later run: each got a menu of guesses, opening hours or "not something I can help with"
    r"|\bhow\s+long\s+(?:does|will|is|do)\s+(?:it|this|that|delivery|shipping)\s+(?:take|taking|going\s+to\s+take)\b"
    r"|\b(?:speed|hurry)\s+(?:it|this|things|delivery)\s+up\b"
    # a second run: "thats no good, her birthday is TOMORROW. can u do anything??" got "I'm sorry
    # about this. Let's get it sorted." and then "that's not something I can help with"
    r"|\b(?:can|could)\s+(?:you|u)\s+(?:do|try)\s+anything\b|\banything\s+(?:you|u)\s+can\s+do\b"
    r"|\bis\s+there\s+(?:any\s*way|anything\s+(?:you|u)\s+can)\b"
    r"|\b(?:can'?t|cant|can|could)\s+(?:it|you|u)\s+(?:come|arrive|get\s+here|be\s+delivered|deliver\s+it)\s+"
    r"(?:tomorrow|tmrw|tmr|today|sooner|earlier|faster|quicker)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven)\s+(?:more\s+)?days\s*\?"
    r"|\b(?:not|isn'?t|hasn'?t)\s+(?:here|arrived|come)\s+yet\b|\bstill\s+not\s+(?:here|arrived|come)\b"
    # "its late" (a goodbye to the model) ended the chat with a rating request
    r"|^\W*(?:(?:but|well|and|so)\W+)?(?:it'?s|its|it\s+is|that'?s|thats)\s+(?:so\s+|really\s+|already\s+)?late\W*$",
    re.IGNORECASE)
# what impatience is read as; a request said with it ("why hasn't it shipped yet, I want to
# cancel", "I won't be home at the weekend, can I change the address?") is that request
IMPATIENCE_INTENTS = frozenset({"complaint", "nlu_fallback", "out_of_scope", "order_status", "deny",
                                "ask_shipping", "ask_opening_hours", "inform", "goodbye"})
# the question that offers a person for the wait (actions/order_waits.py)
WAIT_QUESTION = "utter_order_wait"
# "it's fine, I'll wait", "nah I'll wait till wednesday": a no to the person offered (7 of 7
# such replies fell back and, as failed or upset turns, handed the customer over)
_WILL_WAIT = re.compile(
    r"\b(?:i'?ll|ill|i\s+will|i\s+can|i'?m\s+happy\s+to|happy\s+to|we'?ll|we\s+will|can)\s+(?:just\s+|happily\s+)?wait\b"
    r"|^\W*(?:(?:ok|okay|fine|it'?s\s+fine|its\s+fine|that'?s\s+fine|no|nah|no\s+thanks)\W+)*(?:just\s+)?wait\s+(?:then|till|until)\b"
    # "its ok", "it's fine", "fine": all right as it is (4 of 14 such declines were handed over)
    r"|^\W*(?:(?:no|nah|oh|ah|ok|okay)\W+)?(?:(?:it'?s|its|that'?s|thats|that\s+is|it\s+is)\s+(?:fine|ok|okay|alright"
    r"|all\s+right)|fine|alright|no\s+worries|no\s+problem|not\s+a\s+problem)(?:\W+(?:then|thanks|thank\s+you|ta|cheers))?\W*$",
    re.IGNORECASE)
_WANTS_A_PERSON = re.compile(r"\b(?:yes|yeah|yep|please\s+do|person|someone|somebody|human|agent|staff|team)\b",
                             re.IGNORECASE)


def impatient_with_the_wait(answer: Optional[str], text: str, intent: Optional[str] = None) -> bool:
    """Whether `text`, the reply to the response `answer`, read as `intent`, is impatience with
    an order that is on schedule (ON_SCHEDULE_ANSWERS)."""
    return (answer in ON_SCHEDULE_ANSWERS and intent in IMPATIENCE_INTENTS
            and _IMPATIENT.search(text) is not None)


# "its fine it did answer, i clicked wrong. bye" after the "no" to "did that answer your
# question?": the no taken back (a customer run: it fell back, a second miss, and a person)
_NO_TAKEN_BACK = re.compile(
    r"\b(?:it|that|this|u|you)\s+(?:did|does)\s+(?:actually\s+)?(?:answer|help)"
    r"|\b(?:it|that|this)\s+(?:actually\s+)?(?:answered|helped)\b"
    r"|\b(?:click(?:ed)?|press(?:ed)?|tapped|hit|chose|picked|selected)\s+(?:the\s+)?wrong\b|\bwrong\s+button\b"
    r"|\b(?:clicked|pressed|tapped|hit|chose|picked|selected)\s+(?:no|the\s+no(?:\s+button)?)\s+by\s+(?:mistake|accident)\b"
    r"|\baccidentally\s+(?:clicked|pressed|tapped|hit|chose|said)\b"
    r"|\bmeant\s+(?:to\s+(?:say|press|click|tap|hit)\s+)?yes\b",
    re.IGNORECASE)
_NOT_TAKEN_BACK = re.compile(r"\b(?:did\s*n[o']?t|didnt|does\s*n[o']?t|doesnt|not)\s+(?:really\s+)?(?:answer|help)",
                             re.IGNORECASE)


def takes_back_the_no(answer: Optional[str], text: str) -> bool:
    """Whether `text`, the reply to the answer to a "no" after a help-centre passage
    (NOT_HELPED_ANSWERS), says the passage did answer after all: a yes, whatever the model read."""
    return (answer in NOT_HELPED_ANSWERS and _NO_TAKEN_BACK.search(text) is not None
            and _NOT_TAKEN_BACK.search(text) is None)


def waits_after_all(answer: Optional[str], text: str) -> bool:
    """Whether `text`, the reply to the person offered for the wait (WAIT_QUESTION), says the
    customer will wait: a no, whatever the model read."""
    return (answer == WAIT_QUESTION and _WILL_WAIT.search(text) is not None
            and _WANTS_A_PERSON.search(text) is None)


# forms that take the customer's own words as answers: an answer there is not a question
# to classify, so it can neither fail nor be "asked again"
FREE_TEXT_LOOPS = frozenset({"needs_form", "feedback_form", "rating_comment_form", "return_form"})
# the 5W1H interview, whose answers tell the problem a request solves: "our current lighting
# is poor for design work" (-0.47) or "patients complain about the air" (a complaint, 0.84) to
# "What problem should this solve?" handed the customer over, and the request was lost (3 of 6)
INTERVIEW_LOOP = "needs_form"
# the 5W1H sheet read back and "Which part should I change?": a reply there is about the
# request, read as an interview answer ("How: we'll pay by purchase order" was a business
# contract for a person, and the request was never filed: a customer run)
WHICH_FIELD_QUESTION = "utter_needs_which_field"
SHEET_QUESTIONS = frozenset({"utter_needs_sheet", WHICH_FIELD_QUESTION})
# "What would you like to add to REQ-…?": the reply is the addition, in the customer's words
# (actions/requirement_notes.py), not a question asked again ("and we need them by June" after
# two messages about the reference went to a person as a repeated question)
NOTE_QUESTION = "utter_ask_requirement_note"
# what the assistant does with a change to the sheet it understood (bot/policies/sheet_corrections.py)
CORRECT_ACTION = "action_correct_need"
SHEET_CHANGES = frozenset({CORRECT_ACTION, WHICH_FIELD_QUESTION})
# the answers to a yes/no question about a change that read the reply's words, whatever the
# model read (actions/confirmation_replies.py): a reply they answered was understood ("what
# would happen, do i have to post it somewhere?" to the warranty claim offered, answered with
# the next steps, then a second question went to a person as a second miss: a customer run)
WORD_READERS = frozenset({"action_warranty_claim_reply", "action_cancel_reply"})
# the return's reason, which describes what is wrong with the item (`as_fault_told`)
RETURN_LOOP, RETURN_REASON = "return_form", "return_reason"
# the customer chose to carry on with the assistant after a person was called (actions/
# carrying_on.py) or is sorted: the conversation's feelings and failures start afresh
FRESH_STARTS = frozenset({"EXTERNAL_carry_on_here", "EXTERNAL_handoff_withdrawn"})
# the request for something new that starts the interview, read clearly enough
DESCRIBES_A_NEED = "describe_need"
DESCRIBES_A_NEED_CONFIDENCE = 0.75
# ... or less clearly, with a number of things asked for: "staff keep complaining about back pain
# from the chairs, we're after about 40 office chairs" (describe_need 0.52, complaint 0.35) was
# handed over as a complaint (2 of 2 in a customer run)
DESCRIBES_AN_ORDER_CONFIDENCE = 0.5
_ASKS_FOR_A_NUMBER = re.compile(
    r"\b(?:after|need|want|like|looking\s+for|quote\s+(?:for|on)|order(?:ing)?|supply|buy(?:ing)?|get)\s+"
    r"(?:about\s+|around\s+|roughly\s+|some\s+|maybe\s+|at\s+least\s+|~)?\d+\s*\+?\s+[a-z]",
    re.IGNORECASE)
# ... but not about what was bought here ("i ordered 40 chairs and they all broke, we need 40
# replacements" is a complaint)
_BOUGHT_HERE = re.compile(r"\b(?:ordered|bought|purchased|(?:you|u)\s+sent|arrived|delivered|received|"
                          r"refund\w*|return\w*|replacements?)\b", re.IGNORECASE)


def describes_a_need(text: str, intent: Optional[str], confidence: float) -> bool:
    """Whether a message is the request for something new that starts the 5W1H interview,
    read clearly enough, or asking for a number of things (not about what was bought here)."""
    if intent != DESCRIBES_A_NEED:
        return False
    return confidence >= DESCRIBES_A_NEED_CONFIDENCE or (
        confidence >= DESCRIBES_AN_ORDER_CONFIDENCE and _ASKS_FOR_A_NUMBER.search(text) is not None
        and _BOUGHT_HERE.search(text) is None)
# how sure the NLU must be that such an answer asks for a person or complains instead
FORM_ANSWER_REQUEST_CONFIDENCE = 0.8
# how sure the NLU must be of a change the assistant makes for an upset customer
CLEAR_REQUEST_CONFIDENCE = 0.9
# a correction of the 5W1H sheet read back to the customer (actions/needs.py)
CORRECTION = "correct_need"
# Intents whose repetition says nothing (small talk, answers to the bot's questions).
NOT_QUESTIONS = FAILED_INTENTS | frozenset({
    "greet", "goodbye", "thanks", "affirm", "deny", "inform", "bot_challenge", "rate",
    "request_human", "complaint", "give_feedback", "stop_contact", "nps", "confirm_return",
    # a correction is an answer to the sheet read back ("Change something" pressed a third
    # time, as the sheet kept the How wrong, was "asked the same again" and went to a person
    # with no request filed: a customer run)
    CORRECTION,
    # the gateway speaking first (after a resolved case, a queue left, the aftercare
    # messages), not the customer
    "EXTERNAL_handoff_resolved", "EXTERNAL_handoff_closed", "EXTERNAL_handoff_closed_quietly",
    "EXTERNAL_handoff_withdrawn", "EXTERNAL_carry_on_here",
    "EXTERNAL_aftercare_solved_check",
    "EXTERNAL_aftercare_tips", "EXTERNAL_aftercare_nps",
})
# replies to what the assistant asked or said: "no thanks" reads a little negative
ANSWERS_TO_THE_ASSISTANT = frozenset({"affirm", "deny", "thanks", "goodbye", "rate", "nps"})
# Asking how to reach the company, or whether this is a bot, while upset is asking for a
# person: "this bot is useless, how do I reach someone real" is sometimes read as either.
ASKING_FOR_A_WAY_OUT = frozenset({"ask_contact_channels", "bot_challenge"})
# What a VIP may still get from the bot alone: lookups that change nothing.
SIMPLE_LOOKUPS = NOT_QUESTIONS | frozenset({
    "order_status", "ask_shipping", "ask_payment_methods", "ask_opening_hours",
    "ask_contact_channels", "ask_plans", "ask_free_trial", "ask_warranty", "ask_product",
    "ask_stock",
    "ask_return_policy",
    # account questions the bot only explains
    "create_account", "signup_problem", "switch_account", "website_problem",
    "how_to_order", "ask_cancellation_fees", "refund_status",
    # a copy of an order's invoice changes nothing ("can I get the invoice for HG-100005" from a
    # VIP went to a person: a customer run)
    "request_invoice",
})

# What some reasons mean beyond opening a ticket, in one place.
# told once, true of the customer for the rest of the conversation (TurnSignals.told_before)
CARRIED_REASONS = frozenset({Reason.CRISIS, Reason.VULNERABLE, Reason.BEREAVEMENT, Reason.IDENTITY_LOCK})
# written while a person is coming or here, they change the ticket: the assistant takes the
# message as a turn, the reason is added and the priority raised ("I can't cope anymore" or a
# legal threat typed in the queue was only "added to your conversation": a customer run)
RAISING_REASONS = frozenset({Reason.CRISIS, Reason.SAFETY, Reason.LEGAL, Reason.FRAUD,
                             Reason.BEREAVEMENT, Reason.VULNERABLE})
# a person's own care: the case is closed quietly, with no rating and no tips or surveys after it
QUIET_REASONS = frozenset({Reason.CRISIS, Reason.BEREAVEMENT})

PRIORITY_URGENT, PRIORITY_HIGH, PRIORITY_NORMAL, PRIORITY_LOW = 1, 2, 3, 4
_PRIORITY = {
    Reason.CRISIS: PRIORITY_URGENT,
    Reason.SAFETY: PRIORITY_URGENT, Reason.LEGAL: PRIORITY_URGENT, Reason.FRAUD: PRIORITY_URGENT,
    Reason.BILLING: PRIORITY_HIGH, Reason.IDENTITY_LOCK: PRIORITY_HIGH,
    # evidence of a wrong delivery or charge: money or goods are at stake, like a billing dispute
    Reason.EVIDENCE: PRIORITY_HIGH,
    # a customer about to leave, or failed once already, is won back only if answered soon
    Reason.CHURN: PRIORITY_HIGH, Reason.REPEAT_CONTACT: PRIORITY_HIGH,
    # a loss: not left waiting behind routine questions
    Reason.BEREAVEMENT: PRIORITY_HIGH,
    # someone who finds this hard is not left to wait behind routine questions either
    Reason.VULNERABLE: PRIORITY_HIGH,
    # goods paid for and not received, like a dispute with evidence
    Reason.MISSING_PARCEL: PRIORITY_HIGH,
    Reason.MISSING_ITEMS: PRIORITY_HIGH,
    # the refund goes out soon, and the order can be put back through only before it does
    Reason.CANCELLATION_REGRETTED: PRIORITY_HIGH,
    Reason.NEGATIVE_EMOTION: PRIORITY_HIGH,
    Reason.EMOTION_DROP: PRIORITY_HIGH, Reason.COMPLAINT: PRIORITY_HIGH,
    # routine: the legal deadline is a month away, and the request itself keeps it
    # (erasure_requests.due_by); what matters is that it goes to the right team (routing)
    Reason.ERASURE_REQUEST: PRIORITY_NORMAL,
}  # anything else (a business contract change too: terms are agreed, not rushed) is normal;
# a VIP's ticket is one step more urgent


@dataclass(frozen=True)
class TurnSignals:
    """What is known about the conversation at the customer's latest message."""

    intent: Optional[str] = None
    confidence: float = 1.0
    sentiment: float = 0.0
    earlier_sentiments: Sequence[float] = ()  # oldest first
    risks: FrozenSet[str] = frozenset()
    failed_turns: int = 0  # failed turns in a row, this one included
    repeated_question: bool = False
    vip: bool = False
    assistant_unavailable: bool = False
    identity_locked: bool = False  # this turn's failed check locked an order or account
    erasure_requested: bool = False  # this turn recorded a verified erasure request
    warranty_claim: bool = False  # this turn made a warranty claim for a verified order
    requirement_confirmed: bool = False  # this turn confirmed a requirement to answer in the chat
    # the verified order's refund is later than promised (company.policies.Refund.overdue)
    refund_overdue: bool = False
    # said while a free-text form was asking (FREE_TEXT_LOOPS: feedback, a requirement, the
    # reason for a return): the customer's own words as an answer, not a message to the
    # assistant
    form_answer: bool = False
    interview_answer: bool = False  # an answer in the 5W1H interview (INTERVIEW_LOOP)
    # what a reply to the answer before it says that only a person can act on (REPLY_RISKS):
    # a parcel still missing after the delivered answer, a cancellation regretted
    reply_risks: FrozenSet[str] = frozenset()
    # the message is a bare prompt to go on ("and?", "so?"), not a grievance, whatever intent
    # the model reads
    bare_prompt: bool = False
    # the message answers the score question just asked ("2 because the parcel is late"):
    # the score's own follow-up (handoff.ratings) brings a person to a low one
    score_answer: bool = False
    # impatience with the order on schedule just told (impatient_with_the_wait)
    impatient_wait: bool = False
    # the help centre's accessibility article answers the message (ACCESS_ARTICLE)
    access_answered: bool = False
    # what an earlier turn of the conversation said about the customer (CARRIED_REASONS: a
    # need for extra support, a loss, a crisis; an identity check locked): no reason to hand
    # over now on its own, but the ticket of a handoff decided now carries it
    told_before: FrozenSet[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    escalate: bool
    reasons: Tuple[str, ...] = ()
    priority: int = PRIORITY_LOW
    emotional: bool = False  # acknowledge the feeling before anything else

    def to_json(self) -> Dict[str, Any]:
        return {"escalate": self.escalate, "reasons": list(self.reasons),
                "priority": self.priority, "emotional": self.emotional}


STAY_WITH_BOT = Decision(False)


# a bare prompt to go on: "and?", "so?", "and??", "ok so", "well?"
_BARE_PROMPT = re.compile(r"^\W*(?:and|so|ok\s+so|and\s+then|well|then|hm+|um+)\W*$", re.IGNORECASE)


def emotion_reasons(sentiment: float, earlier: Sequence[float]) -> List[str]:
    if sentiment <= VERY_NEGATIVE:
        return [Reason.NEGATIVE_EMOTION]
    if sentiment > NEGATIVE or not earlier:
        return []
    recent = list(earlier)[-3:]
    baseline = sum(recent) / len(recent)
    if baseline - sentiment >= SHARP_DROP or recent[-1] <= NEGATIVE:
        return [Reason.EMOTION_DROP]
    return []


def asks_instead_of_answering(intent: Optional[str], confidence: float, loop: Optional[str] = None) -> bool:
    """Whether an answer in a free-text form asks for a person or complains instead of
    answering: only when the NLU is sure ("me, I'm the ops manager, Sam", who a need is
    for, is request_human at 0.56). In the interview (`loop`: INTERVIEW_LOOP) a complaint is
    the problem told. The forms' validation asks the same."""
    asking = ("request_human",) if loop == INTERVIEW_LOOP else ("request_human", "complaint")
    return intent in asking and confidence >= FORM_ANSWER_REQUEST_CONFIDENCE


# changes to an order the assistant makes at once, which cannot wait for a person: the order
# may ship meanwhile ("i ordered HG-… to the wrong address!! pls change it to …" went to a
# person at 16:28 on a Saturday, the team back on Monday; a customer run)
CHANGES_THAT_CANNOT_WAIT = frozenset({"change_address", "cancel_order"})
# ... and the order's status, which the assistant tells at once, and which nothing is changed
# by, so a reading that is not clear costs nothing: "wtf is my order HG-…" (order_status
# 0.60) went to a person, with the team away until Monday, before the order was even looked up
ANSWERED_AT_ONCE = frozenset({"order_status"})
ANSWERED_AT_ONCE_CONFIDENCE = 0.5
# ... and the frequent questions answered from the company's facts, when the reading is clear:
# "ugh this is so annoying. how much is delivery??" (ask_shipping 0.98) went to a person until
# the next morning, and the same question without "ugh" was answered at once (a customer run).
# Not the contact channels, which an upset customer asks for when they want a person
ANSWERED_WHEN_CLEAR = frozenset({"ask_shipping", "ask_payment_methods", "ask_opening_hours", "ask_plans",
                                 "ask_free_trial", "ask_warranty", "ask_product", "ask_stock",
                                 "ask_return_policy"})
_EMOTION_ONLY = frozenset({Reason.NEGATIVE_EMOTION, Reason.EMOTION_DROP})
# what a score answer may say and still be only a score ("1, useless and slow")
_FEELING_ABOUT_THE_HELP = _EMOTION_ONLY | {Reason.COMPLAINT}


def _changes_now_despite_the_feeling(signals: TurnSignals, found: Sequence[str]) -> bool:
    """Whether an upset customer's clear request for such a change (or their order's status,
    or a frequent question) is made or answered by the assistant, the feeling acknowledged first (acknowledges_feeling), rather
    than handed over for the feeling alone: not when the words are those of someone at the
    end of their strength, nor when anything else calls for a person."""
    if not found or not set(found) <= _EMOTION_ONLY or signals.sentiment <= DISTRESSED or signals.vip:
        return False  # (an upset VIP goes to their account manager)
    if signals.intent in ANSWERED_AT_ONCE:
        return signals.confidence >= ANSWERED_AT_ONCE_CONFIDENCE
    return (signals.intent in CHANGES_THAT_CANNOT_WAIT | ANSWERED_WHEN_CLEAR
            and signals.confidence >= CLEAR_REQUEST_CONFIDENCE)


# a loss or a hard time told in passing beside a question the assistant answers from the
# order itself: "my dad died last month …, anyway where's my order HG-…" and "ive just lost my
# job so money is tight, whens my refund …" went to a person, with the team away until Monday,
# and the answer waited (3 of 4 in a customer run). The answer comes at once, the loss or the
# hardship acknowledged first with a person offered (`feeling_acknowledgement`); a task on
# the order (a return, a cancellation: perhaps someone else's order) still goes to a person.
_HARDSHIPS = frozenset({Reason.BEREAVEMENT, Reason.VULNERABLE})
_ROUTINE_LOOKUPS = frozenset({"order_status", "refund_status"})
_ROUTINE_CONFIDENCE = 0.8
# the help centre's article on using the site and chat with a condition: a question about
# that, asked because of one ("is your website ok with screen readers? my dad is partially
# sighted"), is answered from it with a person offered, not handed over to a team that was
# away until the morning (a customer run)
ACCESS_ARTICLE = "accessibility"


def _routine_beside_a_hardship(signals: TurnSignals, found: Sequence[str]) -> bool:
    routine = ((signals.intent in _ROUTINE_LOOKUPS and signals.confidence >= _ROUTINE_CONFIDENCE)
               or signals.access_answered)
    return (bool(found) and set(found) <= _HARDSHIPS | _EMOTION_ONLY and bool(set(found) & _HARDSHIPS)
            and routine and signals.sentiment > DISTRESSED and not signals.vip)


def decide(signals: TurnSignals) -> Decision:
    """Whether this turn goes to a person, with every reason that applies."""
    # words asking for a person, said as an answer in a free-text form ("our 12 support agents,
    # and the manager approves it"), count only as the intent does (asks_instead_of_answering)
    found: List[str] = [risk for risk in Reason.RISKS if risk in signals.risks
                        and not (risk == PERSON_ASKED and signals.form_answer)]
    if signals.identity_locked:
        found.append(Reason.IDENTITY_LOCK)
    if signals.erasure_requested:
        found.append(Reason.ERASURE_REQUEST)
    if signals.warranty_claim:
        found.append(Reason.WARRANTY_CLAIM)
    if signals.requirement_confirmed:
        found.append(Reason.REQUIREMENT)
    if signals.refund_overdue:
        found.append(Reason.BILLING)
    found += sorted(signals.reply_risks)
    found += emotion_reasons(signals.sentiment, signals.earlier_sentiments)
    asked = signals.intent
    if signals.form_answer and signals.confidence < FORM_ANSWER_REQUEST_CONFIDENCE:
        asked = None  # (see asks_instead_of_answering)
    if signals.interview_answer and asked == "complaint":
        asked = None  # the problem the request solves (asks_instead_of_answering)
    if asked == "complaint" and not (signals.bare_prompt and signals.sentiment > NEGATIVE):
        # "and?" after an answer (a complaint, to the model) got "I'm really sorry, that sounds
        # frustrating" and a person (2 of 2 in a customer run)
        found.append(Reason.COMPLAINT)
    if asked == "request_human" or (
            asked in ASKING_FOR_A_WAY_OUT and signals.sentiment <= NEGATIVE):
        found.append(Reason.REQUESTED)
    if signals.failed_turns >= FAILED_TURNS_FOR_HUMAN:
        found.append(Reason.REPEATED_FALLBACK)
    if signals.repeated_question:
        found.append(Reason.REPEATED_QUESTION)
    if signals.vip and signals.intent not in SIMPLE_LOOKUPS and signals.intent is not None:
        found.append(Reason.VIP)
    if signals.assistant_unavailable:
        found.append(Reason.ASSISTANT_UNAVAILABLE)
    if _changes_now_despite_the_feeling(signals, found) or _routine_beside_a_hardship(signals, found):
        return STAY_WITH_BOT
    if (signals.impatient_wait and set(found) <= _FEELING_ABOUT_THE_HELP | {Reason.REPEATED_QUESTION}
            and signals.sentiment > DISTRESSED):
        # told it is on schedule, with a person offered ("im so annoyed its not here yet" is the
        # status asked again, and went to a person at once)
        return STAY_WITH_BOT
    if signals.score_answer and set(found) <= _FEELING_ABOUT_THE_HELP and signals.sentiment > DISTRESSED:
        # handed over for the feeling, the score was never recorded: a low one opens its
        # follow-up ticket with the customer's words, a good one keeps them as its comment
        return STAY_WITH_BOT
    if not found:
        return STAY_WITH_BOT
    # "I'm partially sighted and finding this hard. Where is my order?" is answered, with a
    # person offered; the "yes please" to that person opened a normal ticket with no word of it
    # (a customer run): what was told before goes with the handoff, and sets its priority
    found += [reason for reason in signals.told_before if reason in CARRIED_REASONS]
    if signals.vip and Reason.VIP not in found:
        found.append(Reason.VIP)  # a VIP who needs a person goes to their account manager
    reasons = tuple(sorted(set(found), key=Reason.ORDER.index))
    priority = min(_PRIORITY.get(reason, PRIORITY_NORMAL) for reason in reasons)
    if signals.vip and priority > PRIORITY_URGENT:
        priority -= 1
    return Decision(True, reasons, priority, bool(Reason.EMOTIONAL & set(reasons)))


# the reasons whose handoff opens with a line of its own, the first that applies wins
# (a legal threat, a charge disputed and evidence offered were handed over with no word for
# them: a customer run)
_OPENINGS = ((Reason.CRISIS, "utter_handoff_crisis"), (Reason.SAFETY, "utter_handoff_safety"), (Reason.FRAUD, "utter_handoff_security"),
             (Reason.BEREAVEMENT, "utter_handoff_condolences"),
             (Reason.VULNERABLE, "utter_handoff_extra_support"),
             (Reason.LEGAL, "utter_handoff_legal"),
             (Reason.MISSING_PARCEL, "utter_handoff_parcel_missing"),
             (Reason.MISSING_ITEMS, "utter_handoff_items_missing"),
             (Reason.CANCELLATION_REGRETTED, "utter_handoff_cancellation_regretted"),
             (Reason.BILLING, "utter_handoff_billing"),
             (Reason.EVIDENCE, "utter_handoff_evidence"))


def handoff_opening(decision: Decision) -> Optional[str]:
    """The response action_handoff says before "a person is taking over", if any: danger
    first, then a security worry, a loss, a parcel or an order the customer is missing, the
    feeling, or that the assistant keeps failing."""
    opening = next((line for reason, line in _OPENINGS if reason in decision.reasons), None)
    if opening is not None:
        return opening
    if decision.emotional:
        return "utter_handoff_empathy"
    if Reason.REPEATED_FALLBACK in decision.reasons:
        return "utter_handoff_not_understood"
    if Reason.VIP in decision.reasons:
        # "ok cancel it please" from a VIP went to a person with no word on whether anything
        # was cancelled, the team away until the next day (a customer run)
        return "utter_handoff_vip"
    return None


def acknowledges_feeling(signals: TurnSignals) -> bool:
    """Whether the assistant first acknowledges that the customer is upset ("where is my
    order, I'm really annoyed"): the service plan puts the feeling before the solution. Not
    when the turn goes to a person whose handoff opens with a line of its own
    (`handoff_opening`); a "no" to the assistant's question or an answer in a free-text form
    is not a feeling to remark on."""
    return feeling_acknowledgement(signals) is not None


ACCESS_NEED_ACKNOWLEDGEMENT = "utter_acknowledge_access_need"
# a loss or a hard time told beside a question answered at once (`_routine_beside_a_hardship`)
_HARDSHIP_ACKNOWLEDGEMENTS = ((Reason.BEREAVEMENT, "utter_acknowledge_loss"),
                              (Reason.VULNERABLE, "utter_acknowledge_hardship"))


def feeling_acknowledgement(signals: TurnSignals) -> Optional[str]:
    """The response that acknowledges the feeling before the answer, if any (see
    `acknowledges_feeling`): a loss or a hard time told in passing has its own."""
    if signals.intent in ANSWERS_TO_THE_ASSISTANT or signals.form_answer:
        return None
    hardship = next((line for reason, line in _HARDSHIP_ACKNOWLEDGEMENTS if reason in signals.risks), None)
    if Reason.BEREAVEMENT not in signals.risks and Reason.VULNERABLE in signals.risks and signals.access_answered:
        # told as the reason for a question about access ("I'm registered blind and use a
        # screen reader. Is your website accessible?"): no "sorry things are hard" (a customer run)
        hardship = ACCESS_NEED_ACKNOWLEDGEMENT
    if hardship is None and signals.sentiment > NEGATIVE:
        return None
    decision = decide(signals)
    if hardship is not None and not decision.escalate:
        return hardship
    if signals.sentiment > NEGATIVE:
        return None
    return "utter_acknowledge_feeling" if not decision.escalate or handoff_opening(decision) is None else None


# --- reading a tracker ---------------------------------------------------------------------
# intents that both say "not this, a person": split between them, a message falls back
_WAY_OUT = ("request_human", "complaint")


def read_intent(parse_data: Mapping[str, Any]) -> Tuple[Optional[str], float]:
    """The intent the decision reads, and its confidence. A fallback split between asking for
    a person and complaining ("this is pointless. just get me someone from sales": complaint
    0.48, request_human 0.41) is the likelier of the two, as sure as both together: it was
    clarified, and inside a 5W1H form filed as the answer."""
    intent = parse_data.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    if name != "nlu_fallback":
        return name, confidence
    ranking = {r.get("name"): float(r.get("confidence") or 0.0)
               for r in parse_data.get("intent_ranking") or [] if r.get("name") != name}
    top = sorted(ranking, key=ranking.__getitem__, reverse=True)[:2]
    if set(top) == set(_WAY_OUT) and sum(ranking[n] for n in top) >= FORM_ANSWER_REQUEST_CONFIDENCE:
        return top[0], sum(ranking[n] for n in top)
    return name, confidence


# risks an answer in the 5W1H interview tells as the problem the request solves, not as the
# customer's own case: "we pay by invoice with 30 day terms" (the requirement reaches the team
# with those terms), "guests keep asking for them", "we're opening a second call centre"
# (read as contacting us again); each was handed over and the interview lost (a customer run)
_THE_PROBLEM_NOT_THE_CASE = frozenset({Reason.BUSINESS, Reason.REPEAT_CONTACT})
# an interview answer about the customer themselves, or to the assistant: its distress counts
_PERSONAL = re.compile(r"\b(?:i|i'?m|im|i'?ve|me|my|myself|you|u|ur|your|this\s+(?:bot|chat))\b", re.IGNORECASE)


def as_interview_answer(text: str, sentiment: float, risks: FrozenSet[str]) -> Tuple[float, FrozenSet[str]]:
    """The feeling and risks of an answer in the 5W1H interview (INTERVIEW_LOOP), which tells
    the problem the request solves: no feeling unless distress of the customer's own ("I can't
    cope anymore"; not "our chairs are killing everyone's backs, lots of complaints"), none of
    the risks above, and no danger in old things being replaced ("the old ones spark … going
    in the skip" got "call 999" and a person, 5 of 7)."""
    sentiment = as_fault_told(text, sentiment)
    risks = risks - _THE_PROBLEM_NOT_THE_CASE
    if SAFETY in risks and speaks_of_replacing(text):
        risks = risks - {SAFETY}
    return sentiment, risks


def as_fault_told(text: str, sentiment: float) -> float:
    """The feeling of words that describe what is wrong (an interview's problem, a return's
    reason: "its faulty, the zip broke after 2 days", -0.62, handed the customer over in the
    middle of the return, then kept them in the queue, 6 of 6 in a customer run): none,
    unless distress of the customer's own."""
    return sentiment if sentiment <= DISTRESSED and _PERSONAL.search(text) else max(sentiment, 0.0)


# the questions that read a change back before it is made
READ_BACK_QUESTIONS = frozenset({"utter_ask_address_confirmed", "utter_ask_contact_confirmed"})


def corrects_the_assistant(last_said: Optional[str], intent: Optional[str]) -> bool:
    """Whether a message corrects what the assistant noted, which is no feeling: a field of the
    5W1H sheet ("the budget is wrong" after "the where is wrong, it's York" read as growing
    frustration and was handed over), or a "no" to a change read back ("thats wrong" to the new
    phone number read back got "that sounds frustrating" and a person, a customer run)."""
    return intent == CORRECTION or (last_said in READ_BACK_QUESTIONS and intent in ("deny", "affirm"))


def _emotion(parse_data: Mapping[str, Any]) -> Tuple[float, FrozenSet[str]]:
    emotion = parse_data.get("emotion") or {}
    return float(emotion.get("score") or 0.0), frozenset(emotion.get("risks") or ())


# words that say nothing of what a question asks about
_QUESTION_WORDS = frozenset({"what", "whats", "when", "where", "which", "does", "there", "their", "about", "with",
                             "that", "this", "have", "from", "your", "they", "them", "will", "would", "could",
                             "should", "just", "please", "thanks", "into", "then", "much", "long", "take", "takes",
                             "know", "tell", "need", "want", "like", "also", "again", "still", "okay", "sorry",
                             "hello", "yeah", "really"})


def _asks_something_new(text: str, before: Sequence[str]) -> bool:
    """Whether `text` has a word of substance (four letters or more) that none of the questions
    `before` had."""
    def words(said: str) -> Set[str]:
        return {word for word in re.findall(r"[a-z]+", said.lower()) if len(word) >= 4} - _QUESTION_WORDS
    asked = set().union(*(words(said) for said in before)) if before else set()
    return bool(words(text) - asked)


@dataclass
class _Turn:
    intent: Optional[str]
    confidence: float
    sentiment: float
    risks: FrozenSet[str]
    failed: bool
    # the bot said something after it (then or later) other than the active form's own
    # questions: "ok cancel it then" while the order form asks for the postcode is not
    # asked again
    answered: bool = False
    form_answer: bool = False  # said while a free-text form was asking
    interview_answer: bool = False  # ... the 5W1H interview (INTERVIEW_LOOP)
    read_reply: bool = False  # said after a response in READ_REPLIES: an answer, not a question
    reply_risks: FrozenSet[str] = frozenset()  # REPLY_RISKS: what it says about the answer before
    # a topic pressed among the clarification's buttons (the one just answered, for a
    # question leaning on it like "how much is it"): not asked again, unlike a typed repeat
    clarified: bool = False
    # the details it named ("plus", "premium", a country): a question naming new ones is a
    # narrower question ("the difference between plus and premium"), not the same again
    details: FrozenSet[Tuple[str, str]] = frozenset()
    text: str = ""  # what the customer typed
    # the help centre has a confident article for it (bot/nlu/help_centre.py), and which
    article: bool = False
    article_slug: Optional[str] = None
    impatient_wait: bool = False  # impatient_with_the_wait


def _details(parse_data: Mapping[str, Any]) -> FrozenSet[Tuple[str, str]]:
    return frozenset((str(item.get("entity")), str(item.get("value")).lower())
                     for item in parse_data.get("entities") or [] if item.get("value"))


def _pressed(event: Mapping[str, Any]) -> bool:
    """A button's payload ("/ask_shipping"), not typed words."""
    return str(event.get("text") or "").startswith("/")


def user_turns(events: Iterable[Mapping[str, Any]], clarify_action: str = "action_clarify") -> List[_Turn]:
    """The customer's turns of the current session, each with what the bot did after it."""
    turns: List[_Turn] = []
    last_action: Optional[str] = None
    loop: Optional[str] = None
    last_said: Optional[str] = None  # the response the assistant's latest message came from
    requested: Optional[str] = None  # the slot the form asks for
    for event in events:
        kind = event.get("event")
        if kind == "session_started":
            turns, last_action, loop, last_said = [], None, None, None
        elif kind == "active_loop":
            loop = event.get("name")
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "action" and event.get("name") != "action_listen":
            last_action = event.get("name")
            if turns and last_action in LOOKUP_ACTIONS | SHEET_CHANGES | WORD_READERS:
                # a lookup answered it: "what about france?" was understood; so was a change to
                # the sheet the model did not read ("How: we'll pay by purchase order", then
                # "Change something" typed, went to a person as two misses: a customer run)
                turns[-1].failed = False
        elif kind == "bot":
            last_said = (event.get("metadata") or {}).get("utter_action")
            if turns and not (loop and last_action == loop) and last_said not in NOT_ANSWERS:
                for turn in reversed(turns):  # a form's task is answered once the form is done
                    if turn.answered:
                        break
                    turn.answered = True
            if turns and last_said in {HELP_ARTICLE_ANSWER, PREVIOUS_TOPIC_OFFER, PLAN_ENDING_ANSWER,
                                       TEAM_TASK_OFFER} | DECLINED_ANSWERS | FAULT_ANSWERS | READ_ANSWERS:
                turns[-1].failed = False  # an article, or the last topic offered; a "no" to it fails
            if turns and last_said in OUT_OF_SCOPE_ANSWERS and turns[-1].intent == OUT_OF_SCOPE:
                # a question about what the shop does not do, declined, was understood: "my bank
                # balance?" then "the cheapest flight to paris?" got "I'm still not getting it"
                # and a person (a customer run)
                turns[-1].failed = False
        elif kind == "user":
            parse_data = event.get("parse_data") or {}
            intent, confidence = read_intent(parse_data)
            if intent in FRESH_STARTS:
                turns = []  # what was felt before the person was called was theirs to answer
                continue
            sentiment, risks = _emotion(parse_data)
            if loop == RETURN_LOOP and requested == RETURN_REASON:
                sentiment = as_fault_told(str(event.get("text") or ""), sentiment)
            if waits_after_all(last_said, str(event.get("text") or "")):
                intent, sentiment = "deny", max(sentiment, 0.0)  # bot/policies/order_waits.py answers it
            if takes_back_the_no(last_said, str(event.get("text") or "")):
                intent, sentiment = "affirm", max(sentiment, 0.0)  # bot/policies/help_answer_replies.py
            if corrects_the_assistant(last_said, intent) and sentiment > (
                    DISTRESSED if intent == CORRECTION else VERY_NEGATIVE):
                # ("no the How line is wrong, it should say: …" read -0.65: its "no" and "wrong")
                sentiment = max(sentiment, 0.0)
            form_answer = loop in FREE_TEXT_LOOPS or last_said == NOTE_QUESTION
            if (loop == INTERVIEW_LOOP or last_said in SHEET_QUESTIONS or last_said == NOTE_QUESTION
                    or describes_a_need(str(event.get("text") or ""), intent, confidence)):
                # (the request that starts the interview tells its problem too: "we need 30
                # kettles for our cafes, the old ones spark" got "call 999" and a person, 4 of 4)
                sentiment, risks = as_interview_answer(str(event.get("text") or ""), sentiment, risks)
            turned_down = (intent == "deny" and last_action == clarify_action
                           and last_said not in OUT_OF_SCOPE_ANSWERS | {TEAM_TASK_OFFER})
            # "hmm" at a yes/no question falls back, understood (handoff/hesitation.py)
            tells_a_detail = bool(loop) and any(item.get("entity") in FORM_DETAILS
                                                for item in parse_data.get("entities") or [])
            failed = not form_answer and not tells_a_detail and not parse_data.get(HESITANT) and (
                intent in FAILED_INTENTS or turned_down)
            turns.append(_Turn(intent, confidence, sentiment, risks, failed,
                               form_answer=form_answer, interview_answer=loop == INTERVIEW_LOOP,
                               read_reply=last_said in READ_REPLIES,
                               reply_risks=(frozenset() if _pressed(event)
                                            else reply_risks(last_said, str(event.get("text") or ""),
                                                             intent)),
                               text=str(event.get("text") or ""),
                               clarified=last_action == clarify_action and _pressed(event),
                               details=_details(parse_data),
                               article=(parse_data.get(HELP_ARTICLE) or {}).get("confident") is True,
                               article_slug=(parse_data.get(HELP_ARTICLE) or {}).get("slug"),
                               impatient_wait=not _pressed(event) and impatient_with_the_wait(
                                   last_said, str(event.get("text") or ""), intent)))
            last_action = None
    return turns


def _said_after_latest_message(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the assistant has said anything since the customer's latest message."""
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot":
            return True
    return False


def signals_from_events(
    events: Iterable[Mapping[str, Any]], slots: Optional[Mapping[str, Any]] = None
) -> Optional[TurnSignals]:
    """The facts about the latest customer turn, or None before the customer said anything."""
    events = list(events)
    turns = user_turns(events)
    if not turns:
        return None
    if turns[-1].failed and follow_up_action(events):
        # "what about france?" after the delivery costs to Germany is answered as that lookup
        # (handoff/follow_ups.py): understood, even right after a miss
        turns[-1].failed = False
    if (turns[-1].failed and turns[-1].intent in FAILED_INTENTS and turns[-1].article
            and not _said_after_latest_message(events)):
        # no topic, but the help centre will answer it ("do you do gift wrapping?" right after
        # a miss went to a person, where the gift-orders article says £3 an item); once the
        # assistant has answered, what it said decides (the same passage again is a "no")
        turns[-1].failed = False
    if (turns[-1].failed and turns[-1].intent in FAILED_INTENTS and asks_if_sold(turns[-1].text)
            and not _said_after_latest_message(events)):
        # asks whether the shop sells some goods, which action_clarify answers when it sells
        # none of them (not sold, and what is) and offers stock among its topics otherwise: "do
        # yuo sell sofas", then "do you sell sofas?" went to a person as a second miss (a
        # customer run)
        turns[-1].failed = False
    latest, earlier = turns[-1], turns[:-1]
    failed = 0
    for turn in reversed(turns):
        if not turn.failed:
            break
        failed += 1
    # asked again: the customer's previous question (answers to the bot's own questions
    # skipped), a few turns back at most, was the same, named nothing new, and got an answer
    previous = next((turn for turn in reversed(earlier[-REPEAT_WINDOW:])
                     if turn.intent not in NOT_QUESTIONS and not turn.form_answer), None)
    repeated = (latest.intent not in NOT_QUESTIONS and not latest.form_answer and not latest.clarified
                and not latest.read_reply and previous is not None and previous.intent == latest.intent
                and previous.answered and latest.details <= previous.details)
    if repeated and not _INSISTS.search(latest.text):
        asked = sum(1 for turn in earlier
                    if turn.intent == latest.intent and turn.answered and not turn.form_answer)
        repeated = asked >= 2
    if repeated and _TAKES_BACK.search(latest.text) and not _ASKS_STILL.search(latest.text):
        repeated = False
    if repeated and latest.intent in ANSWERED_WHEN_CLEAR and not _INSISTS.search(latest.text) and _asks_something_new(
            latest.text, [turn.text for turn in earlier if turn.intent == latest.intent]):
        # a frequent question's next part, not the question again: "what payment methods do you
        # take", "paypal?", "can i pay in instalments" went to a person (a customer run)
        repeated = False
    # "that's not what I asked", "you didn't answer me", read as any intent (a "no", a
    # greeting): the answer just given missed, as when the question is asked again
    turned_down = latest.intent == "deny" and latest.failed  # "none of these" to the buttons
    if (not repeated and not latest.form_answer and not turned_down and earlier
            and earlier[-1].answered and _ANSWER_MISSED.search(latest.text)):
        repeated = True
    # the customer proved who they are (the customer_vip slot): never the message's metadata,
    # which the client sends and anyone can set
    vip = bool((slots or {}).get("customer_vip"))
    told_before = frozenset(risk for turn in earlier for risk in turn.risks) & CARRIED_REASONS
    if (slots or {}).get(PROOF_SLOT) == PROOF_LOCKED:
        told_before |= {Reason.IDENTITY_LOCK}
    return TurnSignals(
        intent=latest.intent,
        confidence=latest.confidence,
        sentiment=latest.sentiment,
        earlier_sentiments=tuple(turn.sentiment for turn in earlier),
        risks=latest.risks,
        failed_turns=failed,
        repeated_question=repeated,
        vip=vip,
        form_answer=latest.form_answer,
        interview_answer=latest.interview_answer,
        reply_risks=latest.reply_risks,
        bare_prompt=_BARE_PROMPT.match(latest.text) is not None,
        impatient_wait=latest.impatient_wait,
        access_answered=latest.article and latest.article_slug == ACCESS_ARTICLE,
        told_before=told_before,
    )


# the forms that prove who the customer is before a task, and the slot that holds the task
# (its values mapped from the intents that ask for it, in the domain)
TASK_FORMS = {"order_form": "order_task"}
VIP_SLOT = "customer_vip"


def _vip_value(events: Sequence[Mapping[str, Any]]) -> Any:
    """The last value `events` set the VIP slot to (None when they did not set it)."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == VIP_SLOT:
            return event.get("value")
    return None


def proved_vip_this_turn(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the proof given since the customer's latest message showed a VIP who was not
    known as one before it: the decision made at that message did not know."""
    events = list(events)
    latest = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=None)
    if latest is None:
        return False
    return _vip_value(events[latest + 1:]) is True and _vip_value(events[:latest]) is not True


def task_intent(task: Optional[str], mappings: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The intent that asks for `task`, a value of a task slot, by the slot's own mappings."""
    for mapping in mappings:
        if mapping.get("type") == "from_intent" and mapping.get("value") == task:
            return mapping.get("intent")
    return None


def turn_decision(events: Sequence[Mapping[str, Any]], slots: Optional[Mapping[str, Any]] = None,
                  task: Optional[str] = None, score_answer: bool = False) -> Optional[Decision]:
    """The decision for the customer's latest turn, None before they said anything.

    `task` is the intent of the task a form was proving the customer for. When the proof
    given in this turn shows a VIP, the task is decided again as asked by that VIP: a VIP's
    address change or cancellation asked before the proof goes to their account manager as
    it does when asked after it (the assistant had made it). `score_answer`: the message
    answers the score question just asked (TurnSignals.score_answer)."""
    signals = signals_from_events(events, slots)
    if signals is None:
        return None
    decision = decide(replace(signals, score_answer=score_answer))
    if decision.escalate or task is None or not proved_vip_this_turn(events):
        return decision
    return decide(replace(signals, intent=task, confidence=1.0, form_answer=False,
                          bare_prompt=False, vip=True))
