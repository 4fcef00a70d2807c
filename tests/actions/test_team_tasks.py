"""A request for what the help centre says our team does is offered a person at once."""

from typing import Any, Dict, List, Optional

from actions.fallback import ActionClarify
from actions.help_centre import ActionHelpArticleHelped
from actions.team_tasks import asks_to_have_it_done
from company.help_articles import done_by_our_team, find_article
from handoff.escalation import signals_from_events
from tests.conftest import make_tracker

RANKING = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_product", "confidence": 0.3},
           {"name": "start_return", "confidence": 0.2}]


def match(slug: str, section: str, score: float = 0.45) -> Dict[str, Any]:
    article = find_article(slug)
    assert article is not None
    passage = next(p for p in article.passages if p.heading == section)
    return {"slug": slug, "title": article.title, "section": section, "score": score, "semantic": score,
            "lexical": score, "confident": True, "passage": passage.text}


def user(text: str, intent: str = "nlu_fallback", found: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    parse: Dict[str, Any] = {"intent": {"name": intent, "confidence": 0.4}, "intent_ranking": RANKING, "text": text}
    if found is not None:
        parse["help_article"] = found
    return {"event": "user", "text": text, "parse_data": parse}


def quoted(found: Dict[str, Any]) -> Dict[str, Any]:
    return {"event": "bot", "metadata": {"utter_action": "utter_help_article", "help_slug": found["slug"],
                                         "help_section": found["section"]}}


def bot(response: str) -> Dict[str, Any]:
    return {"event": "bot", "metadata": {"utter_action": response}}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


USING = match("accessibility", "Using our website and chat")
FORMATS = match("accessibility", "Documents in other formats")
DESCALING = match("kitchen-appliance-care", "Descaling the Aurora Kettle")
FILTER = match("air-purifier-care", "Changing the filter")
ACCESSIBILITY_ANSWERED = [
    user("I'm registered blind. Is your website accessible, and can I get manuals in large print?", found=USING),
    action("action_clarify"), quoted(USING), quoted(FORMATS), bot("utter_ask_help_article_helped"),
    action("action_listen"), user("/affirm", "affirm"), action("action_help_article_helped"),
    bot("utter_help_article_glad"), action("action_listen")]


async def clarify(domain, make_dispatcher, before: List[Dict[str, Any]], text: str,
                  found: Optional[Dict[str, Any]] = None):
    latest = user(text, found=found)
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING, events=before + [latest],
                           domain=domain)
    if found is not None:
        tracker.latest_message["help_article"] = found
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    return dispatcher


async def test_a_request_for_what_the_article_just_shown_says_our_team_does_offers_a_person(
        domain, make_dispatcher):
    """A customer run: "how do I ask for the large print manual for the Aurora Kettle then?"
    after the accessibility article ("… in large print … Ask our team") got the kettle's
    descaling, then the topics, then a person after two misses."""
    text = "how do I ask for the large print manual for the Aurora Kettle then?"
    dispatcher = await clarify(domain, make_dispatcher, ACCESSIBILITY_ANSWERED, text, DESCALING)
    assert dispatcher.responses() == ["utter_offer_team_task"]
    assert dispatcher.messages[0]["help_title"] == "Accessibility"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/request_human", "/deny"]
    # the offer is an answer; "no" to it is "not now", not a failure; "yes" hands over
    offered = ACCESSIBILITY_ANSWERED + [user(text, found=DESCALING), action("action_clarify"),
                                        bot("utter_offer_team_task"), action("action_listen")]
    assert signals_from_events(offered).failed_turns == 0
    assert signals_from_events(offered + [user("no", "deny")]).failed_turns == 0
    no = make_tracker(text="no", intent="deny", events=offered + [user("no", "deny")], domain=domain)
    no_dispatcher = make_dispatcher(no)
    await ActionClarify().run(no_dispatcher, no, domain)
    assert no_dispatcher.responses() == ["utter_out_of_scope_nothing_else"]
    yes = make_tracker(text="yes please", intent="affirm", events=offered + [user("yes please", "affirm")],
                       domain=domain)
    followed = await ActionHelpArticleHelped().run(make_dispatcher(yes), yes, domain)
    assert followed == [{"event": "followup", "timestamp": None, "name": "action_handoff"}]


async def test_a_request_the_message_own_passage_says_our_team_does_offers_a_person(domain, make_dispatcher):
    """A customer run: "i want to buy a replacement filter for my breeze purifier" got the
    filter passage ("a person from our team can order one for you") a third time."""
    dispatcher = await clarify(domain, make_dispatcher, [], "i want to buy a replacement filter for my breeze purifier",
                               FILTER)
    # the passage first (a later run: "how often do i need to change the filter … and where do i
    # buy new ones" was offered a person without how often), then the offer
    assert dispatcher.responses() == ["utter_help_article", "utter_offer_team_task"]
    assert dispatcher.messages[0]["help_section"] == "Changing the filter"
    assert dispatcher.messages[1]["help_title"] == "Looking after the Breeze Air Purifier"


async def test_questions_and_requests_the_team_does_not_carry_out_are_answered_as_before(domain, make_dispatcher):
    # how it works, not a request: the passage
    dispatcher = await clarify(domain, make_dispatcher, [], "how often do I change the purifier filter", FILTER)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    # a request about a passage no person carries out: the passage
    dispatcher = await clarify(domain, make_dispatcher, [], "can you send me how to descale it", DESCALING)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    # the article shown two questions ago is not the one the request is about
    later = ACCESSIBILITY_ANSWERED + [user("do you sell toasters", "ask_product"), action("action_product_info"),
                                      bot("utter_product_info"), action("action_listen")]
    dispatcher = await clarify(domain, make_dispatcher, later, "can you send me the manual", DESCALING)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]


def test_the_passages_that_say_our_team_does_it_and_the_requests():
    assert done_by_our_team(next(p for p in find_article("accessibility").passages
                                 if p.heading == "Documents in other formats"))
    assert not done_by_our_team(next(p for p in find_article("accessibility").passages
                                     if p.heading == "Using our website and chat"))
    for text in ("how do I ask for the large print manual", "can you order me one", "i want to buy a new filter",
                 "could someone please send it in braille", "where can i get one"):
        assert asks_to_have_it_done(text), text
    for text in ("how often do I change it", "is it noise cancelling", "what does the orange light mean"):
        assert not asks_to_have_it_done(text), text
