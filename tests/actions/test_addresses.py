from sqlalchemy import select

from actions.addresses import ActionChangeAddress, ActionCheckAddressChange, ValidateAddressForm
from company.addresses import address_answer, address_in_request
from actions.verification import VERIFIED
from company.models import AddressChange, Order
from tests.conftest import entity, make_tracker


def _slots(number, **extra):
    return {"order_number": number, "order_verifier": VERIFIED, "verified_order": number, **extra}


async def test_check_opens_the_form_only_before_shipping(database_url, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100001"), domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckAddressChange().run(dispatcher, tracker, domain)
    assert {e["name"]: e["value"] for e in events}["address_change_allowed"] is True
    assert dispatcher.messages == []

    for number, response in [("HG-100002", "utter_address_change_shipped"),
                             ("HG-100003", "utter_address_change_delivered")]:
        tracker = make_tracker(_slots(number), domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCheckAddressChange().run(dispatcher, tracker, domain)
        assert {e["name"]: e["value"] for e in events}["address_change_allowed"] is False
        assert dispatcher.responses() == [response]


async def test_an_address_told_with_the_request_is_only_confirmed(database_url, domain, make_dispatcher):
    """"change the delivery address for HG-100001 to 22 Station Road, Cambridge, CB1 2JW" was
    followed by "What's the new delivery address?": it is now the form's new address, which
    the form only asks to confirm. An older message's address, or none, leaves it to ask."""
    request = {"event": "user", "text": "change the delivery address for HG-100001 to 22 Station Road, Cambridge, CB1 2JW",
               "parse_data": {"intent": {"name": "change_address"}}}
    proof = {"event": "user", "text": "LS6 2QT", "parse_data": {"intent": {"name": "inform"}}}
    for events, expected in (([request, proof], "22 Station Road, Cambridge CB1 2JW"),
                             ([request, {"event": "session_started"}, proof], None),
                             ([dict(request, text="I'd like to change my address"), proof], None)):
        tracker = make_tracker(_slots("HG-100001"), events=events, domain=domain)
        slots = {}
        for event in await ActionCheckAddressChange().run(make_dispatcher(tracker), tracker, domain):
            slots[event["name"]] = event["value"]  # the last setting of each slot counts
        assert slots["address_change_allowed"] is True and slots["new_address"] == expected


def test_the_address_is_read_after_its_lead_in():
    told = address_in_request("it's about order HG-100001 that I'd like to send to my office "
                              "instead: 1 Wellington Street, Leeds, LS1 4DL.")
    assert told is not None and told.one_line() == "1 Wellington Street, Leeds LS1 4DL"
    assert address_in_request("my new address is Flat 2, 5 High St, York YO1 7HH please").one_line() == \
        "Flat 2, 5 High St, York YO1 7HH"
    for text in ("I want to change my address", "change the address on HG-100001, postcode LS6 2QT",
                 "change address to LS1 4DL",
                 "my old address is 22 Station Road, Cambridge, CB1 2JW, can I change it",
                 "it is 22 Station Road, Cambridge, CB1 2JW at the moment",
                 "the postcode is wrong, it should be LS1 4DL",
                 "ship to 1 Wellington Street, Leeds, LS1 4DL instead of 22 Station Road, Cambridge, CB1 2JW"):
        assert address_in_request(text) is None, text


def test_new_address_must_be_complete(domain, make_dispatcher):
    form = ValidateAddressForm()
    tracker = make_tracker(text="somewhere nice", domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_new_address("somewhere nice", dispatcher, tracker, domain) == {"new_address": None}
    assert dispatcher.responses() == ["utter_address_invalid"]
    # nothing typed (the change gone on with by a command, after leaving the queue): nothing to judge yet
    gone_on = make_tracker(text="/EXTERNAL_carry_on_here", domain=domain)
    dispatcher = make_dispatcher(gone_on)
    assert form.validate_new_address(None, dispatcher, gone_on, domain) == {"new_address": None}
    assert dispatcher.responses() == []
    result = form.validate_new_address("5 quay street, bristol, bs1 4dj", make_dispatcher(tracker), tracker, domain)
    assert result == {"new_address": "5 quay street, Bristol BS1 4DJ"}


async def test_confirmed_address_is_written(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100001", new_address="5 Quay Street, Bristol BS1 4DJ",
                                  address_confirmed=True), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionChangeAddress().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_address_changed"]
    order = session.execute(select(Order).where(Order.number == "HG-100001")).scalar_one()
    assert order.ship_postcode == "BS1 4DJ" and order.ship_city == "Bristol"


async def test_declined_address_changes_nothing(database_url, session, domain, make_dispatcher):
    tracker = make_tracker(_slots("HG-100001", new_address="5 Quay Street, Bristol BS1 4DJ",
                                  address_confirmed=False), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionChangeAddress().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_address_unchanged"]
    assert session.execute(select(AddressChange)).first() is None


async def test_another_order_named_changes_nothing_and_goes_on_with_that_order(
        database_url, session, domain, make_dispatcher):
    """"hang on wrong order number. HG-…" where the address was asked: the form went on with
    the new number and the old proof, asked "send order HG-… to …?", and a yes then got no
    reply and no change (3 of 3 in a customer run). Nothing changes on the first order, and
    the order named is proved before its address is asked."""
    text = "hang on wrong order number. HG-100005"
    tracker = make_tracker(_slots("HG-100005", verified_order="HG-100001", new_address=text, address_confirmed=True),
                           text=text, entities=[{"entity": "order_number", "value": "HG-100005"}], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionChangeAddress().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_order_switched"]
    assert dispatcher.messages[0]["order_number"] == "HG-100001"
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["order_number"] == "HG-100005" and slots["order_verifier"] is None
    assert slots["order_task"] == "change_address" and slots["new_address"] is None
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "order_form"}
    assert session.execute(select(AddressChange)).first() is None


async def test_unverified_customer_cannot_change_an_address(database_url, session, domain, make_dispatcher):
    tracker = make_tracker({"order_number": "HG-100001", "new_address": "5 Quay Street, Bristol BS1 4DJ",
                            "address_confirmed": True}, domain=domain)
    await ActionChangeAddress().run(make_dispatcher(tracker), tracker, domain)
    assert session.execute(select(AddressChange)).first() is None


def test_the_words_before_an_answered_address_are_not_its_street():
    """"please send it to 5 Kirkstall Road, Leeds, LS3 1HS" was saved with the street line
    "please send it to 5 Kirkstall Road"."""
    for text in ("please send it to 5 Kirkstall Road, Leeds, LS3 1HS", "it's 5 Kirkstall Road, Leeds, LS3 1HS",
                 "new address: 5 Kirkstall Road, Leeds, LS3 1HS", "change it to 5 Kirkstall Road, Leeds, LS3 1HS",
                 "5 Kirkstall Road, Leeds, LS3 1HS",
                 # a customer run read back "ok great. 22 Hyde Park Road, …" as the street
                 "ok great. 5 Kirkstall Road, Leeds, LS3 1HS", "thanks! its 5 Kirkstall Road, Leeds, LS3 1HS"):
        assert address_answer(text).one_line() == "5 Kirkstall Road, Leeds LS3 1HS", text
    assert address_answer("22 Road to Nowhere, Leeds, LS1 1AA").one_line() == "22 Road to Nowhere, Leeds LS1 1AA"
    assert address_answer("22 Great Western Road, Glasgow G12 8HN").one_line() == \
        "22 Great Western Road, Glasgow G12 8HN"


async def test_no_change_wanted_where_the_address_is_asked_ends_the_form(
        database_url, session, domain, make_dispatcher):
    """"no i dont want to change the address, i want to pick the delivery day" was read as
    the change asked for again, and the question came back word for word. It ends the form,
    and the address stays as it was; an address, or a sentence naming one, is still read."""
    for text, ends in (("no i dont want to change the address, i want to pick the delivery day", True),
                       ("never mind, keep the same address", True),
                       # from a customer run (4 of 6 ways of saying no had failed)
                       ("actually no leave it where it is", True), ("leave it as is thanks", True),
                       ("no keep the old address", True), ("NO. i dont want to change it", True),
                       ("no its fine, keep it going to the same place", True),
                       # a later run: "stop" was asked for the address again, 4 of 4
                       ("stop", True), ("I said stop", True), ("cancel the address change", True),
                       # a later run: asked for the address twice
                       ("leave it, I'll get it redirected instead. how long does it take to ship btw", True),
                       ("5 Stop Lane, Leeds LS1 4AB", False),
                       ("5 quay street, bristol, bs1 4dj", False),
                       ("leave it with next door, 7 quay street, bristol, bs1 4dj", False),
                       # from a review: an address beside words that sound like a no
                       ("same address but flat 3 not flat 2, 5 Oak Rd, Leeds LS1 1AA", False),
                       ("14 Mill Lane, Leeds, LS6 2QT, if no one is in just leave it", False),
                       ("please change it to 5 quay street, bristol, bs1 4dj", False)):
        tracker = make_tracker(_slots("HG-100001", requested_slot="new_address"), text=text,
                               intent="change_address", active_loop="address_form", domain=domain)
        events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert (slots.get("address_confirmed") is False and slots.get("requested_slot", "") is None) is ends, (text, slots)
    # a house named "No. 5" is a "no" to the model; a plain "no" ends the change
    for text, address in (("No. 5 Keep Lane, Leeds LS1 4AB", "No. 5 Keep Lane, Leeds LS1 4AB"), ("no", None),
                          ("/deny", None)):
        tracker = make_tracker(_slots("HG-100001", requested_slot="new_address"), text=text,
                               intent="deny", active_loop="address_form", domain=domain)
        events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert slots.get("new_address") == address, (text, slots)
        assert (slots.get("address_confirmed") is False) is (address is None), (text, slots)
    # ... but where the address is read back, a plain "no" asks for the right one (the form
    # ended, and the corrected address typed next got "What would you like me to help with?")
    # "dont change it" there fell back, and a "yes" to what followed changed the address
    for text in ("dont change it", "actually keep the old one"):
        tracker = make_tracker(_slots("HG-100001", requested_slot="address_confirmed",
                                      new_address="5 Oak Rd, Leeds LS1 1AA"), text=text,
                               intent="nlu_fallback", active_loop="address_form", domain=domain)
        events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
        assert {"event": "slot", "timestamp": None, "name": "address_confirmed", "value": False} in events, text
    for text, asked_again in (("no", True), ("/deny", True), ("no thats wrong", True), ("nope wrong postcode", True),
                              ("no, leave it", False)):
        tracker = make_tracker(_slots("HG-100001", requested_slot="address_confirmed",
                                      new_address="5 Oak Rd, Leeds LS1 1AA"), text=text,
                               intent="deny", active_loop="address_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        slots = ValidateAddressForm().validate_address_confirmed(False, dispatcher, tracker, domain)
        assert (slots == {"address_confirmed": None, "new_address": None}) is asked_again, (text, slots)
        assert (dispatcher.responses() == ["utter_address_ask_again"]) is asked_again, text
    tracker = make_tracker(_slots("HG-100001", address_confirmed=False), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionChangeAddress().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_address_unchanged"]
    assert session.execute(select(AddressChange)).first() is None


async def test_leaving_the_address_and_asking_how_long_it_can_change_is_told(
        session, domain, make_dispatcher):
    """A customer run: "leave it for now. how long have i got to change it before it ships?"
    where the new address is asked got "I couldn't read that as a full UK address", and then a
    person. The change ends with the address as it was, and the answer says until when."""
    text = "leave it for now. how long have i got to change it before it ships?"
    tracker = make_tracker(_slots("HG-100001", requested_slot="new_address"), text=text,
                           intent="nlu_fallback", active_loop="address_form", domain=domain)
    events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
    assert {"event": "slot", "timestamp": None, "name": "address_confirmed", "value": False} in events
    tracker = make_tracker(_slots("HG-100001", address_confirmed=False), text=text, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionChangeAddress().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_address_unchanged", "utter_address_change_until"]
    assert dispatcher.messages[1]["stage"] == "being packed"
    # left without a question: nothing more
    tracker = make_tracker(_slots("HG-100001", address_confirmed=False), text="leave it for now", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionChangeAddress().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_address_unchanged"]
    assert session.execute(select(AddressChange)).first() is None


async def test_an_address_beside_another_topic_is_the_answer(domain, make_dispatcher):
    """A customer run: "5 High Street, Oxford, OX1 4AH. will it still arrive by friday?" was
    read as an order question, which the slot's mapping leaves out, and the address was dropped
    without a word; joined with "and", the question became the town."""
    for text, intent, address in (
            ("5 High Street, Oxford, OX1 4AH. will it still arrive by friday?", "order_status",
             "5 High Street, Oxford OX1 4AH"),
            ("27 King's Parade, Cambridge, CB2 1ST and can you upgrade it to next day delivery",
             "ask_shipping", "27 King's Parade, Cambridge CB2 1ST"),
            ("will it still arrive by friday?", "order_status", None)):
        tracker = make_tracker(_slots("HG-100001", requested_slot="new_address"), text=text,
                               intent=intent, active_loop="address_form", domain=domain)
        events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert slots.get("new_address") == address, (text, slots)


def test_an_address_abroad_is_told_apart_from_one_not_read(database_url, domain, make_dispatcher):
    """A customer run: "12 Rose Lane, Dublin D02 X285, Ireland" was told it was no full UK
    address, as if it could be one; the shop delivers to Ireland, but not by this change."""
    for text, countries, said in (
            ("12 Rose Lane, Dublin D02 X285, Ireland", [entity("country", "Ireland")], "utter_address_abroad"),
            ("55 Queen St, Toronto, Canada", [entity("country", "Canada")], "utter_shipping_not_served"),
            ("14 Mill Lane, Leeds, UK", [entity("country", "UK")], "utter_address_invalid"),
            ("14 Mill Lane, Leeds", [], "utter_address_invalid"),
            # a later run: no country named, told again and again it was no full UK address
            ("5 Harcourt Street, Dublin 2, D02 XY45", [], "utter_address_abroad"),
            ("can it go to my sister in paris instead? 3 rue de Rivoli", [], "utter_address_abroad"),
            ("14 Nice Lane, Leeds", [], "utter_address_invalid")):
        tracker = make_tracker(_slots("HG-100001", requested_slot="new_address"), text=text, intent="inform",
                               entities=countries, active_loop="address_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        assert ValidateAddressForm().validate_new_address(text, dispatcher, tracker, domain) == {"new_address": None}
        assert dispatcher.responses() == [said], text


async def test_an_address_the_shop_does_not_deliver_to_is_refused(database_url, session, domain, make_dispatcher):
    """A change to "12 La Route de St Aubin, St Helier, Jersey JE2 3AB" or to a PO box was
    saved, while the assistant itself said the shop does not deliver there."""
    form = ValidateAddressForm()
    tracker = make_tracker(domain=domain)
    for text in ("12 La Route de St Aubin, St Helier, Jersey JE2 3AB", "PO Box 123, Birmingham B1 1AA",
                 "4 Rue des Pres, St Peter Port, GY1 1AA", "Parcel locker 7, Tesco Extra, Leeds LS6 2QT",
                 # a second customer run: these reached the final yes
                 "Amazon Locker Piccadilly, 1 Piccadilly Plaza, Manchester M1 1RG",
                 "InPost Locker, Tesco Extra, 100 Bury Road, Bolton BL1 1AA", "Post Office Box 45, Leeds LS1 1AA",
                 "POBox 5, Leeds LS1 1AA",
                 # a third run: these were saved
                 "Amazon Hub Locker, Tesco Extra, Kirkstall Road, Leeds LS4 2AS",
                 "Evri ParcelShop, Co-op, 12 High Street, Leeds LS1 1AA",
                 "Pickup point: Royal Mail Customer Service Point, 1 Station Rd, Oxford OX1 1AA",
                 "Sgt J Smith, 1 Rifles, Camp Bastion, BF1 4FB"):
        dispatcher = make_dispatcher(tracker)
        assert form.validate_new_address(text, dispatcher, tracker, domain) == {"new_address": None}, text
        assert dispatcher.responses() == ["utter_address_not_delivered"], text
    # told with the request: refused at once, and a new one asked for
    request = {"event": "user", "text": "please deliver HG-100001 to my PO Box instead: PO Box 123, Birmingham B1 1AA",
               "parse_data": {"intent": {"name": "change_address"}}}
    tracker = make_tracker(_slots("HG-100001"), events=[request], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCheckAddressChange().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_address_not_delivered"]
    assert [e["value"] for e in events if e["name"] == "new_address"][-1] is None
    # and the company's own check refuses it, whatever the conversation says
    tracker = make_tracker(_slots("HG-100001", new_address="12 La Route de St Aubin, St Helier JE2 3AB",
                                  address_confirmed=True), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionChangeAddress().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_address_not_delivered"]
    assert session.execute(select(AddressChange)).first() is None
    # London streets named after the islands are no islands (a second run and a review: they
    # were refused), and the Isle of Man gets standard delivery
    for text in ("5 Quay Street, New Jersey Road, Bristol BS1 4DJ", "3 Strand Street, Douglas IM1 2EG",
                 "14 Jersey Road, London E11 4AA", "5 Alderney Street, London SW1V 4ES",
                 "10 Guernsey Grove, London, SE24 9DE", "7 Sark Close, Hounslow, TW5 0DN"):
        assert form.validate_new_address(text, make_dispatcher(tracker), tracker, domain)["new_address"], text


async def test_a_correction_of_the_address_read_back_is_confirmed_in_its_turn(
        database_url, session, domain, make_dispatcher):
    """A customer run: "sorry typo, it's 30 Hyde Park Road" where "send it to 3 Hyde Park
    Road?" was asked fell back, and the next "yes" sent the parcel to number 3. The
    correction becomes the address to confirm; words that correct nothing change nothing."""
    proposed = "3 Hyde Park Road, Leeds LS6 1AA"
    for text, intent, address in (
            ("sorry typo, it's 30 Hyde Park Road", "nlu_fallback", "30 Hyde Park Road, Leeds LS6 1AA"),
            ("wait no the postcode is LS6 3AB", "deny", "3 Hyde Park Road, Leeds LS6 3AB"),
            ("yes but it's 30 hyde park road", "affirm", "30 Hyde Park Road, Leeds LS6 1AA"),
            ("no, 8 Otley Road, Leeds LS6 3AA", "deny", "8 Otley Road, Leeds LS6 3AA")):
        tracker = make_tracker(_slots("HG-100001", new_address=proposed, requested_slot="address_confirmed",
                                      address_confirmed={"affirm": True, "deny": False}.get(intent)),
                               text=text, intent=intent, active_loop="address_form", domain=domain)
        events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert slots.get("new_address") == address, (text, slots)
        assert slots.get("address_confirmed", "unset") is None, (text, slots)
    tracker = make_tracker(_slots("HG-100001", new_address=proposed, requested_slot="address_confirmed",
                                  address_confirmed=True),
                           text="yes", intent="affirm", active_loop="address_form", domain=domain)
    events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
    assert "new_address" not in {e["name"] for e in events if e["event"] == "slot"}


async def test_a_correction_that_reads_as_no_address_has_the_address_asked_again(
        database_url, session, domain, make_dispatcher):
    """A customer run: "actually wait, can you make it flat 2 not 14, sorry" where "send order
    HG-… to 14 Harbour Lane, Leeds LS1 4AB?" was asked fell back, and the same question came
    back with the old address: one "yes" away from the wrong door."""
    proposed = "14 Harbour Lane, Leeds LS1 4AB"
    for text, intent in (("actually wait, can you make it flat 2 not 14, sorry", "nlu_fallback"),
                         ("no wait the flat number is wrong", "deny")):
        tracker = make_tracker(_slots("HG-100001", new_address=proposed, requested_slot="address_confirmed",
                                      address_confirmed={"deny": False}.get(intent)),
                               text=text, intent=intent, active_loop="address_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ValidateAddressForm().run(dispatcher, tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
        assert slots.get("new_address", "unset") is None and slots.get("address_confirmed", "unset") is None, slots
        assert dispatcher.responses() == ["utter_address_ask_again"], text
    # a yes with words in it is still a yes
    tracker = make_tracker(_slots("HG-100001", new_address=proposed, requested_slot="address_confirmed",
                                  address_confirmed=True),
                           text="yes it's right", intent="affirm", active_loop="address_form", domain=domain)
    events = await ValidateAddressForm().run(make_dispatcher(tracker), tracker, domain)
    assert "new_address" not in {e["name"] for e in events if e["event"] == "slot"}
