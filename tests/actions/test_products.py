"""A product's price or stock, from the catalogue in a real SQLite database."""

import pytest

from actions.products import ActionProductInfo
from tests.conftest import entity, make_tracker


async def _ask(text, products, domain, make_dispatcher, intent="ask_product"):
    tracker = make_tracker(text=text, intent=intent,
                           entities=[entity("product", name) for name in products], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionProductInfo().run(dispatcher, tracker, domain)
    return dispatcher, events


async def test_the_price_comes_from_the_catalogue_and_the_product_is_kept(database_url, domain, make_dispatcher):
    # "how much are the nimbus headphones" fell back: no topic answered a product's price
    dispatcher, events = await _ask("how much are the nimbus headphones", ["nimbus headphones"],
                                    domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_price"]
    message = dispatcher.messages[0]
    assert (message["product"], message["price"], message["months"]) == ("Nimbus Headphones", "£129", 24)
    # a follow-up ("how long is the warranty on it") reads the product from the slot
    assert [(e["name"], e["value"]) for e in events] == [("product", "Nimbus Headphones")]


async def test_a_stock_question_is_told_where_stock_shows_and_what_a_sold_out_item_does(
        database_url, domain, make_dispatcher):
    # "when will the backpack be back in stock" started the order form (order_status, 0.70)
    dispatcher, _ = await _ask("when will the backpack be back in stock", ["backpack"], domain, make_dispatcher,
                               intent="ask_stock")
    assert dispatcher.responses() == ["utter_product_stock"]
    assert (dispatcher.messages[0]["product"], dispatcher.messages[0]["price"]) == ("Summit Backpack", "£75")
    text = domain["responses"]["utter_product_stock"][0]["text"]
    assert "Email me when it's back" in text and "pre-orders" in text
    # "do you sell toasters" (ask_stock) was told "The Ember Toaster (£39) is in stock when...":
    # the answer says first that the shop sells it
    assert text.startswith("We sell the {product} ({price}).")


async def test_a_name_the_lookup_finds_in_pieces_is_one_product(database_url, domain, make_dispatcher):
    # "whats the price of the cove speaker" gives "Cove" and "speaker" (two speakers are sold):
    # the customer was asked which product they meant
    dispatcher, events = await _ask("whats the price of the cove speaker", ["Cove", "speaker"],
                                    domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_price"]
    assert [(e["name"], e["value"]) for e in events] == [("product", "Cove Bluetooth Speaker")]
    # two products named get both prices, cheapest first (a customer run: "which is cheaper the
    # cove speaker or the orbit one" got "Which product do you mean?" and the whole range)
    dispatcher, events = await _ask("which is cheaper the cove speaker or the orbit one", ["Cove", "speaker", "Orbit"],
                                    domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_prices"] and events == []
    assert dispatcher.messages[0]["prices"] == "the Cove Bluetooth Speaker is £59 and the Orbit Smart Speaker is £99"
    dispatcher, _ = await _ask("is the toaster or the kettle cheaper", ["toaster", "kettle"],
                               domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_prices"]
    assert dispatcher.messages[0]["prices"].count(" is £") == 2


@pytest.mark.parametrize("products", [[], ["speaker"], ["iphone"]])
async def test_no_product_or_an_unclear_one_gets_the_list_of_what_the_shop_sells(
        products, database_url, domain, make_dispatcher):
    dispatcher, events = await _ask("how much is it", products, domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_which"]
    listed = dispatcher.messages[0]["products"]
    assert listed.startswith("Atlas Office Chair, ") and listed.endswith(" and Terra Coffee Grinder")
    assert listed.count(",") == 10 and events == []


async def test_a_question_naming_no_product_is_about_the_one_named_before(database_url, domain, make_dispatcher):
    # "is the backpack in stock", then "and how much is it"
    tracker = make_tracker(slots={"product": "Summit Backpack"}, text="and how much is it", intent="ask_product",
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionProductInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_product_price"]
    assert dispatcher.messages[0]["price"] == "£75"


def _said(intent, text="...", entities=()):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}


async def test_a_price_question_naming_nothing_after_another_answer_leans_on_that_answer(
        database_url, domain, make_dispatcher):
    # "how much is it" after the delivery answer for Ireland became ask_product and got
    # "which product do you mean?", though a kettle had been asked about earlier
    ireland = [{"entity": "country", "value": "Ireland", "start": 17, "end": 24}]
    events = [_said("ask_product", "how much is the kettle"), _said("ask_shipping", "do you deliver to ireland", ireland),
              _said("ask_product", "how much is it")]
    tracker = make_tracker(slots={"product": "Aurora Kettle"}, text="how much is it", intent="ask_product",
                           events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionProductInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_clarify_previous_topic"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == '/ask_shipping{"country": "Ireland"}'


async def test_goods_asked_about_beside_a_product_named_are_not_that_product(database_url, domain, make_dispatcher):
    """A customer run: "do you sell standing desks to go with the office chair?" was answered
    with the chair's price."""
    dispatcher, events = await _ask("do you sell standing desks to go with the office chair?", ["office chair"],
                                    domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_not_sold"]
    assert dispatcher.messages[0]["thing"] == "standing desks" and events == []
    assert "Atlas Office Chair" in dispatcher.messages[0]["products"]
    # goods the catalogue has, asked about beside another, are those goods
    dispatcher, events = await _ask("do you sell desk lamps to go with the office chair?", ["office chair"],
                                    domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_price"]
    assert [(e["name"], e["value"]) for e in events] == [("product", "Lumen Desk Lamp")]
    # the product asked about itself is answered as before
    dispatcher, _ = await _ask("do you sell office chairs?", ["office chairs"], domain, make_dispatcher)
    assert dispatcher.messages[0]["product"] == "Atlas Office Chair"


def _with_article(tracker, slug, section, confident=True):
    tracker.latest_message["help_article"] = {"slug": slug, "section": section, "confident": confident,
                                              "score": 0.56, "title": "", "passage": "…"}
    return tracker


@pytest.mark.parametrize("text, answered", [
    # a customer run: the vacuum's price was given
    ("do you price match? the drift vacuum is £40 cheaper at argos", True),
    ("the ember toaster is cheaper at argos", True),
    # no price matching asked: the product's answer
    ("is the ember toaster cheaper in the sale", False),
])
async def test_a_price_match_question_gets_what_the_help_centre_says_of_it(
        text, answered, database_url, domain, make_dispatcher):
    dispatcher, _ = await _ask(text, ["toaster"], domain, make_dispatcher)
    if answered:
        # the price of the product named, then what the help centre says of matching prices
        assert dispatcher.responses() == ["utter_product_price", "utter_help_article", "utter_ask_help_article_helped"]
        assert "don't match other shops' prices" in dispatcher.messages[1]["help_passage"]
    else:
        assert dispatcher.responses() == ["utter_product_price"], dispatcher.responses()
    # with no product named, the price-matching section alone
    if answered:
        dispatcher, _ = await _ask("do you price match", [], domain, make_dispatcher)
        assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]


async def test_goods_the_help_centre_speaks_of_are_not_said_to_be_missing(database_url, domain, make_dispatcher):
    """A customer run: "do you sell spare filters to go with the Drift Robot Vacuum?" was told
    they are not in the range, where the vacuum's care article says packs of three are sold."""
    from company.help_articles import find_article

    article = find_article("robot-vacuum-care")
    section = next(p.heading for p in article.passages if "filter" in p.text.lower())
    tracker = _with_article(make_tracker(text="do you sell spare filters to go with the Drift Robot Vacuum?",
                                         intent="ask_stock", entities=[entity("product", "Drift Robot Vacuum")],
                                         domain=domain), "robot-vacuum-care", section)
    dispatcher = make_dispatcher(tracker)
    await ActionProductInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    # where the article found says nothing of them, they are not in the range
    tracker = _with_article(make_tracker(text="do you sell standing desks to go with the office chair?",
                                         intent="ask_product", entities=[entity("product", "office chair")],
                                         domain=domain), "robot-vacuum-care", section)
    dispatcher = make_dispatcher(tracker)
    await ActionProductInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_product_not_sold"]


async def test_a_detail_the_catalogue_does_not_hold_is_not_answered_with_the_price(
        database_url, domain, make_dispatcher):
    """A customer run: "how big is the atlas office chair" (ask_product) got its price alone."""
    dispatcher, events = await _ask("how big is the atlas office chair", ["atlas office chair"],
                                    domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_details_not_held"]
    assert dispatcher.messages[0]["product"] == "Atlas Office Chair"
    assert [(e["name"], e["value"]) for e in events] == [("product", "Atlas Office Chair")]
    # the price asked is the price
    dispatcher, _ = await _ask("how much is the atlas office chair", ["atlas office chair"], domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_price"]


@pytest.mark.parametrize("before, text, answered", [
    # a customer run: "Which product do you mean?" and the whole range
    ("Cove Bluetooth Speaker", "and the other speaker?", "Orbit Smart Speaker"),
    ("Orbit Smart Speaker", "how much is the other speaker", "Cove Bluetooth Speaker"),
    # no product talked about that the words name, or no "other": which one is asked
    ("Aurora Kettle", "and the other speaker?", None),
    ("Cove Bluetooth Speaker", "and the speaker?", None),
])
async def test_the_other_of_two_products_named_alike_is_the_one_not_talked_about(
        before, text, answered, database_url, domain, make_dispatcher):
    tracker = make_tracker({"product": before}, text=text, intent="ask_product",
                           entities=[entity("product", "speaker")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionProductInfo().run(dispatcher, tracker, domain)
    if answered is None:
        assert dispatcher.responses() == ["utter_product_which"]
    else:
        assert dispatcher.responses() == ["utter_product_price"]
        assert dispatcher.messages[0]["product"] == answered


@pytest.mark.parametrize("text, answer", [
    # a customer run: the chair's price alone
    ("how much is the desk chair and does it come assembled", "utter_help_article"),
    ("how much is the office chair? is it easy to put together", "utter_help_article"),
    # a detail no passage tells: where it is told, after the price
    ("how much is the office chair and what colours does it come in", "utter_product_detail_not_held_beside"),
])
async def test_a_detail_asked_beside_the_price_is_answered_after_it(
        text, answer, database_url, domain, make_dispatcher):
    from company.help_articles import find_article

    article = find_article("office-chair-assembly")
    section = next(p.heading for p in article.passages if "put together" in p.text)
    tracker = _with_article(make_tracker(text=text, intent="ask_product", entities=[entity("product", "chair")],
                                         domain=domain), "office-chair-assembly", section)
    dispatcher = make_dispatcher(tracker)
    await ActionProductInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses()[:2] == ["utter_product_price", answer]
    assert dispatcher.messages[0]["product"] == "Atlas Office Chair"
    if answer == "utter_help_article":
        assert "15 minutes" in dispatcher.messages[1]["help_passage"]
    # the price alone when nothing else is asked
    tracker = _with_article(make_tracker(text="how much is the desk chair", intent="ask_product",
                                         entities=[entity("product", "chair")], domain=domain),
                            "office-chair-assembly", section)
    dispatcher = make_dispatcher(tracker)
    await ActionProductInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_product_price"]


async def test_the_cheapest_or_dearest_product_is_named(database_url, domain, make_dispatcher):
    """A customer run: "what's the cheapest thing you sell" got "Which product do you mean?" and
    the whole range."""
    dispatcher, events = await _ask("what's the cheapest thing you sell", [], domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_cheapest"]
    assert (dispatcher.messages[0]["product"], dispatcher.messages[0]["price"]) == ("Ember Toaster", "£39")
    assert [(e["name"], e["value"]) for e in events] == [("product", "Ember Toaster")]
    dispatcher, _ = await _ask("and the most expensive?", [], domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_dearest"]
    dispatcher, _ = await _ask("whats your cheapest and your most expensive", [], domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_cheapest", "utter_product_dearest"]
    # a product named is that product's answer
    dispatcher, _ = await _ask("is the kettle the cheapest one", ["kettle"], domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_product_price"]


async def test_a_detail_asked_of_the_product_is_no_stock_question(database_url, domain, make_dispatcher):
    """A customer run: "does the drift robot vacuum have a schedule mode" (read as stock: "do
    you have…") got where stock is shown."""
    dispatcher, _ = await _ask("does the drift robot vacuum have a schedule mode", ["drift robot vacuum"],
                               domain, make_dispatcher, intent="ask_stock")
    assert dispatcher.responses() == ["utter_product_details_not_held"]
    assert dispatcher.messages[0]["product"] == "Drift Robot Vacuum"
    # the shop asked whether it has the product: the stock answer
    dispatcher, _ = await _ask("do you have the lumen lamp in black", ["lumen lamp"], domain, make_dispatcher,
                               intent="ask_stock")
    assert dispatcher.responses() == ["utter_product_stock"]


async def test_which_of_the_products_just_talked_about_gets_each(database_url, domain, make_dispatcher):
    """A customer run: "which one has the longer warranty", after the kettle's price and "and
    the toaster?", got the toaster's alone; "which one is cheaper" is each one's price."""
    from actions.faq import ActionWarrantyInfo

    def said(text, intent, product=None):
        entities = [entity("product", product)] if product else []
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": entities}}

    talked = [said("how much is the Aurora Kettle?", "ask_product", "Aurora Kettle"),
              said("and the toaster?", "inform", "toaster")]
    for text, intent, action, response in (
            ("which one has the longer warranty", "ask_warranty", ActionWarrantyInfo, "utter_warranty_products"),
            ("which one is cheaper", "ask_product", ActionProductInfo, "utter_product_prices")):
        tracker = make_tracker({"product": "toaster"}, text=text, intent=intent, domain=domain,
                               events=[*talked, said(text, intent)])
        dispatcher = make_dispatcher(tracker)
        await action().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [response], text
        told = dispatcher.messages[0].get("warranties") or dispatcher.messages[0].get("prices")
        assert "Aurora Kettle" in told and "Ember Toaster" in told
    # one product talked about, or no "which": that product's answer
    tracker = make_tracker({"product": "toaster"}, text="how long is the warranty", intent="ask_warranty",
                           domain=domain, events=[*talked, said("how long is the warranty", "ask_warranty")])
    dispatcher = make_dispatcher(tracker)
    await ActionWarrantyInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_warranty_product"]

