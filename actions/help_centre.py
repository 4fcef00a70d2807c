"""Answers from the help centre, for the turns no intent fits (called by `action_clarify`),
and the "did that help?" loop.

The NLU puts the best passage of the help articles in the parse data (`help_article`,
bot/nlu/help_centre.py), with `confident` when its score clears the calibrated threshold.
Only then is it an answer: the passage, the article's title and its link on the gateway,
then "Did that answer your question?" with Yes/No buttons (`/affirm`, `/deny`).
"Yes" → `action_help_article_helped`; "No" → `action_clarify` again, which offers the
topics the question most likely meant (or, with none likely, a person); so does a reply
that the same passage would answer again ("that didn't help, the chair still sinks"). The escalation decision counts that "no" as a failed
turn and the question an article answered as not failed (handoff/escalation.py), so a
second failure in a row goes to a person. The trainer's inbox reads the same events to list
unanswered and unhelpful questions (trainer/inbox.py).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.confirmation_replies import asks_a_question
from actions.leaning_questions import refers_back, short_enough_to_lean
from actions.product_passages import passage_beside_for_the_product_named, passage_for_the_product_asked
from actions.tracker_reading import between_last_two_messages, response_before_latest_message, said_before_latest_message
from actions.topics import NOT_TOPIC_INTENTS, best_topic_confidence
from company.help_articles import (HELP_ARTICLE, MORE_HELP_ARTICLES, OTHER_ARTICLES_KEY, Article, Passage, article_link,
                                   find_article, is_slug, passage_headed, words)
from actions.topic_requests import topic_events
from handoff.escalation import NOT_HELPED_OFFER_OF_A_PERSON, PREVIOUS_TOPIC_OFFER, TEAM_TASK_OFFER

ANSWER_RESPONSE = "utter_help_article"
ASK_HELPED_RESPONSE = "utter_ask_help_article_helped"
# a question the passage a "no" turned down would answer again: not given again, but the
# topics it likely meant, or (none likely) a person
SEEN_TOPICS = "utter_help_article_seen"
SEEN_OFFER_OF_A_PERSON = "utter_help_article_seen_rephrase"
# after a "no" to an article, when nothing else is likely: "shall I pass you to a person, or
# could you tell me in a few words what you need?"
HANDOFF_ACTION = "action_handoff"
# how close a leaning question's passage in the article just shown must be (the answer bar
# for a question on its own is the NLU's calibrated threshold, config.yml's 0.32)
LEANING_FLOOR = 0.2
# ... and how far under another article's best passage it may be, for a question that points
# back ("how do I claim that") and for one that does not ("can i use two on one order")
LEANING_POINTED_MARGIN = 0.1
LEANING_MARGIN = 0.05
# a match under STRONG_ARTICLE gives way to a topic the classifier gives TOPIC_OVER_ARTICLE
STRONG_ARTICLE = 0.4
TOPIC_OVER_ARTICLE = 0.5
# topics one question is as likely to be either of, and how sure the two together must be
ONE_SUBJECT = (frozenset({"start_return", "ask_return_policy"}),)
SURE_OF_THE_SUBJECT = 0.9
# ... unless the passage is this close ("how do I print the return label": 0.72; the receipt's
# passage for "how do i return something" 0.46)
SURE_ARTICLE = 0.6
_ONE_WORD = re.compile(r"^\W*[\w'-]+\W*$")


def confident_article(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The help-centre match of a message, when it is good enough to answer with: confident,
    and not a weak match beside a topic the classifier finds likelier ("I want to change my
    order, add another kettle": the kettle-care article at 0.31, the changes an order allows
    at 0.63, under that topic's own bar), whose button the clarification offers instead."""
    found = parse_data.get(HELP_ARTICLE)
    if not isinstance(found, dict) or found.get("confident") is not True:
        return None
    ranking = parse_data.get("intent_ranking") or []
    likely_topic = best_topic_confidence(ranking) >= TOPIC_OVER_ARTICLE
    if likely_topic and (float(found.get("score") or 0.0) < STRONG_ARTICLE
                         or _ONE_WORD.match(str(parse_data.get("text") or ""))
                         or (float(found.get("score") or 0.0) < SURE_ARTICLE and _sure_of_the_subject(ranking))):
        # (a word alone asks no question a passage answers: "return" got how the returns
        # label works, a customer run; the buttons ask which return question it is)
        return None
    if not found.get("passage") or current_passage(found) is None:
        return None
    return found


def _sure_of_the_subject(ranking: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the two likeliest topics are the same subject's and together near certain: "how
    do i return something" (start_return 0.69, ask_return_policy 0.31) got the returns
    article's passage on keeping the Post Office's receipt (a customer run), where the
    buttons ask which of the two it is."""
    topics = sorted(((str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking
                     if r.get("name") and r["name"] not in NOT_TOPIC_INTENTS), key=lambda each: -each[1])[:2]
    return (len(topics) == 2 and any({topics[0][0], topics[1][0]} <= group for group in ONE_SUBJECT)
            and topics[0][1] + topics[1][1] >= SURE_OF_THE_SUBJECT)


def current_passage(found: Dict[str, Any]) -> Optional[Tuple[Article, Passage]]:
    """The article and section a match names, as they are now: the match comes from the
    trained model, which may be older than the articles (one renamed or removed since would
    be quoted as it was, and linked to a page that is gone)."""
    article = find_article(str(found.get("slug") or ""))
    if article is None:
        return None
    passage = next((p for p in article.passages if p.heading == found.get("section")), None)
    return (article, passage) if passage is not None else None


def answer_from_help_centre(dispatcher: CollectingDispatcher, tracker: Tracker,
                            about: Optional[str] = None) -> bool:
    """Answers the latest message with its help-centre passage, if it has a confident one.
    `about`: a word the caller knows the question is about (its topic's answer is not it), so
    a passage that says it answers even beside a likelier topic or under the bar (not under
    LEANING_FLOOR), and one that does not never."""
    latest = tracker.latest_message or {}
    found = latest.get(HELP_ARTICLE) if about else confident_article(latest)
    if not isinstance(found, dict) or not (found.get("confident") is True or (
            about and float(found.get("score") or 0.0) >= LEANING_FLOOR)):
        # (a passage that speaks of the detail asked is its answer under the bar too: "can you
        # change the light colour on it, like warmer?" about the lamp got "I don't have that
        # detail", where its passage says how: a customer run)
        return False
    shown = current_passage(found)
    if shown is None or (about and about.lower() not in f"{shown[1].heading} {shown[1].text}".lower()):
        return False
    shown = passage_for_the_product_asked(tracker, shown)
    if shown is None:
        return False
    more = [] if about else [current_passage(match) for match in latest.get(MORE_HELP_ARTICLES) or []
                             if isinstance(match, dict)]
    beside = [passage_beside_for_the_product_named(tracker, m) for m in more if m is not None]
    answered = [shown]
    for passage in beside:
        if passage is not None and passage[1] not in [each[1] for each in answered]:
            answered.append(passage)
    _answer(dispatcher, tracker, answered)
    return True


def form_asks_next(tracker: Tracker) -> bool:
    """Whether a form is asking its question, which it asks again after an answer given
    beside it: "Did that answer your question?" before it made two questions with a "No"
    button each, and a "no" meant for the passage ("can a courier collect it from my house?"
    in a return) declined the return (a customer run)."""
    return bool(tracker.active_loop_name)


def answer_with_passage_headed(dispatcher: CollectingDispatcher, words: Sequence[str],
                               tracker: Tracker, ask_helped: bool = True) -> bool:
    """Answers with the help centre's section whose heading has `words`, if there is one: for
    a question whose topic the assistant knows ("do you price match?": the price-matching
    section, where the search found the kettle's descaling). True: answered. No "did that
    help?" while a form is asking (`form_asks_next`), nor when the caller asks its own
    question again after the passage (`ask_helped` False)."""
    found = passage_headed(words)
    if found is None:
        return False
    if ask_helped:
        _answer(dispatcher, tracker, [found])
    else:
        quote_passage(dispatcher, *found)
    return True


def turned_down_in_own_words(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The question an article answered, when the latest message, said right after "did
    that answer your question?", would be answered with the very passage that did not:
    "that didn't help, the chair still sinks" finds the office-chair article again. Said
    again, it would help no more; the customer is telling us it did not. None otherwise."""
    question = answered_question(tracker)
    if question is None or _section(question) is None:
        return None
    text = str((tracker.latest_message or {}).get("text") or "")
    if asks_a_question(text) and _TURNS_DOWN.search(text) is None:
        # a question of its own that the passage answers, not a "no": "can i add a message to
        # the gift" after the gift article got "Sorry that didn't answer it" (a customer run)
        return None
    return question if _section(tracker.latest_message or {}) == _section(question) else None


# what says the passage did not help ("that didnt help, it still sinks")
_TURNS_DOWN = re.compile(r"\b(?:no|nope|nah|not|\w+n'?t|didnt|doesnt|dont|wont|cant|still|wrong|useless|pointless"
                         r"|rubbish|again|already)\b", re.IGNORECASE)


def turned_down_before(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The latest message's parse data, when the passage it would be answered with is one the
    customer said did not help earlier in this session: "how much is a replacement filter",
    "no" to the filter passage, then "i want to buy a replacement filter" got the same
    passage a third time, and "did that answer your question?" again (a customer run).
    None otherwise."""
    latest = tracker.latest_message or {}
    found = confident_article(latest)
    if found is None:
        return None
    return latest if _section(latest) in passages_turned_down(tracker.events) else None


def passages_turned_down(events: List[Dict[str, Any]]) -> Set[Tuple[str, str]]:
    """The passages (slug, section) the customer said did not help in the current session,
    before the latest message: those shown before "did that answer your question?" and
    answered "no", or answered with words the same passage would answer again."""
    latest = _latest_user_index(events)
    session: List[Dict[str, Any]] = []
    for event in reversed(events[:latest] if latest is not None else []):
        if event.get("event") == "session_started":
            break
        session.append(event)
    turned: Set[Tuple[str, str]] = set()
    shown: List[Tuple[str, str]] = []
    asked: List[Tuple[str, str]] = []  # the passages "did that answer your question?" is about
    for event in reversed(session):
        if event.get("event") == "bot":
            metadata = event.get("metadata") or {}
            if metadata.get("utter_action") == ANSWER_RESPONSE:
                shown.append((str(metadata.get("help_slug") or ""), str(metadata.get("help_section") or "")))
            elif metadata.get("utter_action") == ASK_HELPED_RESPONSE:
                asked, shown = shown, []
        elif event.get("event") == "user":
            parse_data = event.get("parse_data") or {}
            if (parse_data.get("intent") or {}).get("name") == "deny" or _section(parse_data) in asked:
                turned.update(asked)
            asked, shown = [], []
    return turned


def _section(parse_data: Dict[str, Any]) -> Optional[Tuple[str, str]]:
    found = parse_data.get(HELP_ARTICLE)
    if not isinstance(found, dict) or not found.get("slug"):
        return None
    return str(found.get("slug")), str(found.get("section") or "")


def answer_from_the_article_just_shown(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """A short question leaning on the article that answered the last one: its best passage
    there, even under the confidence bar (not under LEANING_FLOOR): "how long are they valid"
    after the gift-cards article, pointing back, and the search finding that same article.
    When the search finds another article, the one just shown still answers if it comes close:
    "can i use two on one order" after the gift cards got the packaging article, "how do I
    claim that" after the price drops got the warranty claims (customer runs). Read before the
    help centre's own answer (`answer_from_help_centre`), which gives the rest."""
    latest = tracker.latest_message or {}
    found = latest.get(HELP_ARTICLE)
    text = str(latest.get("text") or "")
    if not isinstance(found, dict) or not short_enough_to_lean(text):
        return False
    slug = _article_just_shown(tracker)
    if slug is None:
        return False
    near = found if found.get("slug") == slug else next(
        (other for other in found.get(OTHER_ARTICLES_KEY) or [] if isinstance(other, dict) and other.get("slug") == slug),
        None)
    if near is None or float(near.get("score") or 0.0) < LEANING_FLOOR:
        return False
    shown = current_passage(near)
    if shown is None:
        return False
    behind = float(found.get("score") or 0.0) - float(near.get("score") or 0.0)
    pointed = refers_back(text)
    if near is found:
        leans = pointed
    elif pointed:
        # ("claim" is in the price drop's passage: how it is claimed)
        leans = behind <= LEANING_POINTED_MARGIN or _words_all_in(text, shown[1])
    else:
        leans = behind <= LEANING_MARGIN
    if not leans:
        return False
    _answer(dispatcher, tracker, [shown])
    return True


def _words_all_in(text: str, passage: Passage) -> bool:
    """Whether every word of substance of a question is in the passage."""
    asked = set(words(text))
    return bool(asked) and asked <= set(words(f"{passage.heading} {passage.text}"))


def _article_just_shown(tracker: Tracker) -> Optional[str]:
    """The slug of the article whose passage was quoted last before the customer's latest
    message, since the message before it."""
    for event in between_last_two_messages(tracker):
        slug = quoted_article(event.get("metadata") or {}) if event.get("event") == "bot" else None
        if slug is not None:
            return slug
    return None


def quoted_article(said: Mapping[str, Any]) -> Optional[str]:
    """The slug of the article a bot message quoted (its metadata), or None for any other
    message. The passage quoted, not the search's best article: an answer may come from
    another article (`other_articles`, the article just shown)."""
    slug = str(said.get("help_slug") or "")
    return slug if said.get("utter_action") == ANSWER_RESPONSE and is_slug(slug) else None


def _answer(dispatcher: CollectingDispatcher, tracker: Tracker,
            shown: Sequence[Tuple[Article, Passage]]) -> None:
    """The passages, then "did that help?" unless a form asks its question next."""
    for article, passage in shown:
        quote_passage(dispatcher, article, passage)
    if not form_asks_next(tracker):
        dispatcher.utter_message(response=ASK_HELPED_RESPONSE)


def quote_passage(dispatcher: CollectingDispatcher, article: Article, passage: Passage) -> None:
    """The passage, the article's title and its link, as one message (no question after it)."""
    dispatcher.utter_message(
        response=ANSWER_RESPONSE, help_title=article.title,
        help_passage=re.sub(r"\n\s*\n", "\n", passage.text),  # one message, not several
        help_link=article_link(article.slug), help_slug=article.slug, help_section=passage.heading)


def _latest_user_index(events: List[Dict[str, Any]]) -> Optional[int]:
    return next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"),
                None)


def answered_question(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """When the latest message answers "did that help?": the parse data of the question
    the article answered; otherwise None."""
    events: List[Dict[str, Any]] = tracker.events
    latest = _latest_user_index(events)
    if latest is None:
        return None
    asked = False
    for event in reversed(events[:latest]):
        if event.get("event") == "session_started":
            return None  # a new session: what was asked before it is not being answered
        if event.get("event") == "user":
            return (event.get("parse_data") or {}) if asked else None
        if event.get("event") == "bot" and not asked:
            if (event.get("metadata") or {}).get("utter_action") != ASK_HELPED_RESPONSE:
                return None  # the bot said something else since
            asked = True
    return None


class ActionHelpArticleHelped(Action):
    """"Yes" after a help-centre answer; "yes" to the offer of a person after a "no" to it
    is handed over; "yes" to "Is it about X, as before?" asks X again; a "yes" to anything
    else is asked to rephrase."""

    def name(self) -> Text:
        return "action_help_article_helped"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if response_before_latest_message(tracker) in (NOT_HELPED_OFFER_OF_A_PERSON, SEEN_OFFER_OF_A_PERSON,
                                                       TEAM_TASK_OFFER):
            # "yes" to "shall I pass you to a person, or could you tell me what you need?"
            return [FollowupAction(HANDOFF_ACTION)]
        if response_before_latest_message(tracker) == PREVIOUS_TOPIC_OFFER:
            # "yes" to "Is it about 'Track an order', as before, or one of these?": that topic
            buttons = ((said_before_latest_message(tracker) or {}).get("data") or {}).get("buttons") or []
            events = topic_events(str(buttons[0].get("payload") or ""), domain) if buttons else None
            if events is not None:
                return events
        if answered_question(tracker) is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
        else:
            dispatcher.utter_message(response="utter_help_article_glad")
        return []
