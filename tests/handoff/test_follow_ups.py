"""Which short messages go on with the last lookup (handoff/follow_ups.py)."""

import pytest

from handoff.follow_ups import asks_delivery_to_a_place, asks_whether_a_country_is_served, follow_up_action


def said(text, intent, **entities):
    found = []
    for name, value in entities.items():
        start = text.lower().find(value.lower())
        found.append({"entity": name, "value": value, "start": start, "end": start + len(value)})
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": found}}


def _two_countries(text, first, second):
    message = said(text, "nlu_fallback", country=first)
    start = text.lower().find(second.lower())
    message["parse_data"]["entities"].append({"entity": "country", "value": second, "start": start,
                                              "end": start + len(second)})
    return message


GERMANY = said("how much is delivery to germany", "ask_shipping", country="Germany")
PLANS = said("what plans do you have", "ask_plans")
STATUS = said("where is HG-100002", "order_status", order_number="HG-100002")
PROVED = said("LS6 2QT", "inform", postcode="LS6 2QT")
INVOICE = said("can I get an invoice for HG-100002", "request_invoice", order_number="HG-100002")


@pytest.mark.parametrize("latest, earlier, action", [
    # a customer run: "and spain" got "didn't quite get that", "what about france?" a button
    (said("what about france?", "out_of_scope", country="France"), [GERMANY], "action_shipping_info"),
    (said("and spain", "inform", country="Spain"), [said("what about france?", "out_of_scope"), GERMANY],
     "action_shipping_info"),
    (said("ireland?", "nlu_fallback", country="Ireland"), [GERMANY], "action_shipping_info"),
    # a later run: two countries at once fell to a clarification offering one of them
    (_two_countries("what about ireland and the usa?", "Ireland", "USA"), [GERMANY], "action_shipping_info"),
    (_two_countries("and ireland or the usa", "Ireland", "USA"), [GERMANY], "action_shipping_info"),
    (said("ok what about spain", "goodbye", country="Spain"), [GERMANY], "action_shipping_info"),
    (said("how about the premium one", "out_of_scope", plan="premium"), [PLANS], "action_list_plans"),
    # a second run: "Aurora Kettle" to "Which product do you mean?" got "didn't quite get that"
    (said("Aurora Kettle", "inform", product="Aurora Kettle"),
     [said("is the kettle cheaper anywhere? how much is it", "ask_product")], "action_product_info"),
    (said("and the toaster?", "inform", product="toaster"), [said("how much is the kettle", "ask_product", product="kettle")],
     "action_product_info"),
    # another product's warranty (a customer run: asked for an order number)
    (said("and on the atlas chair?", "inform", product="atlas chair"),
     [said("whats the warranty on the cove speaker", "ask_warranty", product="cove speaker")], "action_warranty_info"),
    (said("and on the atlas chair? it wobbles", "inform", product="atlas chair"),
     [said("whats the warranty on the cove speaker", "ask_warranty", product="cove speaker")], None),
    # no detail, or more than a detail and a continuation: not answered as the lookup
    # (a customer run: "what about next day?" after the delivery to Germany fell back; a word
    # that names a delivery option is the delivery question's detail, as a country is)
    (said("what about next day", "out_of_scope"), [GERMANY], "action_shipping_info"),
    (said("and on saturdays?", "nlu_fallback"), [GERMANY], "action_shipping_info"),
    (said("what about next day, my parcel never came", "out_of_scope"), [GERMANY], None),
    (said("what about next day", "out_of_scope"), [said("how much is the kettle", "ask_product", product="kettle")],
     None),
    (said("my friend lives in france and wants a refund", "out_of_scope", country="France"), [GERMANY], None),
    # a second customer run: answered with the delivery costs, the refund ignored
    (said("and france, my friend wants a refund there", "inform", country="France"), [GERMANY], None),
    (said("what about delivery to france?", "out_of_scope", country="France"), [GERMANY], "action_shipping_info"),
    (said("and how much would it be to france", "inform", country="France"), [GERMANY], "action_shipping_info"),
    # a topic understood goes its own way; a topic since, or a lookup too far back, ends it
    (said("what about france?", "ask_shipping", country="France"), [GERMANY], None),
    (said("and france", "inform", country="France"), [said("where is my order", "order_status"), GERMANY], None),
    (said("and france", "inform", country="France"), [said("hi", "greet")] * 3 + [GERMANY], None),
    (said("and france", "inform", country="France"), [], None),
    # another order after an order's status: "and HG-…?" got the order's menu (3 of 3), "what
    # about the other one?" the account-merging answer (4 of 4 in a customer run)
    (said("and HG-100001?", "inform", order_number="HG-100001"), [PROVED, STATUS], "action_other_order_status"),
    # a customer run: "What would you like to do with order HG-100001?"
    (said("and the other one i ordered? HG-100001", "inform", order_number="HG-100001"), [PROVED, STATUS],
     "action_other_order_status"),
    (said("what about the other one?", "switch_account"), [PROVED, STATUS], "action_other_order_status"),
    (said("and my other order?", "nlu_fallback"), [PROVED, STATUS], "action_other_order_status"),
    (said("what about the other one?", "switch_account"), [GERMANY], None),
    (said("and cancel HG-100001", "cancel_order", order_number="HG-100001"), [PROVED, STATUS], None),
    # a review: a request about the other order is that request
    (said("cancel the other order please", "cancel_order"), [PROVED, STATUS], None),
    (said("can I return the other one?", "start_return"), [PROVED, STATUS], None),
    (said("what about the other one? it was sent to my mum's house in leeds", "nlu_fallback"), [STATUS], None),
    # a customer run: after an invoice, the other order's invoice, not its status
    (said("And for the other order as well please, HG-100001?", "order_status", order_number="HG-100001"),
     [PROVED, INVOICE], "action_other_order_invoice"),
    (said("and the same for HG-100001", "inform", order_number="HG-100001"), [PROVED, INVOICE],
     "action_other_order_invoice"),
    (said("and for my other order?", "nlu_fallback"), [PROVED, INVOICE], "action_other_order_invoice"),
    (said("and where is HG-100001 at the moment, has it been sent out yet", "order_status",
          order_number="HG-100001"), [PROVED, INVOICE], None),
    # a third run: the interview started, and "didn't quite get that"
    (said("cool. and the other order? the lamps", "describe_need"), [PROVED, STATUS], "action_other_order_status"),
    (said("thats the speaker again. the lamps are HG-100001", "inform", order_number="HG-100001"),
     [PROVED, STATUS], "action_other_order_status"),
    (said("wrong one, I meant HG-100001", "inform", order_number="HG-100001"), [PROVED, STATUS],
     "action_other_order_status"),
    # a city or region for its country or the UK's answer (a customer run: not understood)
    (said("and new york?", "nlu_fallback"), [GERMANY], "action_shipping_info"),
    (said("and to dublin?", "out_of_scope"), [GERMANY], "action_shipping_info"),
    # a customer run: the Scottish islands' passage of the help centre
    (said("and to the canary islands?", "nlu_fallback"), [GERMANY], "action_shipping_info"),
    (said("and inverness?", "inform"), [GERMANY], "action_shipping_info"),
    (said("what about leeds", "out_of_scope"), [GERMANY], "action_shipping_info"),
    # a delivery day read as opening hours (a customer run: the team's hours)
    (said("can it come on a saturday", "ask_opening_hours"), [GERMANY], "action_shipping_info"),
    (said("wat about weekends like saturday", "ask_opening_hours"), [GERMANY], "action_shipping_info"),
    (said("are you open on saturday", "ask_opening_hours"), [GERMANY], None),
    (said("can it come on a saturday", "ask_opening_hours"), [PLANS], None),
    # free delivery over a spend read as the membership's trial (a customer run)
    (said("is it free if i spend over 50", "ask_free_trial"), [GERMANY], "action_shipping_info"),
    (said("is the club free if i spend over 50", "ask_free_trial"), [GERMANY], None),
    (said("is it free if i spend over 50", "ask_free_trial"), [PLANS], None),
    # whether a return is free, asked right after the returns policy, read as the trial (a
    # customer run, from Spain)
    (said("is it free for me", "ask_free_trial"), [said("i live in spain, can i return things", "ask_return_policy",
                                                         country="spain")], "action_return_policy"),
    (said("do i have to pay", "ask_plans"), [said("what is your returns policy", "ask_return_policy")],
     "action_return_policy"),
    (said("is the club free for me", "ask_free_trial"), [said("whats your returns policy", "ask_return_policy")], None),
    # ... and whether a delivery is, right after it (a customer run: the membership's trial)
    (said("is that free?", "ask_free_trial"), [said("and ireland?", "inform", country="Ireland"), GERMANY],
     "action_shipping_info"),
    (said("is that free?", "ask_free_trial"), [PLANS], None),
    # a price asked right after a delivery answer, read as a product's (a customer run: "how much
    # is it" after "Do you deliver to Germany?" got "is it about delivery, as before?")
    (said("how much is it", "ask_product"), [GERMANY], "action_shipping_info"),
    (said("how much is the kettle", "ask_product", product="kettle"), [GERMANY], None),
    # ... and such a price asked before is part of the delivery question ("and express?" after it
    # got "is it about products and prices, as before?": a customer run)
    (said("and express?", "nlu_fallback"), [said("how much is it", "ask_product"), GERMANY], "action_shipping_info"),
    # a customer run: the ways to pay (American Express); the card itself is the payment's
    (said("can i pay extra for express?", "ask_payment_methods"), [GERMANY], "action_shipping_info"),
    (said("can i pay with american express?", "ask_payment_methods"), [GERMANY], None),
    (said("can i pay extra for express?", "ask_payment_methods"), [PLANS], None),
    # ... but a product's price before "and the toaster?" is still the product's
    (said("and the toaster?", "inform", product="toaster"),
     [said("how much is the kettle", "ask_product", product="kettle"), GERMANY], "action_product_info"),
    # a day after the opening hours (a customer run: "and tomorrow?" fell back)
    (said("and tomorrow?", "nlu_fallback"), [said("what time do u close today?", "ask_opening_hours")],
     "action_opening_hours"),
    (said("and tomorrow?", "nlu_fallback"), [GERMANY], None),
    # any day the hours action names, as it reads them (ground/calendar_days.py)
    (said("what about sat?", "nlu_fallback"), [said("are you open", "ask_opening_hours")], "action_opening_hours"),
    (said("and 24 december?", "nlu_fallback"), [said("are you open", "ask_opening_hours")],
     "action_opening_hours"),
    (said("and on bank holidays?", "nlu_fallback"), [said("are you open", "ask_opening_hours")],
     "action_opening_hours"),
    (said("and tomorrow? my parcel is late", "nlu_fallback"), [said("are you open", "ask_opening_hours")], None),
    # how long it takes, not understood alone (a customer run: the refunds article)
    (said("and how long does it take", "nlu_fallback"), [GERMANY], "action_shipping_info"),
    (said("how many days will that take?", "out_of_scope"), [GERMANY], "action_shipping_info"),
    (said("and how long does it take", "nlu_fallback"), [PLANS], None),
    (said("and how long does a refund take", "nlu_fallback"), [GERMANY], None),
    (said("how long do you take to answer emails", "out_of_scope"), [GERMANY], None),
    # ... and a place after it goes on with the delivery too
    (said("and inverness?", "nlu_fallback"), [said("can it come on a saturday", "ask_opening_hours"), GERMANY],
     "action_shipping_info"),
    # a word that is a place's name too is no place
    (said("ok nice", "thanks"), [GERMANY], None),
    # a need told about an order, or more than a number beside the order answered about, is not
    (said("we need 30 more lamps for the office", "describe_need"), [PROVED, STATUS], None),
    (said("the lamps in HG-100001 are lovely by the way", "inform", order_number="HG-100001"), [PROVED, STATUS],
     None),
])
def test_a_continuation_of_the_last_lookup(latest, earlier, action):
    assert follow_up_action([*reversed(earlier), latest]) == action


def test_products_told_plainly_to_which_product_is_meant_are_its_answer():
    """A customer run: "the cove and the orbit obviously" to "Which product do you mean?" got
    "Sorry, I didn't quite get that"."""
    asked = said("ok how much are they both", "ask_product")
    text = "the cove and the orbit obviously"
    both = said(text, "inform", product="cove")
    both["parse_data"]["entities"].append({"entity": "product", "value": "orbit", "start": text.find("orbit"),
                                           "end": text.find("orbit") + len("orbit")})
    assert follow_up_action([asked, both]) == "action_product_info"
    assert follow_up_action([asked, said("the cove, my daughter wants a refund", "inform", product="cove")]) is None


@pytest.mark.parametrize("text, country, asks", [
    # a customer run: out of scope (0.97, 0.72), "not something I can help with"
    ("how long to portugal", "portugal", True), ("how long to manchester", None, True),
    ("how long to dublin", None, True), ("how much to France?", "France", True),
    ("how long will my order take to get to leeds", None, True),
    ("whats the delivery time to paris?", None, True), ("how long to the scottish highlands?", None, True),
    ("how much would it cost to ship to the netherlands", "netherlands", True),
    # no place, or more than a delivery asked
    ("how long to boil an egg", None, False), ("how much to send money to france", "france", False),
    ("how long does a transfer to the US take", None, False), ("how much is a flight to paris", None, False),
    ("how long to get to london by train", None, False), ("how long to the moon", None, False),
])
def test_a_delivery_question_that_names_only_its_place(text, country, asks):
    entities = said(text, "out_of_scope", **({"country": country} if country else {}))["parse_data"]["entities"]
    assert asks_delivery_to_a_place(text, entities) is asks


def test_a_delivery_to_a_place_is_answered_without_a_lookup_before():
    assert follow_up_action([said("how long to portugal", "out_of_scope", country="portugal")]) == "action_shipping_info"
    assert follow_up_action([GERMANY, said("how long to manchester", "nlu_fallback")]) == "action_shipping_info"
    # understood as a topic, it goes its own way
    assert follow_up_action([said("how long to dublin", "ask_shipping")]) is None
    assert follow_up_action([said("how long to boil an egg", "out_of_scope")]) is None
    # next-day delivery read as opening hours (a customer run: the team's hours)
    assert follow_up_action([said("whats the next day cut off time", "ask_opening_hours")]) == "action_shipping_info"
    assert follow_up_action([said("are you open the next day after christmas", "ask_opening_hours")]) is None


@pytest.mark.parametrize("text, country, asks", [
    # a customer run: after the gift-orders article an order lookup (TED 0.36); a clarification
    ("she lives in germany is that ok", "germany", True),
    ("can i order from the states? im in new york", "the states", True),
    ("i live in france, can you deliver there?", "france", True), ("im in spain, will that work", "spain", True),
    # no question, or another matter than a delivery's
    ("she lives in germany", "germany", False), ("and france", "france", False),
    ("im in germany is it ok to return it", "germany", False),
    ("i'm in ireland, can i pay by card", "ireland", False),
    ("we went to italy last year and it was ok", "italy", False),
])
def test_whether_a_named_country_is_served(text, country, asks):
    assert asks_whether_a_country_is_served(text, said(text, "inform", country=country)["parse_data"]["entities"]) is asks


def test_whether_a_country_is_served_is_answered_by_the_delivery_lookup():
    assert follow_up_action([said("she lives in germany is that ok", "inform", country="germany")]) == "action_shipping_info"
    # with an order named, it is about that order
    message = said("HG-100001 goes to germany is that ok", "inform", country="germany", order_number="HG-100001")
    assert follow_up_action([message]) is None
    # understood as a topic, it goes its own way
    assert follow_up_action([said("can you ship to germany is that ok", "ask_shipping", country="germany")]) is None
