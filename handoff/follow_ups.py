"""A short message that goes on with the last lookup, with a new detail: "what about
france?" after the delivery costs to Germany, "and spain", "how about the premium plan".

Alone such a message reads as out of scope or a bare detail: "and spain" got "Sorry, I
didn't quite get that", "what about france?" a button to press. A person would simply answer
it, and so does the assistant (bot/policies/follow_ups.py), but only for lookups that change
nothing, only when the message opens like a continuation or is the detail alone, and only
when its own reading is no topic (a topic understood goes its own way). The escalation
decision counts such a turn as understood.

A delivery question that names only its place ("how long to portugal", "how long to
manchester") is answered by the delivery lookup the same way, with no lookup before it: to the
model it is out of scope, and it got "not something I can help with".
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from company.delivery_areas import PLACE_NAMED, names_a_place
from company.delivery_days import asks_about_delivery_days, asks_about_next_day
from ground.calendar_days import day_spans

# "and …", "what about …", "how about …"; actions/leaning_questions.py reads these too
CONTINUING = re.compile(r"^\W*(?:(?:ok|okay|right|so|cool)\W+)?(?:and|also|what\s+about|how\s+about)\b",
                        re.IGNORECASE)
MAX_WORDS = 10
TURNS_BACK = 3  # customer turns back, the latest not counted
# the topics answered this way: the lookup that answers each, and the detail it takes
LOOKUPS: Dict[str, Tuple[str, str]] = {
    "ask_shipping": ("action_shipping_info", "country"),
    "ask_plans": ("action_list_plans", "plan"),
    # "and HG-100002?" after an order's status got "What would you like to do with order
    # HG-100002?" (3 of 3 in a customer run): its status, proved in its turn
    "order_status": ("action_other_order_status", "order_number"),
    # "And for the other order as well please, HG-100001?" after an invoice got that order's
    # status (a customer run): its invoice
    "request_invoice": ("action_other_order_invoice", "order_number"),
    # "Aurora Kettle" to "Which product do you mean?" got "Sorry, I didn't quite get that"
    # (a customer run), and so would "and the toaster?" after a price
    "ask_product": ("action_product_info", "product"),
    # "and on the atlas chair?" after the Cove speaker's warranty asked for an order number
    # (a customer run): that product's warranty
    "ask_warranty": ("action_warranty_info", "product"),
    # "and tomorrow?" after the opening hours fell back (a customer run): that day's hours
    "ask_opening_hours": ("action_opening_hours", "day"),
}
# "what about the other one?", "and my other order?" after an order's status (read as
# switching accounts, 4 of 4, or a gift-cards article): which order, then its status
ORDER_LOOKUPS = frozenset({"order_status", "request_invoice"})
_ANOTHER_ORDER = re.compile(r"\b(?:other|another|second|2nd)\s+(?:one|order|parcel|package)s?\b", re.IGNORECASE)


def about_another_order(text: str) -> bool:
    """Whether the words name another order than the one just talked about, without its
    number ("the other one", "my other order")."""
    return _ANOTHER_ORDER.search(text) is not None


# how sure the model must be of a topic for such words to be that topic instead
_SURE_OF_A_TOPIC = 0.9
# the readings such words get that ask nothing of an order ("cancel the other order please"
# is a cancellation, and goes its own way)
# ("cool. and the other order? the lamps" was a need to describe, 0.51, and the 5W1H
# interview started: a customer run)
_MISREAD_OTHER_ORDER = frozenset({"switch_account", "order_status", "describe_need", "ask_product"})
# the order just answered about was not the one meant, its number told with it ("thats the
# speaker again. the lamps are HG-100001" got "didn't quite get that": a customer run)
_WRONG_ORDER = re.compile(
    r"\b(?:that'?s|thats|that\s+is|this\s+is|it'?s|its|you\s+gave\s+me)\s+(?:the\s+|my\s+)?"
    r"(?:wrong|not\s+(?:it|the\s+right|the\s+one|that\s+one)|other|\w+\s+again)\b"
    r"|\bi\s+meant\b|\bnot\s+that\s+one\b|\bwrong\s+(?:one|order)\b", re.IGNORECASE)
# words that are a delivery question's detail as much as a country: "what about next day?"
# after the delivery to Germany got a clarification (a customer run)
# ... and a city or region ("and new york?", "and to dublin?", "and inverness?" after a delivery
# answer were not understood: a customer run)
_DELIVERY_DETAIL = re.compile(r"\bnext[\s-]*day\b|\bexpress\b|\b(?:on\s+|at\s+)?(?:saturdays?|sundays?|weekends?"
                              r"|bank\s+holidays?)\b|" + PLACE_NAMED.pattern, re.IGNORECASE)
# the days the week's hours answer as a whole, beside the days the hours action names
# (ground/calendar_days.py)
_HOURS_IN_GENERAL = re.compile(r"\b(?:weekends?|bank\s+holidays?)\b", re.IGNORECASE)


def _spans(pattern: re.Pattern) -> Callable[[str], List[Tuple[int, int]]]:
    return lambda text: [found.span() for found in pattern.finditer(text)]


_WORD_DETAILS: Dict[str, Callable[[str], List[Tuple[int, int]]]] = {
    "ask_shipping": _spans(_DELIVERY_DETAIL),
    "ask_opening_hours": lambda text: day_spans(text) + _spans(_HOURS_IN_GENERAL)(text),
}
# "is it free for me" right after the returns policy, which the model reads as the membership's
# free trial (a customer run, from Spain): the returns policy again, for the country told
RETURN_POLICY_ANSWER = "action_return_policy"
_RETURN_POLICY = "ask_return_policy"
LOOKUP_ACTIONS = frozenset(action for action, _ in LOOKUPS.values()) | {RETURN_POLICY_ANSWER}
DELIVERY_LOOKUP = LOOKUPS["ask_shipping"][0]
# readings of the latest message that are no topic of their own
_NO_TOPIC = frozenset({"nlu_fallback", "out_of_scope", "inform", "goodbye", "thanks", "affirm", "deny",
                       "greet"})
# what may stand beside the detail: "france?", "ok, spain then", "ireland as well", "what about
# delivery to france", "how about the premium one"
_FILLER = frozenset({"ok", "okay", "then", "please", "pls", "too", "instead", "now", "as", "well", "the",
                     "one", "ones", "plan", "to", "for", "in", "delivery", "shipping", "cost", "costs",
                     "price", "there", "if", "i", "order", "from", "it", "is", "much", "how", "would", "be",
                     # two details at once ("what about ireland and the usa?" fell to a
                     # clarification that offered the USA alone: a customer run)
                     "and", "or", "both",
                     # the same for another order ("and for the other order as well please")
                     "other", "another", "same", "that", "too",
                     # ("what about on sunday?")
                     "on",
                     # the detail told as if plain ("the cove and the orbit obviously" to "Which
                     # product do you mean?" got "didn't quite get that": a customer run)
                     "obviously", "ofc", "course", "of", "duh", "lol", "sorry", "yes", "yeah", "just"})


# a delivery question that names its place and nothing else of its own: "how long to portugal"
# was out of scope (0.97) and got "not something I can help with", "how long to manchester"
# the same (a customer run)
_DELIVERY_TO_A_PLACE = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|hi|hey|hello|also)\W+)*"
    r"(?:how\s+(?:long|much|many\s+days|quick(?:ly)?|soon|fast)"
    r"|what(?:'s|s|\s+is|\s+are)?\s+(?:the\s+)?(?:cost|price|charge|postage|shipping|delivery)s?"
    r"(?:\s+(?:cost|price|charge|time)s?)?)"
    r"(?:\s+(?:does|would|will|is|it|take|takes|cost|costs|be|for|delivery|shipping|postage|ship|send|post|deliver"
    r"|to\s+(?:ship|send|post|deliver|get)|my|an?|the|order|parcel|package|items?))*?"
    r"\s+to\s+(?P<place>(?!to\b)[^\W\d_][\w.'-]*(?:\s+(?!to\b)[\w.'-]+){0,3})\W*$", re.IGNORECASE)


# whether the shop serves the country the message names: "she lives in germany is that ok"
# after the gift-orders article was an order lookup (TED, 0.36), "can i order from the states?
# im in new york" a clarification (a customer run)
_WHETHER_SERVED = re.compile(
    r"\bis\s+(?:that|this|it)\s+(?:still\s+)?(?:ok|okay|alright|all\s+right|fine|a\s+problem|an\s+issue|possible)\b"
    r"|\b(?:can|could|do|will|would)\s+(?:you|u|ya)\s+(?:still\s+)?(?:deliver|ship|send|post)\b"
    r"|\b(?:can|could)\s+(?:i|we|she|he|they)\s+(?:still\s+)?(?:order|buy|shop)\b"
    r"|\b(?:does|will|would)\s+(?:that|it)\s+(?:still\s+)?work\b", re.IGNORECASE)
_MAX_WHETHER_WORDS = 15


def asks_whether_a_country_is_served(text: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the words ask if the shop can serve a country they name, and ask nothing else:
    the country found by the NLU (`entities`), no other detail such as an order number."""
    kinds = {entity.get("entity") for entity in entities}
    return (kinds == {"country"} and len(text.split()) <= _MAX_WHETHER_WORDS
            and _WHETHER_SERVED.search(text) is not None and _ANOTHER_MATTER.search(text) is None)


def asks_delivery_to_a_place(text: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the words ask how long or how much a delivery to a place takes, the place named
    and nothing else: a country the NLU found (`entities`) or a place the shop's delivery
    areas name (company/delivery_areas.py). Not "how long to boil an egg"."""
    found = _DELIVERY_TO_A_PLACE.match(text or "")
    if found is None:
        return False
    place = found["place"].strip(" .'").lower()
    countries = {str(text[e["start"]:e["end"]]).lower() for e in entities
                 if e.get("entity") == "country" and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)}
    return re.sub(r"^the\s+", "", place) in {re.sub(r"^the\s+", "", c) for c in countries} or names_a_place(place)


# a delivery day asked after a delivery answer, which the model reads as opening hours ("can it
# come on a saturday", "wat about weekends like saturday" got the team's hours: a customer run);
# not when it names the shop's team or its hours ("are you open on saturday")
_ABOUT_THE_TEAM = re.compile(r"\b(?:open|opening|hours|close|closes|closed|shut|phone|call|ring|support|team|chat|staff"
                             r"|agent|someone|anyone|person|office)\b", re.IGNORECASE)
_ARRIVING = re.compile(r"^\W*(?:(?:ok|okay|right|so|cool)\W+)?(?:and|also|wh?at\s+about|how\s+about)\b"
                       r"|\b(?:come|comes|arrive|arrives|deliver\w*|turn\s+up|get\s+(?:it|them|my\s+\w+))\b",
                       re.IGNORECASE)
_HOURS = "ask_opening_hours"
# free delivery over a spend, asked after a delivery answer, which the model reads as the
# membership's free trial ("is it free if i spend over 50" after the delivery to Glasgow got the
# Harbor Club's 7-day trial: a customer run); not when it names the membership
_FREE_OVER_A_SPEND = re.compile(r"\bfree\b.*\b(?:over|above|spend|spending|more\s+than)\b|\b(?:over|above)\b.*\bfree\b",
                                re.IGNORECASE)
_FREE = re.compile(r"\bfree\b|\b(?:do|will|would)\s+i\s+(?:have\s+to\s+|need\s+to\s+)?pay\b", re.IGNORECASE)
_ABOUT_THE_CLUB = re.compile(r"\b(?:club|member\w*|trial|plan|plans|subscri\w*|premium|plus)\b", re.IGNORECASE)
_READ_AS_THE_CLUB = frozenset({"ask_free_trial", "ask_plans"})
# how long a delivery takes, asked after a delivery answer without its place, which the model
# does not understand alone ("and how long does it take" got the refunds article, its closest
# passage: a customer run); not another thing's time ("how long does a refund take")
_HOW_LONG = re.compile(r"\bhow\s+(?:long|quick(?:ly)?|fast|soon|many\s+(?:working\s+)?days)\b", re.IGNORECASE)
_ANOTHER_THING_TAKES = re.compile(
    r"\b(?:refund\w*|money|return\w*|repair\w*|replace\w*|claim\w*|repl(?:y|ies)|answer\w*|respon\w*|e-?mails?"
    r"|account|verif\w*|code|password|invoice\w*|ticket|case|person|human|agent)\b", re.IGNORECASE)
_NOT_UNDERSTOOD = frozenset({"nlu_fallback", "out_of_scope"})
_PRICE_ASKED = re.compile(r"\bhow\s+much\b|\bcosts?\b|\bprice\b|\bcharges?\b", re.IGNORECASE)
# what makes a country's question another one than a delivery's ("i'm in germany, is it ok to
# return it?"): another thing's time, or paying and whether a product suits the country
_ANOTHER_MATTER = re.compile(_ANOTHER_THING_TAKES.pattern + r"|\b(?:pay\w*|card|cancel\w*|warrant\w*|plug\w*|voltage"
                             r"|language)\b", re.IGNORECASE)


def _free_asked_of_the_last_answer(read: Mapping[str, Any], text: str) -> bool:
    """Whether a message the model reads as the membership asks only whether the thing just
    answered is free ("is it free for me"), naming no membership or spend."""
    return (read.get("name") in _READ_AS_THE_CLUB and _FREE.search(text) is not None
            and _ABOUT_THE_CLUB.search(text) is None and _FREE_OVER_A_SPEND.search(text) is None)


def _delivery_price_misread(read: Mapping[str, Any], text: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """Whether a price asked with no product named, read as a product's, asks what the delivery
    just answered costs ("how much is it" after "Do you deliver to Germany?" got "is it about
    delivery, as before?": a customer run)."""
    return (read.get("name") == "ask_product" and _PRICE_ASKED.search(text) is not None
            and not any(entity.get("entity") == "product" for entity in entities))


_PAYMENT_METHODS = "ask_payment_methods"
_A_CARD = re.compile(r"\bamerican\s+express\b|\bamex\b|\bcards?\b", re.IGNORECASE)


def _delivery_question_misread(read: Mapping[str, Any], text: str) -> bool:
    """Whether a message the model reads as another topic asks, after a delivery answer, a
    delivery's question: the days a delivery comes (read as opening hours), free delivery over
    a spend (read as the membership), how long it takes (not understood alone)."""
    if read.get("name") in _NOT_UNDERSTOOD:
        return (_HOW_LONG.search(text) is not None and _ANOTHER_THING_TAKES.search(text) is None
                and _ABOUT_THE_TEAM.search(text) is None)
    if read.get("name") in _READ_AS_THE_CLUB:
        return _FREE_OVER_A_SPEND.search(text) is not None and _ABOUT_THE_CLUB.search(text) is None
    if read.get("name") == _PAYMENT_METHODS:
        # "can i pay extra for express?" after the delivery to Spain got the ways to pay (a
        # customer run): express delivery, not the card
        return asks_about_next_day(text) and _A_CARD.search(text) is None
    return (read.get("name") == _HOURS and asks_about_delivery_days(text) and _ARRIVING.search(text) is not None
            and _ABOUT_THE_TEAM.search(text) is None)


def follow_up_action(events: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The lookup action that answers the latest customer message as a continuation of the
    last lookup, or as a delivery question that names only its place (`asks_delivery_to_a_place`),
    or None. `events` are the conversation's, as dicts, oldest first."""
    history = _session_messages_newest_first(events)
    latest = history[0] if history else None
    if latest is None:
        return None
    parse = latest.get("parse_data") or {}
    text = str(latest.get("text") or "")
    read = parse.get("intent") or {}
    if read.get("name") in _NO_TOPIC and (asks_delivery_to_a_place(text, parse.get("entities") or [])
                                          or asks_whether_a_country_is_served(text, parse.get("entities") or [])):
        return DELIVERY_LOOKUP
    if read.get("name") == _HOURS and asks_about_next_day(text) and _ABOUT_THE_TEAM.search(text) is None:
        # next-day delivery is a delivery's, whatever came before: "whats the next day cut off
        # time" got the support team's hours (a customer run)
        return DELIVERY_LOOKUP
    if _free_asked_of_the_last_answer(read, text):
        # ("is that free?" after the delivery to Ireland got the membership's trial: a customer run)
        return {_RETURN_POLICY: RETURN_POLICY_ANSWER, "ask_shipping": DELIVERY_LOOKUP}.get(
            _last_topic(history[1:]) or "")
    another = about_another_order(text)
    misread = _delivery_question_misread(read, text) or _delivery_price_misread(read, text, parse.get("entities") or [])
    if len(text.split()) > MAX_WORDS or (
            read.get("name") not in _NO_TOPIC and not misread
            and not (another and read.get("name") in _MISREAD_OTHER_ORDER
                     and float(read.get("confidence") or 0.0) < _SURE_OF_A_TOPIC)):
        return None
    earlier = history[1:1 + TURNS_BACK]
    for index, event in enumerate(earlier):
        parse_before = event.get("parse_data") or {}
        intent = (parse_before.get("intent") or {}).get("name")
        if intent in _NO_TOPIC or _delivery_question_misread(parse_before.get("intent") or {}, str(event.get("text") or "")):
            continue  # (a delivery day asked before is part of the delivery question)
        if _delivery_price_misread(parse_before.get("intent") or {}, str(event.get("text") or ""),
                                   parse_before.get("entities") or []) and _last_topic(earlier[index + 1:]) == "ask_shipping":
            continue  # ("how much is it" after "Do you deliver to Germany?", then "and express?")
        if misread:
            return DELIVERY_LOOKUP if intent == "ask_shipping" else None
        if intent not in LOOKUPS:
            return None  # the customer moved on to something else
        action, detail = LOOKUPS[intent]
        told = [entity for entity in parse.get("entities") or [] if entity.get("entity") == detail]
        if not told and intent in _WORD_DETAILS:
            told = [{"start": start, "end": end} for start, end in _WORD_DETAILS[intent](text)]
        if not told:
            return action if another and intent in ORDER_LOOKUPS else None
        if intent in ORDER_LOOKUPS and (_WRONG_ORDER.search(text) or another):
            # ("and the other one i ordered? HG-100001" after a status got "What would you like
            # to do with order HG-100001?": a customer run)
            return action
        return action if _continues(text, told) else None
    return None


def _last_topic(messages: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The intent of the newest of `messages` (newest first, the latest not among them) that
    is a topic, within `TURNS_BACK`."""
    for _, event in zip(range(TURNS_BACK), messages):
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in _NO_TOPIC:
            return intent
    return None


def _session_messages_newest_first(events: Sequence[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    messages: List[Mapping[str, Any]] = []
    for event in reversed(events):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user":
            messages.append(event)
    return messages


def _continues(text: str, details: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the words are the detail and filler alone, after an opening like a
    continuation if any: not "and france, my friend wants a refund there"."""
    rest = text
    for detail in details:
        start, end = detail.get("start"), detail.get("end")
        if isinstance(start, int) and isinstance(end, int):
            rest = rest[:start] + " " * (end - start) + rest[end:]
    rest = CONTINUING.sub(" ", rest, count=1)
    return set(re.findall(r"[a-z']+", rest.lower())) <= _FILLER
