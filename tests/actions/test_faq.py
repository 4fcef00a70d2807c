from datetime import datetime

from actions.faq import (ActionContactChannels, ActionFreeTrial, ActionListPlans, ActionOpeningHours,
                         ActionShippingInfo, ActionWarrantyInfo)
from tests.conftest import entity, make_tracker, user_said


async def _run(action, tracker, domain, make_dispatcher):
    dispatcher = make_dispatcher(tracker)
    await action.run(dispatcher, tracker, domain)
    return dispatcher


async def test_shipping_for_a_country_comes_from_the_rates_table(database_url, domain, make_dispatcher):
    tracker = make_tracker(text="how much to ship to france", entities=[entity("country", "France")], domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_country"]
    message = dispatcher.messages[0]
    assert (message["country"], message["standard_cost"], message["min_days"]) == ("France", "£9.95", 4)


async def test_refusing_the_delivery_gets_how_it_is_refused(database_url, domain, make_dispatcher):
    """A customer run: "ugh fine. can i just refuse the delivery then?" after a shipped order's
    cancellation was refused (ask_shipping 0.84) got the delivery times and costs."""
    tracker = make_tracker(text="ugh fine. can i just refuse the delivery then?", intent="ask_shipping",
                           domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses()[0] == "utter_help_article"
    assert dispatcher.messages[0]["help_section"] == "Refusing a delivery"
    tracker = make_tracker(text="how long does delivery take", intent="ask_shipping", domain=domain)
    assert "utter_help_article" not in (await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)).responses()


async def test_express_asked_where_there_is_none_is_said_to_be_missing(database_url, domain, make_dispatcher):
    """A customer run: "how much is express delivery to spain" got the standard delivery alone,
    express never mentioned."""
    tracker = make_tracker(text="how much is express delivery to spain", entities=[entity("country", "spain")],
                           domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_no_express", "utter_shipping_country"]
    assert dispatcher.messages[0]["country"] == "Spain"
    # where there is express, its line says it; nothing is said missing
    tracker = make_tracker(text="how much is express delivery to france", entities=[entity("country", "france")],
                           domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_country"] and "Express" in dispatcher.messages[0]["express"]


async def test_there_is_the_country_asked_about_before(database_url, domain, make_dispatcher):
    """A customer run: "how long does delivery take there" after the customs to the states got
    the UK's overview."""
    asked = user_said("if i order to the states do i have to pay customs", "ask_shipping")
    asked["parse_data"]["entities"] = [entity("country", "the states")]
    tracker = make_tracker(text="how long does delivery take there", intent="ask_shipping", domain=domain,
                           events=[asked, user_said("how long does delivery take there", "ask_shipping")])
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_country"]
    assert dispatcher.messages[0]["country"] == "the United States"
    # ... and so is a delivery question naming no place at all right after it (a customer run:
    # "how long does it take" after the US); one about places in general is the overview
    for text, expected in (("how long does it take", "utter_shipping_country"),
                           ("is it free over some amount", "utter_shipping_country"),
                           ("where else do you deliver", "utter_shipping_overview"),
                           ("how long to manchester", "utter_shipping_overview")):
        tracker = make_tracker(text=text, intent="ask_shipping", domain=domain,
                               events=[asked, user_said(text, "ask_shipping")])
        dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
        assert dispatcher.responses() == [expected], text
    # a country told on its own after a delivery answer is the one asked about last (a customer
    # run: "how much is delivery to france", "and ireland?", "is that free?" got France's)
    france = user_said("how much is delivery to france", "ask_shipping")
    france["parse_data"]["entities"] = [entity("country", "france")]
    ireland = user_said("and ireland?", "inform")
    ireland["parse_data"]["entities"] = [entity("country", "ireland")]
    tracker = make_tracker(text="is that free?", intent="ask_shipping", domain=domain,
                           events=[france, ireland, user_said("is that free?", "ask_shipping")])
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.messages[0]["country"] == "Ireland"
    # with no place told before, the overview
    tracker = make_tracker(text="how long does delivery take there", intent="ask_shipping", domain=domain,
                           events=[user_said("how long does delivery take there", "ask_shipping")])
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_overview"]


async def test_shipping_to_a_country_we_do_not_serve(database_url, domain, make_dispatcher):
    tracker = make_tracker(text="do you ship to Japan", entities=[entity("country", "Japan")], domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_not_served"]
    # with "the" where a sentence says one ("To United States: …" read oddly: a customer run)
    assert "the United Kingdom" in dispatcher.messages[0]["countries"]


async def test_every_country_named_is_answered_once(database_url, domain, make_dispatcher):
    """A customer run: "how much to france and spain, need it by next friday" got Spain alone."""
    named = [entity("country", "France"), entity("country", "spain"), entity("country", "Japan"),
             entity("country", "france"), entity("country", "Canada")]
    tracker = make_tracker(text="how much to france and spain, or japan? france again, and canada",
                           entities=named, domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_country", "utter_shipping_country", "utter_shipping_not_served"]
    assert [m.get("country") for m in dispatcher.messages] == ["France", "Spain", "Japan and Canada"]
    # two names of one country are one answer
    tracker = make_tracker(text="usa or the united states?", domain=domain,
                           entities=[entity("country", "USA"), entity("country", "United States")])
    assert (await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)).responses() == ["utter_shipping_country"]


async def test_customs_charges_are_answered_from_the_help_centre(database_url, domain, make_dispatcher):
    """A customer run: "what about france? and are there customs fees" got France's rates
    alone; "are there customs charges for the usa?" got the US rates, and customs never."""
    usa = make_tracker(text="are there customs charges for the usa?", entities=[entity("country", "USA")],
                       domain=domain)
    dispatcher = await _run(ActionShippingInfo(), usa, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_section"] == "Customs and import charges"
    assert "United States" in dispatcher.messages[0]["help_passage"]
    # with a delivery question beside it, the rates as well, first
    france = make_tracker(text="what about france? and are there customs fees", domain=domain,
                          entities=[entity("country", "France")])
    dispatcher = await _run(ActionShippingInfo(), france, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_country", "utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["country"] == "France"
    # "duty" asked without the word customs, and no customs asked at all
    duty = make_tracker(text="do i pay import duty in ireland", entities=[entity("country", "Ireland")], domain=domain)
    assert (await _run(ActionShippingInfo(), duty, domain, make_dispatcher)).responses()[0] == "utter_help_article"
    plain = make_tracker(text="how long does delivery to ireland take", entities=[entity("country", "Ireland")],
                         domain=domain)
    assert (await _run(ActionShippingInfo(), plain, domain, make_dispatcher)).responses() == ["utter_shipping_country"]


async def test_the_uks_remote_areas_and_the_places_not_served_are_answered_as_the_help_centre_says(
        database_url, domain, make_dispatcher):
    """"do you deliver to northern ireland and is next day available there?" got next-day
    delivery for £6.95, which the help centre's article says is not available there."""
    for text, entities, said in (
            ("do you deliver to northern ireland and is next day available there?",
             [entity("country", "Ireland")], "utter_shipping_remote_uk"),
            ("how long to the scottish highlands", [], "utter_shipping_remote_uk"),
            # a customer run: next-day delivery offered to "NI", which the article rules out
            ("how long does delivery take to NI", [], "utter_shipping_remote_uk"),
            ("can you ship to Jersey?", [], "utter_shipping_places_not_served"),
            ("do you deliver to a PO box", [], "utter_shipping_places_not_served"),
            # a customer run: "and to the canary islands?" after Spain got the Scottish islands
            ("and to the canary islands?", [], "utter_shipping_far_territories_not_served"),
            ("can you ship to tenerife spain", [entity("country", "Spain")], "utter_shipping_far_territories_not_served"),
            ("do you deliver to guadeloupe", [], "utter_shipping_far_territories_not_served"),
            ("how much to ship to ireland", [entity("country", "Ireland")], "utter_shipping_country"),
            ("do you deliver to New Jersey?", [entity("country", "United States")], "utter_shipping_country"),
            # a customer run: a city got the overview
            ("how long to dublin", [], "utter_shipping_country"),
            # a customer run: these got the countries and their costs
            ("do u deliver on saturdays", [], "utter_shipping_delivery_days"),
            ("can i get a delivery time slot after 6pm", [], "utter_shipping_delivery_days"),
            ("what about sundays", [], "utter_shipping_delivery_days"),
            ("how long does delivery take", [], "utter_shipping_overview"),
            # next-day delivery has an answer of its own (it was the overview's sentence), with
            # the days it comes on ("does next day DELIVERY happen on saturday" got the
            # overview: a customer run)
            ("is there next day delivery if I order before 8pm?", [], "utter_shipping_next_day"),
            ("does next day DELIVERY happen on saturday", [], "utter_shipping_next_day")):
        tracker = make_tracker(text=text, entities=entities, domain=domain)
        dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
        assert dispatcher.responses() == [said], text
    # a button pressed for the question (the clarification's): the question's words count
    asked = "whats delivery like to northern ireland, any extra"
    def pressed_after(action: str):
        return make_tracker(text="/ask_shipping", intent="ask_shipping", domain=domain, events=[
            {"event": "user", "text": asked, "parse_data": {"text": asked, "intent": {"name": "nlu_fallback"}}},
            {"event": "action", "name": action}, {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "/ask_shipping", "parse_data": {"intent": {"name": "ask_shipping"}}}])

    clarified = await _run(ActionShippingInfo(), pressed_after("action_clarify"), domain, make_dispatcher)
    assert clarified.responses() == ["utter_shipping_remote_uk"]
    # a button of another answer is no answer to the question before it
    other = await _run(ActionShippingInfo(), pressed_after("action_list_plans"), domain, make_dispatcher)
    assert other.responses() == ["utter_shipping_overview"]
    remote = await _run(ActionShippingInfo(), make_tracker(text="delivery to belfast?", domain=domain),
                        domain, make_dispatcher)
    assert (remote.messages[0]["uk_cost"], remote.messages[0]["min_days"]) == ("£3.95", 3)


async def test_a_return_collected_from_the_door_is_told_how_a_return_is_collected(
        database_url, domain, make_dispatcher):
    """A customer run, in a return: "can a courier collect it from my house instead of me going
    to the post office?" (ask_shipping) got the delivery costs."""
    tracker = make_tracker(text="can a courier collect it from my house instead of me going to the post office?",
                           intent="ask_shipping", domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_slug"] == "sending-a-return"
    assert "collected" in dispatcher.messages[0]["help_section"]
    # asked where the return's confirmation is asked, the form asks it again next: no "did that
    # answer your question?" before it (two questions with a "No" each, and the "no" meant for
    # the passage declined the return)
    in_the_form = make_tracker({"requested_slot": "return_confirmed"}, active_loop="return_form",
                               text="can a courier collect it from my house instead of me going to the post office?",
                               intent="ask_shipping", domain=domain)
    dispatcher = await _run(ActionShippingInfo(), in_the_form, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_help_article"]


async def test_a_delivery_nobody_is_home_for_gets_the_section_on_it(database_url, domain, make_dispatcher):
    """A customer run: "safe place or neighbour delivery" (ask_shipping, 0.74) got the delivery
    costs."""
    tracker = make_tracker(text="safe place or neighbour delivery", intent="ask_shipping", domain=domain)
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_slug"] == "delivery-areas"
    assert "neighbour" in dispatcher.messages[0]["help_section"]


async def test_next_day_after_another_countrys_delivery_is_that_countrys_fastest(
        database_url, domain, make_dispatcher):
    """A customer run: "what about next day?" after the delivery to Germany fell back. Next-day
    delivery is the UK's: Germany's fastest (express, 2 working days) is told; after the UK's
    answer, or with no country asked before, the UK's next day with its cost."""
    germany = {**user_said("how long does delivery to germany take", "ask_shipping"),
               "parse_data": {"text": "how long does delivery to germany take",
                              "intent": {"name": "ask_shipping", "confidence": 0.95},
                              "entities": [entity("country", "Germany")]}}
    latest = user_said("what about next day", "out_of_scope")
    tracker = make_tracker(text="what about next day", intent="out_of_scope", domain=domain,
                           events=[germany, user_said("thanks", "thanks"), latest])
    dispatcher = await _run(ActionShippingInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_next_day_uk_only", "utter_shipping_country"]
    assert dispatcher.messages[1]["country"] == "Germany" and "2 working days" in dispatcher.messages[1]["express"]
    # a city named for the country: Ireland's fastest
    dublin = make_tracker(text="what about next day", intent="out_of_scope", domain=domain,
                          events=[user_said("how long to dublin", "ask_shipping"), latest])
    dispatcher = await _run(ActionShippingInfo(), dublin, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_next_day_uk_only", "utter_shipping_country"]
    assert dispatcher.messages[1]["country"] == "Ireland"
    # a price the delivery lookup answered in between is part of the delivery question (a
    # customer run: "how much is it" after "Do you deliver to Germany?", then "and express?", got
    # the UK's next day)
    answered = {"event": "action", "name": "action_shipping_info"}
    express = user_said("and express?", "nlu_fallback")
    priced = make_tracker(text="and express?", intent="nlu_fallback", domain=domain,
                          events=[germany, answered, user_said("how much is it", "ask_product"), answered, express])
    dispatcher = await _run(ActionShippingInfo(), priced, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_next_day_uk_only", "utter_shipping_country"]
    assert dispatcher.messages[1]["country"] == "Germany"
    # ... but a product's price answered in between is another topic
    product = make_tracker(text="and express?", intent="nlu_fallback", domain=domain,
                           events=[germany, answered, user_said("how much is it", "ask_product"), express])
    dispatcher = await _run(ActionShippingInfo(), product, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_next_day"]
    alone = make_tracker(text="what about next day", intent="out_of_scope", domain=domain, events=[latest])
    dispatcher = await _run(ActionShippingInfo(), alone, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_next_day"]
    assert dispatcher.messages[0]["uk_express_cost"] == "£6.95"
    # another topic since: the UK's next day, not Germany's
    moved_on = make_tracker(text="what about next day", intent="out_of_scope", domain=domain,
                            events=[germany, user_said("where is my order", "order_status"), latest])
    dispatcher = await _run(ActionShippingInfo(), moved_on, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_next_day"]


async def test_shipping_overview(database_url, domain, make_dispatcher):
    dispatcher = await _run(ActionShippingInfo(), make_tracker(domain=domain), domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_shipping_overview"]
    assert dispatcher.messages[0]["uk_cost"] == "£3.95"


async def test_plans_and_trial_come_from_the_plans_table(database_url, domain, make_dispatcher):
    dispatcher = await _run(ActionListPlans(), make_tracker(domain=domain), domain, make_dispatcher)
    assert dispatcher.messages[0]["plan_count"] == 3 and "£9.99 a month" in dispatcher.messages[0]["plan_lines"]
    dispatcher = await _run(ActionFreeTrial(), make_tracker(domain=domain), domain, make_dispatcher)
    assert dispatcher.messages[0]["trial_days"] == 7 and dispatcher.messages[0]["cheapest_price"] == "£4.99"


async def test_the_plans_named_are_answered_side_by_side(database_url, domain, make_dispatcher):
    """'what's the difference between plus and premium': those two, and what the dearer one
    costs more; one plan named gets its own line; all three named, the three lines."""
    def asking(*plans):
        return make_tracker(text="plans?", entities=[entity("plan", plan) for plan in plans], domain=domain)

    dispatcher = await _run(ActionListPlans(), asking("Premium", "plus"), domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_plans_compared_two"]
    message = dispatcher.messages[0]
    assert (message["cheaper"], message["dearer"], message["difference"]) == (
        "Harbor Club Plus", "Harbor Club Premium", "£5")
    assert "£9.99 a month" in message["cheaper_line"] and "£14.99 a month" in message["dearer_line"]
    dispatcher = await _run(ActionListPlans(), asking("essential"), domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_plan_one"]
    assert (dispatcher.messages[0]["plan"], dispatcher.messages[0]["price"]) == ("Harbor Club Essential", "£4.99")
    assert dispatcher.messages[0]["perks"] == "free standard delivery on every order"
    dispatcher = await _run(ActionListPlans(), asking("essential", "plus", "premium"), domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_plans_compared"]
    assert dispatcher.messages[0]["plan_lines"].count("a month") == 3


async def test_ending_a_plan_is_answered_with_how_to_end_it(database_url, domain, make_dispatcher):
    """'I want to cancel my harbor club membership' (ask_plans) was answered with the list of
    plans."""
    for text in ["I want to cancel my harbor club membership", "how do I stop my Premium membership",
                 "can I cancel Harbor Club whenever I want",
                 # as typed, and a pause, which got the plans' prices with no way to end one
                 "cancle my subscripton pls", "can i pause my harbor club membership",
                 "can i pause harbor clubb for a month", "put my harbor club on hold"]:
        tracker = make_tracker(text=text, intent="ask_plans", domain=domain)
        dispatcher = await _run(ActionListPlans(), tracker, domain, make_dispatcher)
        assert dispatcher.responses() == ["utter_plan_cancel"], text
        assert dispatcher.messages[0]["trial_days"] == 7
    # a customer run: read as the free trial, it got what the trial is
    tracker = make_tracker(text="how do i cancel harbor club, i didnt mean to sign up for the trial",
                           intent="ask_free_trial", domain=domain)
    assert (await _run(ActionFreeTrial(), tracker, domain, make_dispatcher)).responses() == ["utter_plan_cancel"]
    tracker = make_tracker(text="is there a free trial?", intent="ask_free_trial", domain=domain)
    assert (await _run(ActionFreeTrial(), tracker, domain, make_dispatcher)).responses() == ["utter_free_trial"]
    buttons = domain["responses"]["utter_plan_cancel"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/request_human"]
    for text in ["what plans do you have", "which plan do I pay for at the end of my trial"]:
        tracker = make_tracker(text=text, intent="ask_plans", domain=domain)
        assert (await _run(ActionListPlans(), tracker, domain, make_dispatcher)).responses() == ["utter_plans"]


async def test_changing_plan_is_answered_with_how_to_change_it(database_url, domain, make_dispatcher):
    """A customer run: "how do I downgrade to Essential?", "ok but HOW do i switch plans?" and
    "how do I change my plan from Plus to Essential" got the plans' prices three times."""
    for text in ["I'm on Harbor Club Plus, how do I downgrade to Essential? And will I lose the extra warranty?",
                 "ok but HOW do i switch plans? i don't want to cancel, just go down to essential",
                 "how do I change my plan from Plus to Essential", "can I switch to premium"]:
        tracker = make_tracker(text=text, intent="ask_plans", entities=[], domain=domain)
        assert (await _run(ActionListPlans(), tracker, domain, make_dispatcher)).responses() == ["utter_plan_change"], text
    # a later run: the two plans side by side, then how to join
    moving = "I'm on Essential and thinking of moving up to Premium. If I switch halfway do I pay the full amount?"
    tracker = make_tracker(text=moving, intent="ask_plans", domain=domain,
                           entities=[entity("plan", "Essential"), entity("plan", "Premium")])
    assert (await _run(ActionListPlans(), tracker, domain, make_dispatcher)).responses() == ["utter_plan_change"]
    text = "i'm on essential now, can i upgrade to plus midway through the month?"
    tracker = make_tracker(text=text, intent="ask_plans", entities=[entity("plan", "Essential"), entity("plan", "Plus")],
                           domain=domain)
    assert (await _run(ActionListPlans(), tracker, domain, make_dispatcher)).responses() == ["utter_plan_change"]
    answer = domain["responses"]["utter_plan_change"][0]
    assert "warranty stays" in answer["text"] and [b["payload"] for b in answer["buttons"]] == ["/request_human"]
    for text in ["what plans do you have", "whats the difference between plus and premium",
                 "does the price go up to 12.99 after the trial?", "are prices going up for plus members?"]:
        tracker = make_tracker(text=text, intent="ask_plans", domain=domain)
        assert "utter_plan_change" not in (await _run(ActionListPlans(), tracker, domain, make_dispatcher)).responses()


async def test_warranty_for_the_named_product_or_in_general(database_url, domain, make_dispatcher):
    tracker = make_tracker(text="warranty on the nimbus?", entities=[entity("product", "nimbus")], domain=domain)
    dispatcher = await _run(ActionWarrantyInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_warranty_product"]
    assert (dispatcher.messages[0]["product"], dispatcher.messages[0]["months"]) == ("Nimbus Headphones", 24)
    dispatcher = await _run(ActionWarrantyInfo(), make_tracker(domain=domain), domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_warranty_general"]
    assert (dispatcher.messages[0]["min_months"], dispatcher.messages[0]["max_months"]) == (12, 60)


async def test_warranty_on_it_is_the_product_named_in_pieces_before(database_url, domain, make_dispatcher):
    """A customer run: "whats the warranty on it" right after the Cove speaker got the general
    warranty: the slot held the name's pieces, and the last one ("speaker") names two products."""
    tracker = make_tracker({"product": ["Cove", "speaker"]}, text="whats the warranty on it", intent="ask_warranty",
                           domain=domain)
    dispatcher = await _run(ActionWarrantyInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_warranty_product"]
    assert dispatcher.messages[0]["product"] == "Cove Bluetooth Speaker"


async def test_a_warranty_claim_for_an_order_goes_through_its_check(database_url, domain, make_dispatcher):
    """A customer run: "i want to make a warranty claim for HG-100004" got the general warranty
    text, and the order number was forgotten."""
    text = "i want to make a warranty claim for HG-100004"
    tracker = make_tracker(text=text, intent="ask_warranty", domain=domain,
                           entities=[{"entity": "order_number", "value": "HG-100004", "start": 35, "end": 44}])
    dispatcher = make_dispatcher(tracker)
    events = await ActionWarrantyInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_warranty_claim_order_check"]
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["order_task"] == "return"
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_form"}
    # what the warranty covers, asked of an order, is no claim
    asked = make_tracker(text="what's the warranty on HG-100004", intent="ask_warranty", domain=domain,
                         entities=[{"entity": "order_number", "value": "HG-100004", "start": 23, "end": 32}])
    dispatcher = await _run(ActionWarrantyInfo(), asked, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_warranty_general"]


async def test_a_warranty_claim_without_the_order_asks_for_it(database_url, domain, make_dispatcher):
    """A customer run: "the left side of my Nimbus headphones has gone silent. I'd like to claim
    on the warranty" got what the warranty covers and "if yours has developed a fault, tell
    me"; "I literally just told you it has a fault." went to a person."""
    text = "Good evening, the left side of my Nimbus headphones has gone silent. I'd like to claim on the warranty."
    tracker = make_tracker(text=text, intent="ask_warranty", domain=domain, entities=[entity("product", "Nimbus")])
    dispatcher = make_dispatcher(tracker)
    events = await ActionWarrantyInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_warranty_claim_which_order"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (slots["order_task"], slots["order_number"]) == ("return", None)
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_form"}
    # an order the chat proved already is the one claimed on
    proved = make_tracker({"verified_order": "HG-100004", "order_number": "HG-100004"},
                          text="I want to claim on the warranty", intent="ask_warranty", domain=domain)
    events = await ActionWarrantyInfo().run(make_dispatcher(proved), proved, domain)
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["order_number"] == "HG-100004"
    # what the warranty covers is no claim
    asked = make_tracker(text="how long is the warranty on the nimbus headphones", intent="ask_warranty",
                         domain=domain, entities=[entity("product", "Nimbus")])
    assert (await _run(ActionWarrantyInfo(), asked, domain, make_dispatcher)).responses() == ["utter_warranty_product"]


async def test_a_fault_told_with_the_warranty_question_goes_on_to_its_order(database_url, domain, make_dispatcher):
    """A customer run: "does the toaster have a warranty? mine stopped working after 8 months"
    got the warranty and "if yours has developed a fault, tell me"."""
    text = "does the toaster have a warranty? mine stopped working after 8 months"
    tracker = make_tracker(text=text, intent="ask_warranty", domain=domain, entities=[entity("product", "toaster")])
    dispatcher = make_dispatcher(tracker)
    events = await ActionWarrantyInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_warranty_product_fault_told"]
    assert dispatcher.messages[0]["product"] == "Ember Toaster"
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (slots["order_task"], slots["order_number"], slots["fault_reported"]) == ("return", None, text)
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_form"}
    # no fault told: what the warranty covers
    asked = make_tracker(text="does the toaster have a warranty?", intent="ask_warranty", domain=domain,
                         entities=[entity("product", "toaster")])
    assert (await _run(ActionWarrantyInfo(), asked, domain, make_dispatcher)).responses() == ["utter_warranty_product"]


async def test_the_order_named_before_the_warranty_is_the_one_checked(database_url, domain, make_dispatcher):
    """A customer run: "one side of my nimbus headphones has gone silent. order HG-100003",
    then "no. its broken. i want it fixed under warranty" asked for the order number ("i
    already told you")."""
    text = "no. its broken. i want it fixed under warranty"
    tracker = make_tracker({"order_number": "HG-100003"}, text=text, intent="ask_warranty", domain=domain,
                           entities=[entity("product", "Nimbus Headphones")])
    dispatcher = make_dispatcher(tracker)
    events = await ActionWarrantyInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_warranty_product_fault_told"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (slots["order_task"], slots["order_number"]) == ("return", "HG-100003")
    assert slots["order_verifier"] is None  # the order still proved before anything is said of it
    # a claim with the order named before: that order is checked, and said so
    claim = make_tracker({"order_number": "HG-100003"}, text="I'd like to claim on the warranty",
                         intent="ask_warranty", domain=domain)
    dispatcher = make_dispatcher(claim)
    events = await ActionWarrantyInfo().run(dispatcher, claim, domain)
    assert dispatcher.responses() == ["utter_warranty_claim_order_check"]
    assert dispatcher.messages[0]["order_number"] == "HG-100003"
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["order_number"] == "HG-100003"


async def test_what_ending_a_plan_keeps_is_answered_with_the_warranty_question(database_url, domain, make_dispatcher):
    """A customer run: "if i cancel plus do i lose the extra warranty year on stuff i already
    bought?" (ask_warranty) got when the benefits start."""
    text = "if i cancel plus do i lose the extra warranty year on stuff i already bought?"
    tracker = make_tracker(text=text, intent="ask_warranty", entities=[entity("plan", "Plus")], domain=domain)
    dispatcher = await _run(ActionWarrantyInfo(), tracker, domain, make_dispatcher)
    assert dispatcher.responses()[0] == "utter_help_article"
    assert dispatcher.messages[0]["help_section"] == "If your plan ends"


async def test_whether_joining_covers_what_was_bought_before_is_answered(database_url, domain, make_dispatcher):
    """Customer runs: "if I join harbor club plus now, do I get free next day delivery on the
    order I placed today?" got the plan, how to join and the delivery overview; "does the extra
    year of warranty count for stuff I already bought before joining?" the general warranty.
    Each went to a person when asked again."""
    for action, intent, text in (
            (ActionListPlans(), "ask_plans",
             "if I join harbor club plus now, do I get free next day delivery on the order I placed today?"),
            (ActionWarrantyInfo(), "ask_warranty",
             "does the extra year of warranty count for stuff I already bought before joining?")):
        tracker = make_tracker(text=text, intent=intent, domain=domain)
        dispatcher = await _run(action, tracker, domain, make_dispatcher)
        assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"], text
        assert dispatcher.messages[0]["help_section"] == "When the benefits start"
    # the plans, and a warranty asked without the plans, as before
    tracker = make_tracker(text="what do i get with harbor club plus", intent="ask_plans", domain=domain)
    assert "utter_help_article" not in (await _run(ActionListPlans(), tracker, domain, make_dispatcher)).responses()
    tracker = make_tracker(text="is the toaster I already bought still under warranty", intent="ask_warranty",
                           domain=domain)
    assert "utter_help_article" not in (await _run(ActionWarrantyInfo(), tracker, domain, make_dispatcher)).responses()


async def test_the_hours_and_the_phone_lines_hours_come_from_the_setting(domain, make_dispatcher, monkeypatch):
    """They were written into the replies: a shop open other hours had the assistant say
    Monday to Friday 8:00-20:00 while its queue said the team was away."""
    monkeypatch.setenv("SUPPORT_HOURS", "mon-sat 09:00-18:00")
    monkeypatch.setattr("actions.faq.utcnow", lambda: datetime(2026, 12, 5, 10, 0))  # a Saturday
    tracker = make_tracker(text="when are you open", domain=domain)
    hours = await _run(ActionOpeningHours(), tracker, domain, make_dispatcher)
    assert hours.responses() == ["utter_opening_hours", "utter_team_at_work_now"]
    assert hours.messages[0]["team_schedule"] == ("Monday to Saturday 9:00–18:00 (UK time), "
                                                  "and closed on Sundays and bank holidays")
    # and now: "are you open now?", "what time do you close today" got the week alone
    assert hours.messages[1]["closes"] == "18:00 UK time"
    monkeypatch.setattr("actions.faq.utcnow", lambda: datetime(2026, 12, 6, 10, 0))  # Sunday
    away = await _run(ActionOpeningHours(), tracker, domain, make_dispatcher)
    assert away.responses() == ["utter_opening_hours", "utter_team_away_now"]
    assert away.messages[1]["reopens"] == "tomorrow at 9:00 UK time"
    channels = await _run(ActionContactChannels(), tracker, domain, make_dispatcher)
    assert channels.responses() == ["utter_contact_channels"]
    assert channels.messages[0]["team_hours"] == "Mon–Sat 9:00–18:00"
    # a team at work around the clock: no line about now
    monkeypatch.setenv("SUPPORT_HOURS", "always")
    assert (await _run(ActionOpeningHours(), tracker, domain, make_dispatcher)).responses() == ["utter_opening_hours"]


async def test_the_days_named_are_answered_with_the_hours_that_day(domain, make_dispatcher, monkeypatch):
    """A customer run: "r u open xmas eve n boxing day" got the week's hours alone."""
    monkeypatch.setenv("SUPPORT_HOURS", "mon-fri 08:00-20:00, sat 09:00-17:00")
    monkeypatch.setattr("actions.faq.utcnow", lambda: datetime(2026, 12, 6, 10, 0))  # Sunday
    tracker = make_tracker(text="r u open xmas eve n boxing day", domain=domain)
    said = await _run(ActionOpeningHours(), tracker, domain, make_dispatcher)
    assert said.responses() == ["utter_opening_hours", "utter_team_at_work_on_day", "utter_team_at_work_on_day",
                                "utter_team_away_now"]
    assert (said.messages[1]["day"], said.messages[1]["hours"]) == ("Thursday 24 December", "8:00–20:00 UK time")
    # Boxing Day on a Saturday: its bank holiday is the Monday after
    assert (said.messages[2]["day"], said.messages[2]["hours"]) == ("Saturday 26 December", "9:00–17:00 UK time")
    tracker = make_tracker(text="and on christmas day?", domain=domain)
    away = await _run(ActionOpeningHours(), tracker, domain, make_dispatcher)
    assert away.responses()[1:] == ["utter_team_away_on_day", "utter_team_away_now"]
    assert away.messages[1]["day"] == "Friday 25 December"
    # today is the line about now; no day named, no line about one
    for text in ("are you open today", "when are you open"):
        tracker = make_tracker(text=text, domain=domain)
        assert (await _run(ActionOpeningHours(), tracker, domain, make_dispatcher)).responses() == [
            "utter_opening_hours", "utter_team_away_now"]


async def test_asking_to_join_a_plan_is_told_how(database_url, domain, make_dispatcher):
    """A customer run: "i want to join harbor club plus" got the price, and never how to join."""
    tracker = make_tracker(text="i want to join harbor club plus", entities=[entity("plan", "plus")], domain=domain)
    dispatcher = await _run(ActionListPlans(), tracker, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_plan_one", "utter_plan_how_to_join"]
    assert dispatcher.messages[1]["trial_days"] == 7
    # members already, or a plain question (from a review: "joined" read as joining)
    for text in ("what does plus cost", "I joined plus last month, what does it include?",
                 "im subscribed to essential, how much is premium?", "do I get premium support with plus?"):
        tracker = make_tracker(text=text, entities=[entity("plan", "plus")], domain=domain)
        dispatcher = await _run(ActionListPlans(), tracker, domain, make_dispatcher)
        assert dispatcher.responses() == ["utter_plan_one"], text


async def test_a_gift_message_read_as_the_contact_channels_gets_the_gift_section(domain, make_dispatcher):
    """A customer run: "can i add a message too", after the gift wrap, got the phone numbers."""
    tracker = make_tracker(text="can i add a message too", intent="ask_contact_channels", domain=domain)
    gift = await _run(ActionContactChannels(), tracker, domain, make_dispatcher)
    assert gift.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert gift.messages[0]["help_section"] == "Gift messages and gift wrap"
    tracker = make_tracker(text="how do i send you a message", intent="ask_contact_channels", domain=domain)
    assert (await _run(ActionContactChannels(), tracker, domain, make_dispatcher)).responses() == [
        "utter_contact_channels"]
