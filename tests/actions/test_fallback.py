import pytest
from rasa_sdk.events import SlotSet

from actions.fallback import ActionClarify
from actions.warranty import FAULT_SLOT
from company.help_articles import find_article
from handoff.escalation import signals_from_events
from tests.conftest import make_tracker


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def action(name):
    return {"event": "action", "name": name}


def bot(response):
    return {"event": "bot", "metadata": {"utter_action": response}}


def failed_turns_in_a_row(events):
    return signals_from_events(events).failed_turns


def test_failed_turns_are_counted_back_from_the_latest():
    assert failed_turns_in_a_row([user("greet"), user("nlu_fallback")]) == 1
    assert failed_turns_in_a_row([user("nlu_fallback"), action("action_clarify"), user("out_of_scope")]) == 2
    assert failed_turns_in_a_row([user("nlu_fallback"), action("action_clarify"), user("order_status")]) == 0
    # "none of these" after the topics offered is a failure too; a plain "no" elsewhere is not
    assert failed_turns_in_a_row([user("nlu_fallback"), action("action_clarify"), action("action_listen"),
                                  user("deny")]) == 2
    assert failed_turns_in_a_row([user("cancel_order"), action("action_check_cancellation"), user("deny")]) == 0


def test_a_question_declined_as_out_of_scope_is_no_failure():
    """A customer run: "can you tell me my bank balance", declined, then "whats the cheapest
    flight to paris" got "I'm still not getting it" and a person: both had been understood."""
    declined = [user("out_of_scope"), action("action_clarify"), bot("utter_out_of_scope"), action("action_listen")]
    assert failed_turns_in_a_row(declined + [user("out_of_scope")]) == 1
    # not understood at all is still a failure, twice over
    assert failed_turns_in_a_row([user("nlu_fallback"), action("action_clarify"), bot("utter_clarify"),
                                  action("action_listen"), user("nlu_fallback")]) == 2


def test_what_the_shop_does_not_sell_or_do_told_is_no_failure():
    """A customer run: "do u sell cars" ("I can't find cars in our range"), then "can you design
    me a logo for my bakery then" got "I'm still not getting it" and a person."""
    for said, intent in (("utter_product_not_sold", "out_of_scope"), ("utter_needs_work_not_offered", "nlu_fallback")):
        told = [user(intent), action("action_clarify"), bot(said), action("action_listen")]
        assert failed_turns_in_a_row(told + [user("out_of_scope")]) == 1, said


def test_a_products_detail_not_held_told_is_no_failure():
    """A customer run: "is the lumen desk lamp dimmable?" asked twice went to a person as two
    misses; told where the details are, it was understood."""
    told = [user("nlu_fallback"), action("action_clarify"), bot("utter_product_details_not_held"),
            action("action_listen")]
    assert failed_turns_in_a_row(told + [user("nlu_fallback")]) == 1


def test_no_to_what_else_after_an_out_of_scope_answer_is_no_failure():
    # "that's not something I can help with … what can I do for you there?" "no": nothing else
    assert failed_turns_in_a_row([user("out_of_scope"), action("action_clarify"), bot("utter_out_of_scope"),
                                  action("action_listen"), user("deny")]) == 0
    assert failed_turns_in_a_row([user("out_of_scope"), action("action_clarify"), bot("utter_out_of_scope"),
                                  user("deny"), action("action_clarify"),
                                  bot("utter_out_of_scope_nothing_else"), user("deny")]) == 0
    # "none of these" to the topics offered still is
    assert failed_turns_in_a_row([user("nlu_fallback"), action("action_clarify"), bot("utter_clarify"),
                                  action("action_listen"), user("deny")]) == 2


RANKING = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "order_status", "confidence": 0.35},
           {"name": "greet", "confidence": 0.2}, {"name": "cancel_order", "confidence": 0.3},
           {"name": "ask_shipping", "confidence": 0.1}, {"name": "ask_plans", "confidence": 0.06}]


async def test_first_failure_offers_the_likely_topics(domain, make_dispatcher):
    tracker = make_tracker(text="hmm the thing", intent="nlu_fallback", intent_ranking=RANKING,
                           events=[user("nlu_fallback")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_clarify"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/order_status", "/cancel_order", "/ask_shipping", "/deny"]
    assert buttons[0]["title"] == "Track an order"


async def test_out_of_scope_says_what_the_assistant_is_for(domain, make_dispatcher):
    tracker = make_tracker(text="what's the weather", intent="out_of_scope", events=[user("out_of_scope")],
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_out_of_scope"]


async def test_goods_the_shop_does_not_sell_get_a_plain_no_and_the_range(database_url, domain, make_dispatcher):
    """A customer run: "do you sell sofas?" got the clarification buttons, and "ok so is that a
    no on sofas then?" a person. Goods named loosely like a product ("standing desks": the desk
    lamp) or a service ("next day delivery") keep the clarification."""
    for text, intent in [("do you sell sofas?", "nlu_fallback"), ("Do you guys stock garden furniture",
                                                                   "nlu_fallback"),
                         ("do u do mattresses?", "out_of_scope")]:
        tracker = make_tracker(text=text, intent=intent, intent_ranking=RANKING, events=[user(intent)],
                               domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_product_not_sold"], text
        assert "Atlas Office Chair" in dispatcher.messages[0]["products"]
        assert dispatcher.messages[0]["thing"] in ("sofas", "garden furniture", "mattresses")
    for text in ["do you sell standing desks?", "do you do next day delivery?", "do you have gift cards",
                 "do you sell toasters?", "hmm the thing"]:
        tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING,
                               events=[user("nlu_fallback")], domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert "utter_product_not_sold" not in dispatcher.responses(), text


async def test_which_goods_of_a_kind_are_sold_gets_the_one_there_is(database_url, domain, make_dispatcher):
    """A customer run: "what kettles do you sell?" got the kettle's care and then the
    recycling of old electricals."""
    for text, product in (("what kettles do you sell?", "Aurora Kettle"), ("which lamps do you have", "Lumen Desk Lamp")):
        tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING,
                               events=[user("nlu_fallback")], domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_product_price"], text
        assert dispatcher.messages[0]["product"] == product
        assert {"event": "slot", "timestamp": None, "name": "product", "value": product} in events
    # several of the kind: each with its price (a customer run: "what speakers do you guys sell"
    # got the Orbit's pairing)
    tracker = make_tracker(text="what speakers do you guys sell", intent="nlu_fallback", intent_ranking=RANKING,
                           events=[user("nlu_fallback")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_product_prices"]
    assert "Cove" in dispatcher.messages[0]["prices"] and "Orbit" in dispatcher.messages[0]["prices"]
    # a product asked after by name is the product answer's, not this one's (a review)
    tracker = make_tracker(text="do you have aurora kettle in stock?", intent="nlu_fallback", intent_ranking=RANKING,
                           events=[user("nlu_fallback")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert "utter_product_price" not in dispatcher.responses()


async def _clarified_beside_an_article(domain, make_dispatcher, text, intent, slug, section, score):
    """What action_clarify says to `text`, read as `intent`, whose closest help passage is
    `section` of `slug` (confident)."""
    tracker = make_tracker(text=text, intent=intent, intent_ranking=RANKING, events=[user(intent)], domain=domain)
    tracker.latest_message["help_article"] = {"slug": slug, "section": section, "confident": True,
                                              "score": score, "passage": "…"}
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    return dispatcher


async def test_a_price_match_question_gets_the_price_matching_section(database_url, domain, make_dispatcher):
    """A customer run: "do you price match? the aurora kettle is cheaper on amazon" (out of
    scope) got the kettle's descaling, the passage its words were closest to."""
    dispatcher = await _clarified_beside_an_article(
        domain, make_dispatcher, "do you price match? the aurora kettle is cheaper on amazon", "out_of_scope",
        "kitchen-appliance-care", "Descaling the Aurora Kettle", 0.37)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert "don't match other shops' prices" in dispatcher.messages[0]["help_passage"]


@pytest.mark.parametrize("text, slug, section, passage_says", [
    # a customer run: "that's not something I can help with"
    ("where is your nearest shop, im in bristol", "shops-and-collection",
     "We sell online only: no shops, no click and collect, no picking up an order yourself", "no shops or showrooms"),
    # a customer run, after an order's status: not understood
    ("can it be left with a neighbour if im out?", "delivery-areas",
     "Not at home when the courier comes: a neighbour, your workplace or another try", "neighbour"),
])
async def test_a_question_a_section_answers_gets_it_though_found_without_confidence(
        text, slug, section, passage_says, database_url, domain, make_dispatcher):
    """Out of scope to the model, its article found without confidence: the section it asks for."""
    tracker = make_tracker(text=text, intent="out_of_scope", intent_ranking=RANKING, events=[user("out_of_scope")],
                           domain=domain)
    tracker.latest_message["help_article"] = {"slug": slug, "confident": False, "score": 0.24, "passage": "…",
                                              "section": section}
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_slug"] == slug and passage_says in dispatcher.messages[0]["help_passage"]


async def test_a_question_whether_paying_is_safe_gets_the_section_on_it(database_url, domain, make_dispatcher):
    """A customer run: "is it safe to give my card details on your website? someone said theres a
    scam going round" was handed over as a fraud report, then (the fraud reading mended) got the
    clarification's buttons: its article was confident, but under a likelier payment topic."""
    text = "is it safe to give my card details on your website? someone said theres a scam going round"
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING, events=[user("nlu_fallback")],
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_section"] == "Keeping your payment safe"


async def test_goods_the_help_centre_speaks_of_are_not_said_to_be_missing(database_url, domain, make_dispatcher):
    """A customer run: "do you sell spare filters?" would have been told they are not in the
    range, where the robot vacuum's care article says packs of three are sold."""
    dispatcher = await _clarified_beside_an_article(
        domain, make_dispatcher, "do you sell spare filters?", "nlu_fallback",
        "robot-vacuum-care", "Emptying the bin and cleaning the filter", 0.47)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert "filter" in dispatcher.messages[0]["help_passage"]


async def deny_after(domain, make_dispatcher, first, answer, *said_since):
    """What action_clarify says to a "no" after `answer` to a failed `first` message (and
    `said_since` after the "no", before action_clarify runs)."""
    events = [user(first), action("action_clarify"), bot(answer), user("deny"), *map(bot, said_since)]
    tracker = make_tracker(text="no", intent="deny", events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    return dispatcher.responses()


async def test_a_hesitation_in_a_form_is_given_time_not_asked_what_is_needed(domain, make_dispatcher):
    """A customer run: "hmm" at a return's summary or an address read back got "Could you tell
    me in a few words what you need?" before the question again."""
    # ("wait" read as no yes or no is not marked, and got the same: a later run)
    tracker = make_tracker(text="wait", intent="nlu_fallback", active_loop="address_form", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_take_your_time"]
    for active_loop, said in (("return_form", ["utter_take_your_time"]), (None, ["utter_ask_rephrase"])):
        tracker = make_tracker(text="hmm", intent="nlu_fallback", active_loop=active_loop, domain=domain)
        tracker.latest_message["hesitant"] = True
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == said, active_loop


async def test_which_return_reason_to_give_read_as_out_of_scope_is_answered(domain, make_dispatcher):
    """A customer run: "does a scratch count as damaged?" where the reason was asked got "Sorry,
    that's not something I can help with" before the reason question (2 of 2)."""
    asked = {"requested_slot": "return_reason"}
    for slots, said in ((asked, ["utter_return_reason_kinds"]), ({}, ["utter_out_of_scope"])):
        tracker = make_tracker(slots, text="does a scratch count as damaged?", intent="out_of_scope",
                               active_loop="return_form" if slots else None, domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == said, slots


async def test_turning_down_the_topics_asks_to_rephrase(domain, make_dispatcher):
    assert await deny_after(domain, make_dispatcher, "nlu_fallback", "utter_clarify") == ["utter_ask_rephrase"]


async def test_no_after_an_out_of_scope_answer_is_answered_politely(domain, make_dispatcher):
    assert await deny_after(domain, make_dispatcher, "out_of_scope", "utter_out_of_scope") == [
        "utter_out_of_scope_nothing_else"]

    # a second "no" is still "nothing"; an acknowledgement said since the "no" changes nothing
    assert await deny_after(domain, make_dispatcher, "out_of_scope", "utter_out_of_scope_nothing_else") == [
        "utter_out_of_scope_nothing_else"]
    assert await deny_after(domain, make_dispatcher, "out_of_scope", "utter_out_of_scope",
                            "utter_acknowledge_feeling") == ["utter_out_of_scope_nothing_else"]


async def test_a_short_question_leaning_on_the_last_answer_is_offered_that_topic_first(domain, make_dispatcher):
    """'how much is it' after the delivery answer read as out of scope ("not something I can
    help with"), and 'and how long does it take' then went to a person."""
    ireland = [{"entity": "country", "value": "Ireland", "start": 17, "end": 24}]
    events = [{"event": "user", "text": "do you deliver to ireland",
               "parse_data": {"intent": {"name": "ask_shipping"}, "entities": ireland}},
              bot("utter_shipping_country"),
              user("out_of_scope")]
    tracker = make_tracker(text="how much is it", intent="out_of_scope", intent_ranking=RANKING,
                           events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_clarify_previous_topic"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ['/ask_shipping{"country": "Ireland"}', "/order_status", "/cancel_order", "/deny"]
    assert dispatcher.messages[0]["topic"] == "Delivery times and costs"
    # a question that stands alone is still out of scope
    tracker = make_tracker(text="what's the weather like in Dublin", intent="out_of_scope",
                           events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_out_of_scope"]


async def test_the_last_topic_with_a_new_detail_comes_before_a_help_article(domain, make_dispatcher):
    """'what about france' after the delivery answer for Ireland (out of scope, with a help
    article on where we deliver): the delivery topic for France is offered first; without a
    detail of its own, a leaning question still gets the article first."""
    ireland = [{"entity": "country", "value": "Ireland", "start": 17, "end": 24}]
    section = "Countries we deliver to"
    france = [{"entity": "country", "value": "France", "start": 11, "end": 17}]
    article = {"slug": "delivery-areas", "title": "Where we deliver", "section": section, "score": 0.5,
               "confident": True, "passage": "We deliver to the United Kingdom, Ireland, France ..."}
    events = [{"event": "user", "text": "do you deliver to ireland",
               "parse_data": {"intent": {"name": "ask_shipping"}, "entities": ireland}},
              bot("utter_shipping_country"), user("out_of_scope")]
    tracker = make_tracker(text="what about france", intent="out_of_scope", intent_ranking=RANKING,
                           entities=france, events=events, domain=domain)
    tracker.latest_message["help_article"] = article
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_clarify_previous_topic"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == '/ask_shipping{"country": "France"}'
    tracker = make_tracker(text="and how long does it take", intent="out_of_scope", intent_ranking=RANKING,
                           events=events, domain=domain)
    tracker.latest_message["help_article"] = article
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]


async def test_a_message_in_another_language_is_told_the_assistant_reads_english(domain, make_dispatcher):
    # "bonjour, je voudrais suivre ma commande" (out_of_scope) got "that's not something I can
    # help with", as if the shop did not track orders
    tracker = make_tracker(text="bonjour, je voudrais suivre ma commande", intent="out_of_scope",
                           events=[user("out_of_scope")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_english_only"]
    message = dispatcher.messages[0]
    assert message["language"] == "French"
    assert [b["payload"] for b in domain["responses"]["utter_english_only"][0]["buttons"]] == ["/request_human"]


async def test_a_detail_told_with_nothing_asked_offers_the_topic_it_belongs_to(domain, make_dispatcher):
    # "I ordered the wrong size" as the first message: inform took 0.94, a return 0.045, under
    # the floor of a topic worth offering, and the customer was only asked to rephrase
    ranking = [{"name": "inform", "confidence": 0.939}, {"name": "start_return", "confidence": 0.045},
               {"name": "change_address", "confidence": 0.003}, {"name": "payment_problem", "confidence": 0.002},
               {"name": "order_status", "confidence": 0.002}, {"name": "cancel_order", "confidence": 0.002},
               {"name": "affirm", "confidence": 0.001}]
    tracker = make_tracker(text="I ordered the wrong size", intent="inform", intent_ranking=ranking,
                           events=[user("inform")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_clarify"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/start_return", "/deny"]


async def test_a_detail_that_offers_a_return_is_kept_as_its_reason(domain, make_dispatcher):
    # after "I ordered the wrong size" and the "Start a return" button, the return form asked
    # "What's the reason for the return?": the customer had just said it
    ranking = [{"name": "inform", "confidence": 0.94}, {"name": "start_return", "confidence": 0.05},
               {"name": "affirm", "confidence": 0.01}]
    tracker = make_tracker(text="I ordered the wrong size", intent="inform", intent_ranking=ranking,
                           events=[user("inform")], domain=domain)
    events = await ActionClarify().run(make_dispatcher(tracker), tracker, domain)
    assert events == [SlotSet("fault_reported", "I ordered the wrong size")]
    # a detail offered other topics keeps nothing
    ranking = [{"name": "inform", "confidence": 0.9}, {"name": "change_address", "confidence": 0.1}]
    tracker = make_tracker(text="it's the flat upstairs", intent="inform", intent_ranking=ranking,
                           events=[user("inform")], domain=domain)
    assert await ActionClarify().run(make_dispatcher(tracker), tracker, domain) == []


async def test_a_detail_that_belongs_to_no_topic_still_asks_in_a_few_words(domain, make_dispatcher):
    ranking = [{"name": "inform", "confidence": 0.97}, {"name": "affirm", "confidence": 0.03}]
    tracker = make_tracker(text="tuesday", intent="inform", intent_ranking=ranking,
                           events=[user("inform")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_ask_rephrase"]


async def test_ending_a_plan_that_fell_back_is_answered(database_url, domain, make_dispatcher):
    """"cancel my membership pls" fell back twice (cancel_order 0.46, ask_plans 0.29) and was
    handed to a person; how a plan ends is known. The answer is no failed turn."""
    events = [{"event": "user", "text": "cancel my membership pls", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    tracker = make_tracker(text="cancel my membership pls", intent="nlu_fallback", intent_ranking=RANKING,
                           events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_plan_cancel"]
    answered = events + [{"event": "action", "name": "action_clarify"},
                         {"event": "bot", "metadata": {"utter_action": "utter_plan_cancel"}},
                         {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    assert signals_from_events(answered).failed_turns == 1


async def test_joining_a_plan_named_that_fell_back_gets_the_plans_answer(database_url, domain, make_dispatcher):
    """A customer run: "cool sign me up for plus", after the plans, fell back (ask_plans 0.46,
    create_account 0.24) and got "not sure I understood". Answered here, not by a follow-up
    action: after one, no rule predicted, and "Sorry, I didn't quite get that" came after the
    answer (a later run)."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_plans", "confidence": 0.46},
               {"name": "create_account", "confidence": 0.24}]
    tracker = make_tracker(text="cool sign me up for plus", intent="nlu_fallback", intent_ranking=ranking,
                           entities=[{"entity": "plan", "value": "Plus"}], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionClarify().run(dispatcher, tracker, domain)
    assert events == []
    assert dispatcher.responses() == ["utter_plan_one", "utter_plan_how_to_join"]
    assert dispatcher.messages[0]["plan"] == "Harbor Club Plus"
    # no plan named: the account's sign-up is as likely, and is asked about
    tracker = make_tracker(text="cool sign me up", intent="nlu_fallback", intent_ranking=ranking, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert "utter_plan_one" not in dispatcher.responses()


async def test_what_can_still_be_done_after_a_refusal_offers_a_person(database_url, domain, make_dispatcher):
    """A customer run: "so what can i do then?" right after "order HG-… has already left our
    warehouse, so I can't change its delivery address" got "Sorry, that's not something I can
    help with"."""
    for text, refused, offered in (("so what can i do then?", "utter_address_change_shipped", True),
                                   ("how do i redirect it with royal mail", "utter_address_change_shipped", True),
                                   # what can still be done did not work (a customer run)
                                   ("I tried the courier site and it wont let me, please can you do it",
                                    "utter_address_change_shipped", True),
                                   ("can you do it for me?", "utter_address_change_shipped", True),
                                   ("so what can i do then?", "utter_shipping_country", False),
                                   ("do you sell lamps", "utter_cancel_shipped", False)):
        events = [user("change_address"), bot(refused), action("action_listen"), user("out_of_scope")]
        tracker = make_tracker(text=text, intent="out_of_scope", intent_ranking=RANKING, events=events,
                               domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert ("utter_after_refusal_what_now" in dispatcher.responses()) is offered, (text, refused)
        if offered:
            assert dispatcher.messages[-1]["buttons"] == [{"title": "Talk to a person", "payload": "/request_human"}]
    # refusing the parcel, which can be done (a customer run: "can i refuse it at the door
    # instead?" got "I can't make that change here any more"): how, from the refunds article
    for text in ("can i refuse it at the door instead?", "so what am i supposed to do, refuse it at the door??"):
        events = [user("cancel_order"), bot("utter_cancel_shipped"), action("action_listen"), user("out_of_scope")]
        tracker = make_tracker(text=text, intent="out_of_scope", intent_ranking=RANKING, events=events, domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"], text
        assert dispatcher.messages[0]["help_section"] == "Refusing a delivery"


@pytest.mark.parametrize("text, answered", [
    # a customer run: after the grinder's care, "not sure I understood" (and a person)
    ("what if it's broken?", True), ("what happens if it stops working after a year?", True),
    ("and if it arrives damaged?", True),
    # told, not asked about ahead
    ("it's broken", False), ("if it's broken again I want a refund", False),
])
async def test_a_fault_asked_about_ahead_is_told_how_it_would_be_put_right(text, answered, database_url, domain,
                                                                           make_dispatcher):
    dispatcher = await _clarified_after(domain, make_dispatcher, text, "ask_product", bot("utter_help_article"))
    assert (dispatcher.responses() == ["utter_fault_what_if"]) is answered, dispatcher.responses()


async def _clarified_after(domain, make_dispatcher, text, asked, answered):
    """The clarification of `text` (not understood) right after `answered` said to `asked`."""
    events = [user(asked), answered, action("action_listen"), user("nlu_fallback")]
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING, events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    return dispatcher


async def test_what_now_after_an_answer_with_its_next_step_offers_that_step(database_url, domain, make_dispatcher):
    """A customer run: "what do i do next" right after the warranty's answer, which offered
    "Something has a fault", got the delivery article."""
    fault = {"title": "Something has a fault", "payload": "/start_return"}
    for text, buttons, offered in (("what do i do next", [fault], True),
                                   ("ok so what now?", [fault], True),
                                   # no single step offered, or no such question: as before
                                   ("what do i do next", [], False),
                                   ("what do i do next", [fault, {"title": "Plans", "payload": "/ask_plans"}], False),
                                   ("do you sell lamps", [fault], False)):
        answered = {**bot("utter_warranty_product"), "data": {"buttons": buttons}}
        dispatcher = await _clarified_after(domain, make_dispatcher, text, "ask_warranty", answered)
        assert (dispatcher.responses() == ["utter_what_now_next_step"]) is offered, (text, buttons)
        if offered:
            assert dispatcher.messages[0]["buttons"] == [fault]


async def test_money_for_the_month_after_a_plan_ending_is_answered(database_url, domain, make_dispatcher):
    """A customer run: "will i get money back for this month" right after how to cancel Harbor
    Club got the refunds article of orders."""
    for text, before, answered in (("will i get money back for this month", "utter_plan_cancel", True),
                                   ("do i still pay for december", "utter_plan_cancel", True),
                                   ("will i get money back for this month", "utter_return_policy", False),
                                   ("how do i rejoin later", "utter_plan_cancel", False)):
        dispatcher = await _clarified_after(domain, make_dispatcher, text, "ask_plans", bot(before))
        assert (dispatcher.responses() == ["utter_plan_cancel_money"]) is answered, (text, before)
        if answered:
            assert dispatcher.messages[0]["trial_days"] == 7


async def test_a_company_name_asked_after_an_invoice_was_sent_gets_who_can_reissue_it(
        database_url, domain, make_dispatcher):
    """A customer run: "can you put my company name on it" right after an invoice was sent got
    "Sorry, I'm not sure I understood"."""
    for text, before, answered in (("can you put my company name on it", "utter_invoice_sent", True),
                                   ("i need our VAT number on it", "utter_invoice_sent", True),
                                   ("can you put my company name on it", "utter_plans", False),
                                   ("when will it arrive", "utter_invoice_sent", False)):
        dispatcher = await _clarified_after(domain, make_dispatcher, text, "request_invoice", bot(before))
        assert (dispatcher.responses() == ["utter_invoice_for_a_company"]) is answered, (text, before)


async def test_how_soon_the_team_replies_is_told_after_the_ways_to_reach_it(database_url, domain, make_dispatcher):
    """A customer run: "how fast do you reply" right after the contact channels got "Sorry, I'm
    not sure I understood"."""
    for text, before, answered in (("how fast do you reply", "utter_contact_channels", True),
                                   ("how long do emails take to get answered", "utter_contact_channels", True),
                                   ("how fast do you reply", "utter_plans", False),
                                   ("do you sell lamps", "utter_contact_channels", False)):
        dispatcher = await _clarified_after(domain, make_dispatcher, text, "ask_contact_channels", bot(before))
        assert (dispatcher.responses() == ["utter_contact_reply_times"]) is answered, (text, before)


async def test_what_the_proved_order_holds_is_told(database_url, domain, make_dispatcher):
    """A customer run: "oh. what was in it again?" after a proved order's status got "Sorry,
    I'm not sure I understood"."""
    proved = {"order_number": "HG-100002", "order_verifier": "ok", "verified_order": "HG-100002"}
    for text, slots, answered in (("oh. what was in it again?", proved, True),
                                  ("what did i order", proved, True),
                                  ("oh. what was in it again?", {}, False),
                                  ("what was the weather like", proved, False)):
        tracker = make_tracker(slots, text=text, intent="nlu_fallback", intent_ranking=RANKING, domain=domain,
                               events=[user("order_status"), bot("utter_order_status_delivered"),
                                       action("action_listen"), user("nlu_fallback")])
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert (dispatcher.responses() == ["utter_order_items"]) is answered, (text, slots)
        if answered:
            from actions.company_db import company_sessions
            from company.orders import find_order
            from actions.phrasing import format_items
            with company_sessions()() as session:
                assert dispatcher.messages[0]["items"] == format_items(find_order(session, "HG-100002"))


async def test_klarnas_terms_asked_after_the_ways_to_pay_get_its_section(database_url, domain, make_dispatcher):
    """A customer run: "whats the minimum" and "is there any interest" right after "can i pay
    with klarna" got "Sorry, that's not something I can help with"."""
    for text, before, answered in (("whats the minimum", "utter_payment_methods", True),
                                   ("is there any interest", "utter_payment_methods", True),
                                   ("whats the minimum", "utter_plans", False),
                                   ("do you sell lamps", "utter_payment_methods", False)):
        dispatcher = await _clarified_after(domain, make_dispatcher, text, "ask_payment_methods", bot(before))
        said = dispatcher.responses()
        assert (said[:1] == ["utter_help_article"] and "Klarna" in dispatcher.messages[0]["help_section"]) is answered, (
            text, said)


async def test_an_opinion_that_fell_back_is_taken_as_feedback(database_url, domain, make_dispatcher):
    """A customer run: "honestly the atlas chair is amazing but your website search is kinda
    rubbish" got the chair's assembly from the help centre."""
    text = "honestly the atlas chair is amazing but your website search is kinda rubbish"
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING, domain=domain)
    assert await ActionClarify().run(make_dispatcher(tracker), tracker, domain) == [
        {"event": "followup", "name": "feedback_form", "timestamp": None}]
    asked = make_tracker(text="the chair is amazing, how do i clean it", intent="nlu_fallback",
                         intent_ranking=RANKING, domain=domain)
    assert not any(e.get("name") == "feedback_form"
                   for e in await ActionClarify().run(make_dispatcher(asked), asked, domain))


async def test_a_confirmation_email_still_missing_is_offered_a_person(database_url, domain, make_dispatcher):
    """A customer run: "its not in spam either", right after the answer about the sign-up's
    confirmation email, got the order confirmation article."""
    for text, answered_before, offered in (("its not in spam either", "utter_signup_no_confirmation", True),
                                           ("i checked spam, nothing there", "utter_signup_no_confirmation", True),
                                           ("its not in spam either", "utter_shipping_country", False),
                                           ("where do i sign in", "utter_signup_no_confirmation", False)):
        events = [user("signup_problem"), bot(answered_before), action("action_listen"), user("nlu_fallback")]
        tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING, events=events, domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert ("utter_signup_email_still_missing" in dispatcher.responses()) is offered, (text, answered_before)


async def test_a_products_detail_its_passage_speaks_of_is_answered_under_the_bar(database_url, domain, make_dispatcher):
    """Customer runs: "ok can you change the light colour on it, like warmer?" about the lamp
    got "I don't have that detail", where its passage says how (under the help centre's bar);
    "does my 15 inch laptop fit in it?" about the backpack got "not something I can help with"."""
    lamp = find_article("lumen-desk-lamp")
    backpack = find_article("summit-backpack")
    assert lamp is not None and backpack is not None
    colour = next(p for p in lamp.passages if "colour" in p.heading.lower())
    sleeve = next(p for p in backpack.passages if "inches" in p.text)
    for product, text, article, passage in (
            ("Lumen Desk Lamp", "ok can you change the light colour on it, like warmer?", lamp, colour),
            ("Summit Backpack", "does my 15 inch laptop fit in it?", backpack, sleeve)):
        tracker = make_tracker({"product": product}, text=text, intent="nlu_fallback", intent_ranking=RANKING,
                               domain=domain, events=[user("nlu_fallback")],
                               entities=[{"entity": "product", "value": product, "start": 0, "end": len(product)}])
        tracker.latest_message["help_article"] = {"slug": article.slug, "section": passage.heading, "score": 0.25,
                                                  "confident": False}
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses()[0] == "utter_help_article", (text, dispatcher.responses())
        assert dispatcher.messages[0]["help_section"] == passage.heading
        # too far from the question (under LEANING_FLOOR): where the detail is told, as before
        tracker.latest_message["help_article"] = {**tracker.latest_message["help_article"], "score": 0.1}
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_product_details_not_held"], text


async def test_a_products_detail_not_held_says_where_it_is_and_offers_a_person(
        database_url, domain, make_dispatcher):
    """A customer run: "is the lumen desk lamp dimmable?" (nlu_fallback with the lamp named) got
    the clarification buttons. The catalogue holds no such detail: what is known, the product's
    page, and a person; "is it waterproof?" after the speaker's price is about the speaker (live,
    the help centre's passage answers that one first); a fault told ("the lamp is too dim") is no
    such question."""
    tracker = make_tracker(text="is the lumen desk lamp dimmable?", intent="nlu_fallback", intent_ranking=RANKING,
                           entities=[{"entity": "product", "value": "Lumen Desk Lamp", "start": 7, "end": 22}],
                           events=[user("nlu_fallback")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_product_details_not_held"]
    assert dispatcher.messages[0]["product"] == "Lumen Desk Lamp" and dispatcher.messages[0]["price"].startswith("£")
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/request_human"]
    assert events == [SlotSet("product", "Lumen Desk Lamp")]

    asked_before = {"event": "user", "text": "how much is the cove speaker",
                    "parse_data": {"intent": {"name": "ask_product", "confidence": 0.9}, "entities": []}}
    tracker = make_tracker({"product": "Cove Bluetooth Speaker"}, text="is it waterproof?", intent="nlu_fallback",
                           intent_ranking=RANKING, events=[asked_before, user("nlu_fallback")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_product_details_not_held"]
    assert dispatcher.messages[0]["product"] == "Cove Bluetooth Speaker"

    # "does it come in black?" right after: the lamp again (the question before fell back, and
    # so is no topic), in fewer words
    tracker = make_tracker({"product": "Lumen Desk Lamp"}, text="does it come in black?", intent="nlu_fallback",
                           intent_ranking=RANKING, domain=domain,
                           events=[user("nlu_fallback"), action("action_clarify"),
                                   bot("utter_product_details_not_held"), action("action_listen"),
                                   user("nlu_fallback")])
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_product_details_not_held_again"]
    assert dispatcher.messages[0]["product"] == "Lumen Desk Lamp"

    # a customer run: "does it have usb charging" right after the help centre answered a
    # question naming the lamp got "not sure I understood"
    named = {"event": "user", "text": "lumen desk lamp - can i dim it and whats the colour temperature",
             "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                            "entities": [{"entity": "product", "value": "lumen desk lamp", "start": 0, "end": 15}]}}
    for events, product in (([named, action("action_clarify"), bot("utter_ask_help_article_helped"),
                              action("action_listen"), user("nlu_fallback")], "Lumen Desk Lamp"),
                            # named further back, before another question: no product known
                            ([named, user("nlu_fallback"), user("nlu_fallback")], None)):
        tracker = make_tracker({"product": "lumen desk lamp"}, text="does it have usb charging", intent="nlu_fallback",
                               intent_ranking=RANKING, domain=domain, events=events)
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        assert (dispatcher.messages[0].get("product") if dispatcher.messages else None) == product

    fault = make_tracker(text="the lamp is too dim", intent="nlu_fallback", intent_ranking=RANKING,
                         entities=[{"entity": "product", "value": "lamp", "start": 4, "end": 8}],
                         events=[user("nlu_fallback")], domain=domain)
    dispatcher = make_dispatcher(fault)
    await ActionClarify().run(dispatcher, fault, domain)
    assert "utter_product_details_not_held" not in dispatcher.responses()


@pytest.mark.parametrize("text", ["i got the wrong item", "you sent me the wrong item"])
async def test_the_wrong_item_sent_is_offered_a_return_not_an_article(database_url, domain, make_dispatcher,
                                                                      text):
    """A customer run: "i got the wrong item" (start_return 0.26) got the refunds article, its
    closest passage; the shop's mistake is put right from the order, found by a return's start."""
    dispatcher = await _clarified_beside_an_article(domain, make_dispatcher, text, "nlu_fallback", "refunds",
                                                    "A refund for only some items", 0.39)
    assert dispatcher.responses() == ["utter_wrong_item_sent"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/start_return", "/deny"]


@pytest.mark.parametrize("text, normal", [
    ("the kettle i got leaks from the bottom, is that normal?", False),
    ("the speaker makes a buzzing noise, is that normal?", False),
    # no fault told: a question, not a fault
    ("is it normal to wait 3 days for delivery?", True),
])
async def test_a_fault_asked_if_normal_is_told_it_is_not(database_url, domain, make_dispatcher, text, normal):
    """A customer run: "the kettle i got leaks from the bottom, is that normal?" (start_return
    0.72, under its bar) got the clarification's buttons: it is no normal thing, it is put right
    by a return, whose reason the message already told."""
    tracker = make_tracker({}, text=text, intent="nlu_fallback", intent_ranking=RANKING,
                           events=[user("nlu_fallback")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionClarify().run(dispatcher, tracker, domain)
    assert ("utter_fault_not_normal" in dispatcher.responses()) is not normal
    if not normal:
        assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/start_return", "/deny"]
        assert {"event": "slot", "timestamp": None, "name": FAULT_SLOT, "value": text} in events


async def test_a_fault_told_in_a_product_that_fell_back_is_offered_its_putting_right(database_url, domain,
                                                                                    make_dispatcher):
    """A customer run: "omg the headphones i got for my son's birthday dont turn on and his party
    is saturday!! what can i do" (out of scope, 0.57) got "not something I can help with", and
    the fault said again went to a person."""
    text = "omg the headphones i got for my son's birthday dont turn on and his party is saturday!! what can i do"
    events = [user("out_of_scope")]
    tracker = make_tracker({}, text=text, intent="out_of_scope", intent_ranking=RANKING, events=events,
                           entities=[{"entity": "product", "value": "headphones", "start": 8, "end": 18}],
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    answered = await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_fault_told"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/start_return", "/deny"]
    assert {"event": "slot", "timestamp": None, "name": FAULT_SLOT, "value": text} in answered
    # an answer, not a failed turn
    after = events + [action("action_clarify"), bot("utter_fault_told"), user("nlu_fallback")]
    assert failed_turns_in_a_row(after) == 1
    # no product named: not this answer
    tracker = make_tracker({}, text="it doesnt turn on, what can i do", intent="out_of_scope", intent_ranking=RANKING,
                           events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert "utter_fault_told" not in dispatcher.responses()


async def test_a_fault_left_after_a_help_answer_is_offered_its_putting_right(database_url, domain, make_dispatcher):
    """A customer run: "my nimbus headphones wont charge" got the charging passage, and "tried
    that, still dead" went to a person as upset, then (that mended) got the likely topics."""
    asked = "my nimbus headphones wont charge"
    article = {"slug": "headphones-and-speakers", "section": "Battery and charging", "score": 0.5,
               "confident": True}
    question = {"event": "user", "text": asked, "parse_data": {
        "text": asked, "intent": {"name": "nlu_fallback"}, "help_article": article,
        "entities": [{"entity": "product", "value": "Nimbus Headphones", "start": 3, "end": 19}]}}
    answered = [question, action("action_clarify"), bot("utter_help_article"),
                bot("utter_ask_help_article_helped"), action("action_listen")]

    async def replied(text: str, before: list) -> tuple:
        tracker = make_tracker({"product": "Nimbus Headphones"}, text=text, intent="nlu_fallback",
                               intent_ranking=RANKING, events=before + [user("nlu_fallback")], domain=domain)
        tracker.latest_message["help_article"] = article
        dispatcher = make_dispatcher(tracker)
        events = await ActionClarify().run(dispatcher, tracker, domain)
        return dispatcher, events

    dispatcher, events = await replied("tried that, still dead", answered)
    assert dispatcher.responses() == ["utter_fault_told"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/start_return", "/deny"]
    assert {"event": "slot", "timestamp": None, "name": FAULT_SLOT, "value": asked} in events
    # no fault told, or no help answer just before: not this answer
    assert "utter_fault_told" not in (await replied("that didnt help", answered))[0].responses()
    assert "utter_fault_told" not in (await replied("tried that, still dead", [user("greet")]))[0].responses()


async def test_a_product_that_plainly_does_not_work_gets_the_fault_answer_before_a_passage(database_url, domain,
                                                                                            make_dispatcher):
    """A customer run: "my kettle stopped working after 3 months" got the limescale passage
    ("not a manufacturing fault"); a symptom a passage answers ("wont charge") still gets it."""
    async def replied(text: str, product: str, slug: str, section: str) -> list:
        tracker = make_tracker({}, text=text, intent="nlu_fallback", intent_ranking=RANKING, events=[user("nlu_fallback")],
                               entities=[{"entity": "product", "value": product, "start": 3, "end": 3 + len(product)}],
                               domain=domain)
        tracker.latest_message["help_article"] = {"slug": slug, "section": section, "score": 0.45, "confident": True,
                                                  "title": "(as read)", "passage": "(as read)"}
        dispatcher = make_dispatcher(tracker)
        await ActionClarify().run(dispatcher, tracker, domain)
        return dispatcher.responses()

    care = find_article("kitchen-appliance-care")
    headphones = find_article("headphones-and-speakers")
    assert care is not None and headphones is not None
    assert await replied("my kettle stopped working after 3 months", "kettle", care.slug,
                         care.passages[0].heading) == ["utter_fault_told"]
    # another: "gone silent" got the noise cancelling and the order confirmation emails
    assert await replied("one side of my nimbus headphones has gone silent. order HG-100003", "headphones",
                         headphones.slug, "Noise cancelling") == ["utter_fault_told"]
    assert await replied("one of the nimbus headphones from my order has no sound in the left ear", "headphones",
                         headphones.slug, "Noise cancelling") == ["utter_fault_told"]
    for symptom in ("my headphones wont charge", "my headphones wont turn on"):
        assert await replied(symptom, "headphones", headphones.slug, headphones.passages[0].heading) == [
            "utter_help_article", "utter_ask_help_article_helped"], symptom


async def test_a_wrong_size_ordered_is_no_mistake_of_the_shop(database_url, domain, make_dispatcher):
    """The customer's own slip ("I ordered the wrong size") is not told it is the shop's mistake."""
    dispatcher = await _clarified_beside_an_article(domain, make_dispatcher, "i ordered the wrong size",
                                                    "nlu_fallback", "refunds", "A refund for only some items", 0.39)
    assert "utter_wrong_item_sent" not in dispatcher.responses()


async def test_postage_asked_in_a_return_gets_the_returns_label_section(database_url, domain, make_dispatcher):
    """A customer run: "do i have to pay for postage? and can i drop it at a post office" where
    the return was to be confirmed got "Paying for your order" (card charges) and the Premium
    members' collection."""
    text = "do i have to pay for postage? and can i drop it at a post office"
    tracker = make_tracker({"order_task": "return", "requested_slot": "return_confirmed"}, text=text,
                           intent="nlu_fallback", intent_ranking=RANKING, events=[user("nlu_fallback")],
                           active_loop="return_form", domain=domain)
    tracker.latest_message["help_article"] = {"slug": "paying", "section": "When you are charged",
                                              "confident": True, "score": 0.36, "passage": "…"}
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[0] == "utter_help_article"
    assert dispatcher.messages[0]["help_slug"] == "sending-a-return"
    assert "label" in dispatcher.messages[0]["help_section"]
