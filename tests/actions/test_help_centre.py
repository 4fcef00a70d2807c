"""Answers from the help centre in `action_clarify`, and the "did that help?" loop: "yes"
is thanked, "no" gets the question's likely topics and counts as a failed turn, so that a
second failure in a row goes to a person."""

from typing import Any, Dict, List, Optional

from actions.fallback import ActionClarify
from actions.help_centre import ActionHelpArticleHelped
from company.help_articles import find_article
from handoff.escalation import Reason, decide, signals_from_events
from tests.conftest import make_tracker

GIFT_CARDS = find_article("gift-cards")
assert GIFT_CARDS is not None
PASSAGE = next(p.text for p in GIFT_CARDS.passages if p.heading == "Balance and expiry")
ARTICLE = {"slug": "gift-cards", "title": "Harbor Goods gift cards", "section": "Balance and expiry",
           "score": 0.42, "semantic": 0.5, "lexical": 0.3, "confident": True, "passage": PASSAGE}
LOW = {"slug": "gift-cards", "title": "Harbor Goods gift cards", "section": "Balance and expiry",
       "score": 0.12, "semantic": 0.15, "lexical": 0.05, "confident": False}
RANKING = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_payment_methods", "confidence": 0.3},
           {"name": "greet", "confidence": 0.2}, {"name": "ask_plans", "confidence": 0.1}]


def user(intent: str, article: Optional[Dict[str, Any]] = None, text: str = "") -> Dict[str, Any]:
    parse: Dict[str, Any] = {"intent": {"name": intent, "confidence": 0.4}, "intent_ranking": RANKING,
                             "text": text}
    if article is not None:
        parse["help_article"] = article
    return {"event": "user", "text": text, "parse_data": parse}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def bot(response: str) -> Dict[str, Any]:
    return {"event": "bot", "metadata": {"utter_action": response}}


def quoted(article: Dict[str, Any]) -> Dict[str, Any]:
    """The bot's help-centre answer as Rasa stores it: the action's extra fields in its metadata."""
    return {"event": "bot", "metadata": {"utter_action": "utter_help_article", "help_slug": article["slug"],
                                         "help_section": article["section"]}}


ANSWERED = [user("nlu_fallback", ARTICLE, "how long is a voucher good for"), action("action_clarify"),
            quoted(ARTICLE), bot("utter_ask_help_article_helped"), action("action_listen")]


async def clarify(domain, make_dispatcher, events: List[Dict[str, Any]], **latest: Any):
    tracker = make_tracker(events=events, domain=domain, **latest)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    return dispatcher


async def test_a_confident_article_answers_with_its_passage_title_and_link(domain, make_dispatcher):
    question = user("nlu_fallback", ARTICLE)
    tracker = make_tracker(text="how long is a voucher good for", intent="nlu_fallback",
                           intent_ranking=RANKING, events=[question], domain=domain)
    tracker.latest_message["help_article"] = ARTICLE
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    answer = dispatcher.messages[0]
    assert (answer["help_title"], answer["help_passage"], answer["help_link"]) == (
        "Harbor Goods gift cards", PASSAGE, "/help/gift-cards")
    buttons = domain["responses"]["utter_ask_help_article_helped"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]


async def test_each_help_question_of_a_message_is_answered_then_asked_about_once(domain, make_dispatcher):
    """A customer run: of two help-centre questions in one message, one was answered."""
    kitchen = find_article("kitchen-appliance-care")
    assert kitchen is not None
    descaling = next(p.text for p in kitchen.passages if p.heading == "Descaling the Aurora Kettle")
    kettle = {**ARTICLE, "slug": "kitchen-appliance-care", "section": "Descaling the Aurora Kettle",
              "passage": descaling, "score": 0.7}
    gone = {**ARTICLE, "slug": "no-such-article"}  # one from an older model: skipped
    tracker = make_tracker(text="gift card expiry? and how do i descale the kettle", intent="nlu_fallback",
                           intent_ranking=RANKING, events=[user("nlu_fallback", ARTICLE)], domain=domain)
    tracker.latest_message["help_article"] = ARTICLE
    tracker.latest_message["more_help_articles"] = [gone, kettle]
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_help_article", "utter_ask_help_article_helped"]
    assert [m["help_passage"] for m in dispatcher.messages[:2]] == [PASSAGE, descaling]


async def test_a_products_detail_beside_another_help_question_gets_both_passages(database_url, domain,
                                                                                make_dispatcher):
    """A customer run: "is the kettle dishwasher safe? and how do I descale it" got the
    dishwasher's passage alone (the product's detail answered first)."""
    kitchen = find_article("kitchen-appliance-care")
    assert kitchen is not None
    passages = {p.heading: p.text for p in kitchen.passages}
    washing, descaling = (
        {**ARTICLE, "slug": "kitchen-appliance-care", "section": heading, "passage": passages[heading], "score": 0.6}
        for heading in ("Washing: nothing goes in the dishwasher", "Descaling the Aurora Kettle"))
    tracker = make_tracker(text="is the kettle dishwasher safe? and how do I descale it", intent="out_of_scope",
                           intent_ranking=RANKING, events=[user("out_of_scope", washing)], domain=domain)
    tracker.latest_message["help_article"] = washing
    tracker.latest_message["more_help_articles"] = [descaling]
    tracker.latest_message["entities"] = [{"entity": "product", "value": "kettle", "start": 7, "end": 13}]
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert [m.get("help_passage") for m in dispatcher.messages[:2]] == [passages["Washing: nothing goes in the dishwasher"],
                                                                         passages["Descaling the Aurora Kettle"]]


async def test_a_second_passage_about_another_product_gives_way_to_the_named_ones(database_url, domain,
                                                                                   make_dispatcher):
    """A customer run: "hiya is the breeze air purifier any good for pet hair and how often do u
    change the filter" got the purifier's cleaning and then the robot vacuum's filter."""
    purifier, vacuum = find_article("air-purifier-care"), find_article("robot-vacuum-care")
    cleaning = next(p for p in purifier.passages if p.heading == "Cleaning it")
    changing = next(p for p in purifier.passages if p.heading == "Changing the filter")
    vacuum_filter = next(p for p in vacuum.passages if "filter" in p.heading)
    first = {**ARTICLE, "slug": "air-purifier-care", "section": cleaning.heading, "passage": cleaning.text,
             "score": 0.5}
    second = {**ARTICLE, "slug": "robot-vacuum-care", "section": vacuum_filter.heading, "passage": vacuum_filter.text,
              "score": 0.5}
    text = "hiya is the breeze air purifier any good for pet hair and how often do u change the filter"
    for entities, passages in (
            ([{"entity": "product", "value": "breeze air purifier", "start": 12, "end": 31}],
             [cleaning.text, changing.text]),
            # naming no product, each clause's own passage as before
            ([], [cleaning.text, vacuum_filter.text])):
        tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING,
                               events=[user("nlu_fallback", first)], domain=domain)
        tracker.latest_message["help_article"] = first
        tracker.latest_message["more_help_articles"] = [second]
        tracker.latest_message["entities"] = entities
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert [m.get("help_passage") for m in dispatcher.messages[:2]] == passages, entities


async def test_out_of_scope_with_a_confident_article_is_answered_too(domain, make_dispatcher):
    tracker = make_tracker(text="do you gift wrap", intent="out_of_scope", domain=domain,
                           events=[user("out_of_scope", ARTICLE)])
    tracker.latest_message["help_article"] = ARTICLE
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[0] == "utter_help_article"


async def test_a_low_score_or_a_broken_match_keeps_the_clarification(domain, make_dispatcher):
    # ... and so does a match the articles no longer have: a model trained before an article
    # was removed, or before a section was renamed (the link would be gone, the text stale)
    for article in (LOW, {**ARTICLE, "slug": "../../etc/passwd"}, {**ARTICLE, "passage": ""},
                    {**ARTICLE, "slug": "gift-vouchers"}, {**ARTICLE, "section": "Expiry dates"}):
        tracker = make_tracker(text="hmm the thing", intent="nlu_fallback", intent_ranking=RANKING,
                               events=[user("nlu_fallback", article)], domain=domain)
        tracker.latest_message["help_article"] = article
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_clarify"], article


async def test_a_weak_article_gives_way_to_a_likelier_topic(domain, make_dispatcher):
    # "I want to change my order, add another kettle": the kettle-care article (descaling)
    # scored 0.31, over the bar, while the changes an order allows had 0.63, under that
    # topic's own bar; the customer got the descaling passage
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_cancellation_fees", "confidence": 0.63},
               {"name": "start_return", "confidence": 0.31}]
    weak = {**ARTICLE, "slug": "kitchen-appliance-care", "section": "Descaling the Aurora Kettle",
            "score": 0.31}
    tracker = make_tracker(text="I want to change my order, add another kettle", intent="nlu_fallback",
                           intent_ranking=ranking, events=[user("nlu_fallback", weak)], domain=domain)
    tracker.latest_message["help_article"] = weak
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_clarify"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/ask_cancellation_fees"
    # a strong match still answers first, and so does a weak one beside no likely topic
    for article, ranked in (({**weak, "score": 0.45}, ranking), (weak, RANKING)):
        tracker = make_tracker(text="the kettle", intent="nlu_fallback", intent_ranking=ranked,
                               events=[user("nlu_fallback", article)], domain=domain)
        tracker.latest_message["help_article"] = article
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses()[0] == "utter_help_article", (article["score"], ranked)


async def test_a_word_alone_gets_the_topics_not_a_passage(domain, make_dispatcher):
    """A customer run: "return" alone (start_return 0.70, under its bar) got how the returns
    label works, the passage its word matched best; it asks no question a passage answers.
    Nor does a question whose two likeliest topics are one subject's, with no close passage."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "start_return", "confidence": 0.7},
               {"name": "ask_return_policy", "confidence": 0.28}]
    strong = {**ARTICLE, "slug": "sending-a-return", "section": "The returns label", "score": 0.68}
    for text, first in (("return", "utter_clarify"), ("Refund?", "utter_clarify"),
                        ("how do I print the return label", "utter_help_article")):
        tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking,
                               events=[user("nlu_fallback", strong, text)], domain=domain)
        tracker.latest_message["help_article"] = strong
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses()[0] == first, text
        if first == "utter_clarify":
            assert dispatcher.messages[0]["buttons"][0]["payload"] == "/start_return"
    # a question the two likeliest topics, one subject, nearly share, with a passage not close
    # to it: a customer run, "how do i return something" got the passage on keeping the Post
    # Office's receipt
    for score, first in ((0.46, "utter_clarify"), (0.72, "utter_help_article")):
        article = {**strong, "section": "After you've sent it", "score": score}
        tracker = make_tracker(text="how do i return something", intent="nlu_fallback", intent_ranking=ranking,
                               events=[user("nlu_fallback", article, "how do i return something")], domain=domain)
        tracker.latest_message["help_article"] = article
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses()[0] == first, score
    # a word alone beside no likely topic still gets the passage
    tracker = make_tracker(text="return", intent="nlu_fallback", intent_ranking=RANKING,
                           events=[user("nlu_fallback", strong, "return")], domain=domain)
    tracker.latest_message["help_article"] = strong
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[0] == "utter_help_article"


async def test_yes_is_thanked_and_a_yes_to_anything_else_is_asked_again(domain, make_dispatcher):
    for events, expected in (
            (ANSWERED + [user("affirm")], "utter_help_article_glad"),
            ([user("nlu_fallback"), action("action_clarify"), bot("utter_clarify"), user("affirm")],
             "utter_ask_rephrase")):
        tracker = make_tracker(text="yes", intent="affirm", events=events, domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionHelpArticleHelped().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [expected]


async def test_no_offers_the_topics_the_question_likely_meant(domain, make_dispatcher):
    dispatcher = await clarify(domain, make_dispatcher, ANSWERED + [user("deny")], text="no",
                               intent="deny")
    assert dispatcher.responses() == ["utter_help_article_not_helped"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/ask_payment_methods", "/ask_plans", "/deny"]


def failed(events: List[Dict[str, Any]]) -> int:
    return signals_from_events(events).failed_turns


def test_an_answered_question_is_not_failed_but_no_is_and_two_reach_a_person():
    assert failed(ANSWERED + [user("affirm")]) == 0
    after_no = ANSWERED + [user("deny"), action("action_clarify"), bot("utter_help_article_not_helped"),
                           action("action_listen")]
    assert failed(after_no[:6]) == 1  # "no": a failure, but the first in a row
    assert not decide(signals_from_events(after_no[:6])).escalate
    # "none of these" to the topics offered next: the second failure in a row
    second = signals_from_events(after_no + [user("deny")])
    assert second.failed_turns == 2
    assert Reason.REPEATED_FALLBACK in decide(second).reasons
    # without the article the question itself stays a failed turn
    assert failed([user("nlu_fallback"), action("action_clarify"), bot("utter_clarify"),
                   user("deny")]) == 2


async def test_no_with_nothing_else_likely_offers_a_person(domain, make_dispatcher):
    question = user("out_of_scope", ARTICLE, "my desk chair keeps sinking down")
    question["parse_data"]["intent_ranking"] = [{"name": "out_of_scope", "confidence": 0.95},
                                                {"name": "inform", "confidence": 0.02}]
    events = [question, action("action_clarify"), bot("utter_help_article"),
              bot("utter_ask_help_article_helped"), action("action_listen"), user("deny")]
    dispatcher = await clarify(domain, make_dispatcher, events, text="no", intent="deny")
    assert dispatcher.responses() == ["utter_help_article_not_helped_rephrase"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/request_human", "/deny"]


async def _asked_after(domain, make_dispatcher, events: List[Dict[str, Any]], text: str, found: Dict[str, Any]):
    """What action_clarify says to `text` (not understood), whose help match is `found`, after `events`."""
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING,
                           events=events + [user("nlu_fallback", found, text)], domain=domain)
    tracker.latest_message["help_article"] = found
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    return dispatcher


async def test_a_question_leaning_on_the_article_just_shown_is_answered_from_it(domain, make_dispatcher):
    """'do you sell gift cards' (the gift-cards article), then 'how long are they valid': the
    search points to that article's "Balance and expiry" at 0.3, under the bar; it got the
    clarification buttons (returns, warranty)."""
    shown = {**ARTICLE, "section": "Buying a gift card"}
    answered = [user("out_of_scope", shown, "do you sell gift cards"), action("action_clarify"),
                quoted(ARTICLE), bot("utter_ask_help_article_helped"), action("action_listen")]
    leaning = {**LOW, "score": 0.3, "section": "Balance and expiry"}

    async def asked(events, text, found):
        return await _asked_after(domain, make_dispatcher, events, text, found)

    dispatcher = await asked(answered, "how long are they valid", leaning)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_passage"].startswith("Gift cards are valid for 24 months")
    # not leaning (no pronoun, not short), another article, too far, or no article shown before
    for events, text, found in [
            (answered, "what is the validity period of a gift card bought for a colleague", leaning),
            (answered, "how long are they valid", {**leaning, "slug": "packaging", "section": "Our packaging"}),
            (answered, "how long are they valid", {**leaning, "score": 0.1}),
            ([user("ask_plans", None, "what plans do you have"), bot("utter_plans")],
             "how long are they valid", leaning)]:
        assert "utter_help_article" not in (await asked(events, text, found)).responses(), (text, found)


async def test_a_question_leaning_on_the_article_just_shown_beats_a_close_other_article(domain, make_dispatcher):
    """Customer runs: "how do I claim that" after the price-drop passage got the warranty
    claims (on the word "claim"; the price drop's passage says how it is claimed), "can i use
    two on one order" after the gift cards got the packaging article. The article just shown
    answers when it comes close, or, for a question pointing back, when the passage holds
    every word of substance the question asks."""
    discounts = find_article("discounts-and-price-drops")
    assert discounts is not None
    dropped = next(p for p in discounts.passages if p.heading == "The price dropped after I bought it")
    shown = {**ARTICLE, "slug": discounts.slug, "title": discounts.title, "section": dropped.heading,
             "passage": dropped.text}
    answered = [user("nlu_fallback", shown, "the price dropped after i bought it"), action("action_clarify"),
                quoted(shown), bot("utter_ask_help_article_helped"), action("action_listen")]
    near = {"slug": discounts.slug, "section": dropped.heading, "score": 0.23}
    warranty = {"slug": "warranty-claims", "title": "Making a warranty claim", "section": "How to make a claim",
                "score": 0.58, "semantic": 0.6, "lexical": 0.5, "confident": True, "passage": "Tell the assistant",
                "other_articles": [near]}

    async def asked(events, text, found):
        dispatcher = await _asked_after(domain, make_dispatcher, events, text, found)
        return [m.get("help_slug") for m in dispatcher.messages if m.get("help_slug")]

    assert await asked(answered, "how do I claim that", warranty) == [discounts.slug]
    # a word the passage lacks ("warranty"), or no price drop shown before: the warranty claims
    assert await asked(answered, "how do I claim that warranty", warranty) == ["warranty-claims"]
    assert await asked([], "how do I claim that", warranty) == ["warranty-claims"]
    # without pointing back: only close (0.05 behind), as when pointing back without the words (0.1)
    packaging = {**warranty, "slug": "packaging", "title": "Our packaging", "section": "Several items in one order",
                 "score": 0.35, "other_articles": [{"slug": "gift-cards", "section": "Using a gift card", "score": 0.31}]}
    gift_shown = [user("nlu_fallback", {**ARTICLE, "section": "Buying a gift card"}, "do you sell gift cards"),
                  action("action_clarify"), quoted(ARTICLE), bot("utter_ask_help_article_helped"),
                  action("action_listen")]
    assert await asked(gift_shown, "can i use two on one order", packaging) == ["gift-cards"]
    far = {**packaging, "score": 0.37}
    assert await asked(gift_shown, "can i use two on one order", far) == ["packaging"]
    assert await asked(gift_shown, "can i get them in a box", far) == ["gift-cards"]
    assert await asked(gift_shown, "can i get them in a box", {**packaging, "score": 0.42}) == ["packaging"]
    # the article quoted is the one leaned on, not the one the question before found best: the
    # price drop quoted for a question whose search found the warranty claims first
    quoted_beside = [user("nlu_fallback", {**warranty, "other_articles": [near]}, "i saw it cheaper after buying"),
                     action("action_clarify"), quoted(shown), bot("utter_ask_help_article_helped"),
                     action("action_listen")]
    assert await asked(quoted_beside, "how do I claim that", warranty) == [discounts.slug]


async def test_a_question_pointing_back_is_answered_from_the_article_beside_a_likely_topic(domain, make_dispatcher):
    """A customer run: "how long are they valid for?" after the gift cards got the warranty
    (ask_warranty 0.55). Sent here by the reply policy, it is answered from the article just
    shown, though the topic's likelihood keeps a weak match from the help centre's own answer."""
    shown = {**ARTICLE, "section": "Buying a gift card"}
    answered = [user("nlu_fallback", shown, "do you sell gift cards"), action("action_clarify"),
                quoted(ARTICLE), bot("utter_ask_help_article_helped"), action("action_listen")]
    text = "how long are they valid for?"
    found = {**ARTICLE, "score": 0.35, "section": "Balance and expiry"}
    ranking = [{"name": "ask_warranty", "confidence": 0.55}, {"name": "ask_return_policy", "confidence": 0.25}]
    tracker = make_tracker(text=text, intent="ask_warranty", intent_ranking=ranking,
                           events=answered + [user("ask_warranty", found, text)], domain=domain)
    tracker.latest_message["help_article"] = found
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_passage"].startswith("Gift cards are valid for 24 months")


async def _replied_after_the_article(domain, make_dispatcher, text: str, article: Dict[str, Any]) -> List[str]:
    """What action_clarify says to `text`, whose help match is `article`, right after ANSWERED."""
    events = ANSWERED + [user("nlu_fallback", article, text)]
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING, events=events,
                           domain=domain)
    tracker.latest_message["help_article"] = article
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    return dispatcher.responses()


async def test_a_reply_the_same_passage_would_answer_again_is_a_no(domain, make_dispatcher):
    """'that didn't help, the chair still sinks' after the office-chair answer: no intent, and
    the search finds the same passage again. It got that passage again, and "did that help?",
    round after round, never a failed turn, never a person."""
    text = "that didnt help, it still sinks"
    assert await _replied_after_the_article(domain, make_dispatcher, text, ARTICLE) == ["utter_help_article_not_helped"]
    # the escalation decision sees a failed turn, and a second one goes to a person
    after = ANSWERED + [user("nlu_fallback", ARTICLE, text), action("action_clarify"),
                        bot("utter_help_article_not_helped"), action("action_listen")]
    assert failed(after) == 1
    assert Reason.REPEATED_FALLBACK in decide(signals_from_events(after + [user("deny")])).reasons
    # another section of the same article is a new answer, not a repeat
    other = {**ARTICLE, "section": "A lost gift card"}
    assert await _replied_after_the_article(domain, make_dispatcher, "and if i lose it", other) == [
        "utter_help_article", "utter_ask_help_article_helped"]


async def test_a_question_the_same_passage_answers_is_answered_not_a_no(domain, make_dispatcher):
    """A customer run: "can i add a message to the gift" after the gift article (which says how)
    got "Sorry that didn't answer it"; a question that turns the passage down still does."""
    for text, said in (("can i check the balance online?", ["utter_help_article", "utter_ask_help_article_helped"]),
                       ("why doesnt it show my balance?", ["utter_help_article_not_helped"])):
        assert await _replied_after_the_article(domain, make_dispatcher, text, ARTICLE) == said, text


async def test_yes_to_the_offer_of_a_person_hands_over(domain, make_dispatcher):
    """After a "no" with nothing else likely: "Shall I pass you to a person, or could you tell
    me in a few words what you need?" A typed "yes" is `affirm`, which follows action_clarify
    into this action; it was asked to rephrase, and nobody was handed over."""
    events = ANSWERED + [user("deny"), action("action_clarify"),
                         bot("utter_help_article_not_helped_rephrase"), action("action_listen"),
                         user("affirm", text="yes please")]
    tracker = make_tracker(text="yes please", intent="affirm", events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    followed = await ActionHelpArticleHelped().run(dispatcher, tracker, domain)
    assert followed == [{"event": "followup", "timestamp": None, "name": "action_handoff"}]
    assert dispatcher.responses() == []


async def test_yes_to_the_topic_asked_before_asks_it_again(domain, make_dispatcher):
    """A customer run: a typed "yes" to "Is it about 'Track an order', as before, or one of
    these?" got "Could you tell me in a few words what you need?" (2 of 2). The yes picks the
    topic offered first; an order's task starts the order check, a frequent question gets its
    answer."""
    for payload, expected in (("/order_status", [("slot", "order_task", "status"), ("followup", "order_form")]),
                              ("/ask_shipping", [("followup", "action_shipping_info")]),
                              ("/describe_need", [])):
        offer = {"event": "bot", "metadata": {"utter_action": "utter_clarify_previous_topic"},
                 "data": {"buttons": [{"title": "Track an order", "payload": payload},
                                      {"title": "Something else", "payload": "/deny"}]}}
        events = [user("order_status", text="where is HG-100002"), bot("utter_order_status_shipped"),
                  action("action_listen"), user("nlu_fallback", text="omg how long?!"), action("action_clarify"),
                  offer, action("action_listen"), user("affirm", text="yes")]
        tracker = make_tracker(text="yes", intent="affirm", events=events, domain=domain)
        dispatcher = make_dispatcher(tracker)
        followed = await ActionHelpArticleHelped().run(dispatcher, tracker, domain)
        assert [(e["event"], e["name"], *([e["value"]] if e["event"] == "slot" else [])) for e in followed] == expected
        assert dispatcher.responses() == ([] if expected else ["utter_ask_rephrase"]), payload


async def test_a_no_in_a_new_session_is_not_about_the_article_before_it(domain, make_dispatcher):
    """Rasa starts a new session after an hour's silence; a "no" then is no verdict on the
    article of the session before."""
    restarted = ANSWERED + [{"event": "session_started"}, action("action_listen"), user("deny")]
    dispatcher = await clarify(domain, make_dispatcher, restarted, text="no", intent="deny")
    assert dispatcher.responses() == ["utter_ask_rephrase"]
    dispatcher = await clarify(domain, make_dispatcher, ANSWERED + [user("deny")], text="no",
                               intent="deny")
    assert dispatcher.responses() == ["utter_help_article_not_helped"]


async def test_a_passage_said_not_to_help_is_not_given_again(domain, make_dispatcher):
    """A customer run: "how much is a replacement filter", "no" to the filter passage, then
    "i want to buy a replacement filter" got the same passage again and "did that answer your
    question?". Now the topics the question likely meant, or a person; a passage only said
    to help, one of another section, or one from an earlier session is given as before."""
    question = user("nlu_fallback", ARTICLE, "how long is a voucher good for")
    shown = [question, action("action_clarify"), quoted(ARTICLE), bot("utter_ask_help_article_helped"),
             action("action_listen")]
    no = [user("deny", text="no"), action("action_clarify"), bot("utter_help_article_not_helped"),
          action("action_listen")]
    text = "when does a gift card run out"

    async def asked_again(before: List[Dict[str, Any]], ranking=RANKING):
        latest = user("nlu_fallback", ARTICLE, text)
        latest["parse_data"]["intent_ranking"] = ranking
        tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking,
                               events=before + [latest], domain=domain)
        tracker.latest_message["help_article"] = ARTICLE
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        return dispatcher

    dispatcher = await asked_again(shown + no)
    assert dispatcher.responses() == ["utter_help_article_seen"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/ask_payment_methods", "/ask_plans", "/deny"]
    # said in the customer's own words ("that didn't help, …" finding the same passage) too
    own_words = [user("nlu_fallback", ARTICLE, "that didnt help"), action("action_clarify"),
                 bot("utter_help_article_not_helped"), action("action_listen")]
    assert (await asked_again(shown + own_words)).responses() == ["utter_help_article_seen"]
    # the escalation decision counts it as a failed turn
    after = shown + no + [user("nlu_fallback", ARTICLE, text), action("action_clarify"),
                          bot("utter_help_article_seen"), action("action_listen")]
    assert failed(after) == 2
    other = {**ARTICLE, "section": "A lost gift card"}
    for before in (shown + [user("affirm", text="yes"), action("action_help_article_helped"),
                            bot("utter_help_article_glad"), action("action_listen")],
                   [user("nlu_fallback", other, "i lost my gift card"), action("action_clarify"), quoted(other),
                    bot("utter_ask_help_article_helped"), action("action_listen")] + no,
                   shown + no + [{"event": "session_started"}, action("action_listen")]):
        dispatcher = await asked_again(before)
        assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
        assert dispatcher.messages[0]["help_section"] == "Balance and expiry"
    # nothing else likely: a person offered, and a "yes" to that hands over
    nothing_else = [{"name": "nlu_fallback", "confidence": 0.9}, {"name": "inform", "confidence": 0.02}]
    dispatcher = await asked_again(shown + no, nothing_else)
    assert dispatcher.responses() == ["utter_help_article_seen_rephrase"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/request_human", "/deny"]
    events = shown + no + [user("nlu_fallback", ARTICLE, text), action("action_clarify"),
                           bot("utter_help_article_seen_rephrase"), action("action_listen"),
                           user("affirm", text="yes")]
    tracker = make_tracker(text="yes", intent="affirm", events=events, domain=domain)
    followed = await ActionHelpArticleHelped().run(make_dispatcher(tracker), tracker, domain)
    assert followed == [{"event": "followup", "timestamp": None, "name": "action_handoff"}]
